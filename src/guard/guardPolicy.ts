import { PolicyTag } from '../domain/streamPolicy';
import { GUARD_TAG_KEY } from '../domain/writeGuard';

/** The tag the pipeline keeps while a stream is Compliant (src/domain/writeGuard.ts); the policy refuses writes without it. */
export { GUARD_TAG_KEY };

/**
 * Largest SCP document AWS Organizations accepts, in characters, whitespace included ("Quotas and service limits of
 * AWS Organizations", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
 */
export const SCP_MAX_CHARACTERS = 5120;

/** Partitions of the AWS SDK's partition data (`@aws-sdk/util-endpoints`). */
export const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;

export type Partition = (typeof PARTITIONS)[number];

/** The stage parameter `memberRoleName`'s default. */
export const DEFAULT_MEMBER_ROLE_NAME = 'kinesis-auto-encrypt-member';

/** What the SCP is built from. */
export interface GuardPolicyOptions {
  partition: Partition;
  /** The member role; the hub's role is `<name>-hub`, the sweep's `<name>-sweep`. */
  memberRoleName: string;
  /** `aws:PrincipalArn` patterns that may set and remove the guard tag (not StopStreamEncryption while it is set). */
  breakGlassRoles: readonly string[];
  /** `aws:PrincipalArn` patterns that may set and remove the exemption and key tags. */
  exemptionApprovers: readonly string[];
  /** The pipeline honours `kinesis-auto-encrypt:exempt=true` (stage parameter `allowExemptions`). */
  allowExemptions: boolean;
}

/** An SCP statement: Deny only (the Allow comes from FullAWSAccess). */
interface GuardStatement {
  Sid: string;
  Effect: 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition: Record<string, Record<string, string | string[]>>;
}

/** The write guard's SCP. */
export interface GuardPolicy {
  policy: { Version: '2012-10-17'; Statement: GuardStatement[] };
  /** The policy as JSON without whitespace: what AWS Organizations counts. */
  minified: string;
}

/** Options the policy cannot be built from, or a policy over {@link SCP_MAX_CHARACTERS}. */
export class GuardPolicyError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GuardPolicyError';
  }
}

/** IAM role names are at most 64 characters; `-function` is the longest suffix the pipeline adds. */
const ROLE_NAME = /^[\w+=,.@-]{1,55}$/;

/** `arn:<partition>:iam::<account or wildcard>:root|role/…|user/…`; wildcards `*` and `?` as ArnLike allows. */
const principalPattern = (partition: Partition): RegExp =>
  new RegExp(`^arn:${partition}:iam::[\\d*?]{1,12}:(?:root|(?:role|user)/[\\w+=,.@/*?-]+)$`);

/** The pipeline's roles, by their fixed names: member, the hub's stream role, sweep, the hub's function. */
const pipelineRoleArns = (partition: Partition, memberRoleName: string): string[] =>
  ['', '-hub', '-sweep', '-function'].map((suffix) => `arn:${partition}:iam::*:role/${memberRoleName}${suffix}`);

/**
 * Who makes the pipeline's roles: the execution role of service-managed StackSets (`stacksets-exec-*`, "Configure a
 * custom execution role template for StackSets",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html).
 */
const stackSetsExecutionRole = (partition: Partition): string => `arn:${partition}:iam::*:role/stacksets-exec-*`;

/** Tagging calls of Kinesis, both APIs, and CreateStream with tags. */
const TAG_CHANGES = [
  'kinesis:AddTagsToStream',
  'kinesis:RemoveTagsFromStream',
  'kinesis:TagResource',
  'kinesis:UntagResource',
  'kinesis:CreateStream',
];

/** Changes to a role that could lend its exemption to someone else (or take it away). */
const ROLE_CHANGES = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:TagRole',
  'iam:UntagRole',
];

const notPrincipals = (patterns: readonly string[]) => ({ ArnNotLike: { 'aws:PrincipalArn': [...patterns] } });

