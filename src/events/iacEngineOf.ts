/** CloudTrail's name for CloudFormation when it calls on a user's behalf (`userIdentity.invokedBy`, `userAgent`). */
const CLOUDFORMATION = 'cloudformation.amazonaws.com';

/**
 * User-agent fragments of infrastructure-as-code engines, with the engine's name: Terraform
 * (`Terraform/<version>` and `terraform-provider-aws/<version>` in the AWS provider's user agent, or
 * `exec-env/Terraform-…` from an AWS SDK or CLI run with AWS_EXECUTION_ENV=Terraform/…: user agent 2.1 turns
 * `/` into `-`), CDK, Pulumi, Crossplane.
 */
export const DEFAULT_IAC_USER_AGENTS: readonly string[] = [
  'Terraform/',
  'exec-env/Terraform',
  'terraform-provider-aws',
  'aws-cdk',
  'pulumi',
  'crossplane',
];

const NAMES: Record<string, string> = {
  'terraform/': 'Terraform',
  'exec-env/terraform': 'Terraform',
  'terraform-provider-aws': 'Terraform',
  'aws-cdk': 'CDK',
  pulumi: 'Pulumi',
  crossplane: 'Crossplane',
};

/** What of a CloudTrail record tells who made the call. */
export interface CallOrigin {
  userAgent?: string;
  invokedBy?: string;
}

/**
 * The IaC engine that made a call, from its CloudTrail record: CloudFormation by `invokedBy` /
 * `userAgent` `cloudformation.amazonaws.com`, others by a user-agent fragment (case-insensitive).
 * @returns the engine's name, or undefined for any other caller
 */
export const iacEngineOf = (
  origin: CallOrigin,
  userAgents: readonly string[] = DEFAULT_IAC_USER_AGENTS
): string | undefined => {
  if (origin.invokedBy === CLOUDFORMATION || origin.userAgent === CLOUDFORMATION) return 'CloudFormation';
  const agent = origin.userAgent?.toLowerCase();
  if (agent === undefined) return undefined;
  const fragment = userAgents.find((candidate) => candidate !== '' && agent.includes(candidate.toLowerCase()));
  return fragment === undefined ? undefined : (NAMES[fragment.toLowerCase()] ?? fragment);
};
