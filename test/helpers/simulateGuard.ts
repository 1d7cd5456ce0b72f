import { runSimulation } from '@cloud-copilot/iam-simulate';

/** What IAM decides for one request (iam-simulate's overall result). */
export type GuardDecision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** One request of a principal of `account`, on `resource`, with its context keys (aws:PrincipalArn added). */
export interface GuardRequest {
  principal: string;
  action: string;
  resource: string;
  account: string;
  context?: Record<string, string | string[]>;
}

/**
 * Evaluates a request with @cloud-copilot/iam-simulate (dev only, AGPL, never bundled) as an administrator of the
 * account (AdministratorAccess) under the organisation's FullAWSAccess and the write guard's SCP attached to the
 * account: whatever is denied is denied by the guard.
 */
export const simulateUnderGuard = async (request: GuardRequest, guard: unknown): Promise<GuardDecision> => {
  const outcome = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.account },
        contextVariables: { 'aws:PrincipalArn': request.principal, ...request.context },
      },
      identityPolicies: [{ name: 'AdministratorAccess', policy: ALLOW_ALL }],
      serviceControlPolicies: [
        { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: ALLOW_ALL }] },
        {
          orgIdentifier: request.account,
          policies: [
            { name: 'FullAWSAccess', policy: ALLOW_ALL },
            { name: 'kinesis-auto-encrypt-write-guard', policy: guard },
          ],
        },
      ],
      resourceControlPolicies: [],
    },
    {}
  );
  if (outcome.resultType === 'error') throw new Error(JSON.stringify(outcome.errors));
  return outcome.overallResult as GuardDecision;
};