const statements = (options: GuardPolicyOptions): GuardStatement[] => {
  const { partition, memberRoleName, breakGlassRoles, exemptionApprovers, allowExemptions } = options;
  const streams = `arn:${partition}:kinesis:*:*:stream/*`;
  const pipeline = pipelineRoleArns(partition, memberRoleName);
  // Tag keys compared without case: IAM matches the tag key of aws:ResourceTag/<key> without case, so a key that
  // differs only in case must not be settable either.
  const tagKeys = (keys: string[]) => ({ 'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': keys } });
  return [
    {
      Sid: 'NoWriteUnguarded',
      Effect: 'Deny',
      Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
      Resource: streams,
      Condition: {
        Null: { [`aws:ResourceTag/${GUARD_TAG_KEY}`]: 'true' },
        ...(allowExemptions && { StringNotEqualsIgnoreCase: { [`aws:ResourceTag/${PolicyTag.Exempt}`]: 'true' } }),
        ...notPrincipals(pipeline),
      },
    },
    {
      Sid: 'NoStopGuarded',
      Effect: 'Deny',
      Action: ['kinesis:StopStreamEncryption'],
      Resource: streams,
      Condition: { Null: { [`aws:ResourceTag/${GUARD_TAG_KEY}`]: 'false' } },
    },
    {
      Sid: 'GuardTag',
      Effect: 'Deny',
      Action: TAG_CHANGES,
      Resource: streams,
      Condition: { ...tagKeys([GUARD_TAG_KEY]), ...notPrincipals([...pipeline, ...breakGlassRoles]) },
    },
    {
      Sid: 'ExemptionTags',
      Effect: 'Deny',
      Action: TAG_CHANGES,
      Resource: streams,
      Condition: {
        ...tagKeys([PolicyTag.Exempt, PolicyTag.ExemptReason, PolicyTag.Key]),
        ...notPrincipals([...pipeline, ...exemptionApprovers]),
      },
    },
    {
      Sid: 'PipelineRoles',
      Effect: 'Deny',
      Action: ROLE_CHANGES,
      Resource: pipeline,
      Condition: {
        ...notPrincipals([stackSetsExecutionRole(partition)]),
        // CloudFormation calls IAM with forward access sessions: aws:CalledVia names it.
        'ForAllValues:StringNotEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' },
      },
    },
  ];
};

const problemsOf = (options: GuardPolicyOptions): string[] => {
  const problems: string[] = [];
  if (!(PARTITIONS as readonly string[]).includes(options.partition)) {
    problems.push(`--partition must be one of ${PARTITIONS.join(', ')}, got "${options.partition}"`);
    return problems;
  }
  if (!ROLE_NAME.test(options.memberRoleName)) {
    problems.push(
      `--member-role-name "${options.memberRoleName}" is not an IAM role name of at most 55 characters (<name>-function must fit IAM's 64)`
    );
  }
  const pattern = principalPattern(options.partition);
  for (const [flag, list] of [
    ['--break-glass-roles', options.breakGlassRoles],
    ['--exemption-approvers', options.exemptionApprovers],
  ] as const) {
    const bad = list.find((arn) => !pattern.test(arn));
    if (bad !== undefined) {
      problems.push(
        `${flag} "${bad}" is not an IAM principal ARN pattern of partition ${options.partition} (arn:${options.partition}:iam::<account or *>:role/<name>)`
      );
    }
  }
  return problems;
};

const minify = (statementList: GuardStatement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statementList });

const characters = (count: number): string => count.toLocaleString('en-US');

/** What each list adds to the minified policy, for the message of a policy over the limit. */
const sizeProblem = (options: GuardPolicyOptions, size: number): string => {
  const without = (change: Partial<GuardPolicyOptions>) => minify(statements({ ...options, ...change })).length;
  const breakGlass = size - without({ breakGlassRoles: [] });
  const approvers = size - without({ exemptionApprovers: [] });
  return (
    `the policy is ${characters(size)} characters, over the SCP limit of ${characters(SCP_MAX_CHARACTERS)} by ` +
    `${characters(size - SCP_MAX_CHARACTERS)}: --break-glass-roles takes ${characters(breakGlass)} ` +
    `(${options.breakGlassRoles.length} patterns), --exemption-approvers ${characters(approvers)} ` +
    `(${options.exemptionApprovers.length} patterns), the rest ${characters(size - breakGlass - approvers)}; ` +
    'use fewer patterns (wildcards such as arn:aws:iam::*:role/BreakGlass*)'
  );
};

/**
 * The write guard's SCP: writes only to streams the pipeline tagged encrypted (or exempt), no StopStreamEncryption
 * while tagged, the guard tag set only by the pipeline and break-glass roles, the exemption and key tags only by the
 * pipeline and approvers, the pipeline's roles changed only by StackSets and CloudFormation. Reads are never denied.
 * @throws {GuardPolicyError} on bad options, or when the minified policy exceeds {@link SCP_MAX_CHARACTERS}
 */
export const guardPolicy = (options: GuardPolicyOptions): GuardPolicy => {
  const problems = problemsOf(options);
  if (problems.length > 0) throw new GuardPolicyError(problems.join('; '));
  const statementList = statements(options);
  const minified = minify(statementList);
  if (minified.length > SCP_MAX_CHARACTERS) throw new GuardPolicyError(sizeProblem(options, minified.length));
  return { policy: { Version: '2012-10-17', Statement: statementList }, minified };
};
