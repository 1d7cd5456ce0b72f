import { runSimulation } from '@cloud-copilot/iam-simulate';

/** Who asks to assume a role. */
export interface AssumeRoleCaller {
  /** The caller's ARN: an IAM user, or a role session (`arn:aws:sts::…:assumed-role/<role>/<session>`). */
  arn: string;
  account: string;
  /** Organization of the caller's account, when it is in one (`aws:PrincipalOrgID`). */
  organizationId?: string;
}

/**
 * Whether a role's trust policy lets `caller` call sts:AssumeRole on `roleArn`, evaluated with
 * @cloud-copilot/iam-simulate (development only: it is AGPL-3.0 and never reaches the Lambda bundle).
 * The caller's own identity policy is taken to allow the call, so the trust policy decides
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy).
 */
export const trustAllows = async (
  trustPolicy: unknown,
  roleArn: string,
  caller: AssumeRoleCaller
): Promise<boolean> => {
  const roleAccount = roleArn.split(':')[4] ?? '';
  const outcome = await runSimulation(
    {
      request: {
        principal: caller.arn,
        action: 'sts:AssumeRole',
        resource: { resource: roleArn, accountId: roleAccount },
        contextVariables: {
          'aws:PrincipalAccount': caller.account,
          ...(caller.organizationId !== undefined && { 'aws:PrincipalOrgID': caller.organizationId }),
        },
      },
      identityPolicies: [
        {
          name: 'caller',
          policy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy,
    },
    {}
  );
  return outcome.resultType !== 'error' && outcome.overallResult === 'Allowed';
};
