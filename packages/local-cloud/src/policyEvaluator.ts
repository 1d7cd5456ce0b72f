import { runSimulation } from '@cloud-copilot/iam-simulate';

/** One request to authorise, in IAM's terms. */
export interface AuthorizationRequest {
  /** `aws:PrincipalArn`: the role's ARN for a role session, the user's ARN for an IAM user. */
  principalArn: string;
  /** Account of the principal (the local cloud's caller account). */
  account: string;
  /** `<service>:<Action>`, e.g. `kinesis:PutRecord`. */
  action: string;
  /** ARN of the resource, `*` when the action has none (e.g. `kinesis:ListStreams`). */
  resourceArn: string;
  /** The resource's tags (`aws:ResourceTag/<key>`). */
  resourceTags: Readonly<Record<string, string>>;
  /** The tags a request sets (`aws:RequestTag/<key>`, `aws:TagKeys`). */
  requestTags: Readonly<Record<string, string>>;
  /** Tag keys a request removes (`aws:TagKeys` of RemoveTagsFromStream / UntagResource). */
  removedTagKeys: readonly string[];
}

/** IAM's decision. */
export type AuthorizationDecision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Decides a request (an SCP evaluator, a test's fake). */
export type PolicyEvaluator = (request: AuthorizationRequest) => Promise<AuthorizationDecision>;

/** A named policy document. */
export interface NamedPolicy {
  name: string;
  policy: unknown;
}

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The request's condition keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html). */
const contextOf = (request: AuthorizationRequest): Record<string, string | string[]> => {
  const context: Record<string, string | string[]> = { 'aws:PrincipalArn': request.principalArn };
  for (const [key, value] of Object.entries(request.resourceTags)) context[`aws:ResourceTag/${key}`] = value;
  for (const [key, value] of Object.entries(request.requestTags)) context[`aws:RequestTag/${key}`] = value;
  const tagKeys = [...Object.keys(request.requestTags), ...request.removedTagKeys];
  if (tagKeys.length > 0) context['aws:TagKeys'] = tagKeys;
  return context;
};

/**
 * Evaluates requests against service control policies with `@cloud-copilot/iam-simulate`: `FullAWSAccess` at the root
 * and on the account, `policies` on the account, an identity policy allowing everything (the local cloud models no
 * identity policies), so what is denied is denied by `policies`
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html#scp-effects-on-permissions).
 * @throws {Error} when the simulator rejects a policy or the request (the message lists its errors)
 */
export const serviceControlPolicyEvaluator = (policies: readonly NamedPolicy[]): PolicyEvaluator => {
  // A decision depends on the request alone: remembered (a simulation takes milliseconds of CPU; producers call often).
  const decisions = new Map<string, AuthorizationDecision>();
  return async (request) => {
    const key = JSON.stringify([
      request,
      Object.entries(request.resourceTags).sort(),
      Object.entries(request.requestTags).sort(),
    ]);
    const known = decisions.get(key);
    if (known !== undefined) return known;
    const decision = await simulate(policies, request);
    if (decisions.size >= MAX_DECISIONS) decisions.clear();
    decisions.set(key, decision);
    return decision;
  };
};

/** Decisions remembered at most (then forgotten all at once). */
const MAX_DECISIONS = 10_000;

const simulate = async (
  policies: readonly NamedPolicy[],
  request: AuthorizationRequest
): Promise<AuthorizationDecision> => {
  const outcome = await runSimulation(
    {
      request: {
        principal: request.principalArn,
        action: request.action,
        resource: { resource: request.resourceArn, accountId: request.account },
        contextVariables: contextOf(request),
      },
      identityPolicies: [{ name: 'AllowAll', policy: ALLOW_ALL }],
      serviceControlPolicies: [
        { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: ALLOW_ALL }] },
        {
          orgIdentifier: request.account,
          policies: [{ name: 'FullAWSAccess', policy: ALLOW_ALL }, ...policies],
        },
      ],
      resourceControlPolicies: [],
    },
    {}
  );
  if (outcome.resultType === 'error') {
    throw new Error(`Policy simulation of ${request.action} failed: ${outcome.errors.message}`);
  }
  return outcome.overallResult;
};
