import { DEFAULT_MEMBER_ROLE_NAME, type GuardPolicyOptions, guardPolicy } from '../../../src/guard/guardPolicy';
import { type GuardDecision, simulateUnderGuard } from '../../helpers/simulateGuard';

// The generated SCP evaluated by @cloud-copilot/iam-simulate (a devDependency oracle, AGPL-3.0, never bundled), beside
// FullAWSAccess at the root and the account and an identity policy allowing everything: what is denied is denied by
// the guard. AWS behaviour relied on:
// - An SCP never grants; the account's principals get what every level's SCPs and their identity policies allow;
//   an explicit Deny wins ("Service control policies (SCPs)", effects on permissions,
//   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html#scp-effects-on-permissions).
// - Null "true" holds when the key is absent; negated operators (ArnNotLike, StringNotEquals…) hold when it is absent;
//   ForAnyValue fails on an absent multivalued key, ForAllValues holds ("IAM JSON policy elements: Condition
//   operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
// - aws:PrincipalArn of a role session is the role's ARN; aws:TagKeys lists the keys of the tagging request;
//   aws:CalledVia lists the services that called on the principal's behalf, CloudFormation among them
//   ("AWS global condition context keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
// - Kinesis writes take aws:ResourceTag/${TagKey}; its tagging calls and CreateStream take aws:TagKeys
//   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisdatastreams.html).

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const STREAM = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/orders`;
const CONSUMER = `${STREAM}/consumer/app:1700000000`;
const role = (name: string, partition = 'aws') => `arn:${partition}:iam::${ACCOUNT}:role/${name}`;

const OPTIONS: GuardPolicyOptions = {
  partition: 'aws',
  memberRoleName: DEFAULT_MEMBER_ROLE_NAME,
  breakGlassRoles: ['arn:aws:iam::*:role/BreakGlass*'],
  exemptionApprovers: [role('ExemptionApprover')],
  allowExemptions: true,
};
const POLICIES = {
  default: guardPolicy(OPTIONS).policy,
  noExemptions: guardPolicy({ ...OPTIONS, allowExemptions: false }).policy,
  china: guardPolicy({ ...OPTIONS, partition: 'aws-cn', breakGlassRoles: [], exemptionApprovers: [] }).policy,
};

const Who = {
  producer: role('orders-producer'),
  admin: role('AccountAdmin'),
  member: role(DEFAULT_MEMBER_ROLE_NAME),
  hub: role(`${DEFAULT_MEMBER_ROLE_NAME}-hub`),
  sweep: role(`${DEFAULT_MEMBER_ROLE_NAME}-sweep`),
  // The hub's function tags the hub account's own streams (deployment=org names its role <member>-function).
  function: role(`${DEFAULT_MEMBER_ROLE_NAME}-function`),
  lookalike: role(`${DEFAULT_MEMBER_ROLE_NAME}-copy`),
  breakGlass: role('BreakGlassOnCall'),
  approver: role('ExemptionApprover'),
  stackSets: role('stacksets-exec-0123456789abcdef0123456789abcdef'),
} as const;

const Tags = {
  none: {},
  guarded: { 'aws:ResourceTag/kinesis-auto-encrypt:encrypted': KEY_ARN },
  exempt: { 'aws:ResourceTag/kinesis-auto-encrypt:exempt': 'true' },
  exemptUpperCase: { 'aws:ResourceTag/kinesis-auto-encrypt:exempt': 'TRUE' },
  exemptFalse: { 'aws:ResourceTag/kinesis-auto-encrypt:exempt': 'false' },
} as const;

const tagKeys = (...keys: string[]) => ({ 'aws:TagKeys': keys });
const GUARD = 'kinesis-auto-encrypt:encrypted';
const EXEMPT = 'kinesis-auto-encrypt:exempt';
const REASON = 'kinesis-auto-encrypt:exempt-reason';
const KEY = 'kinesis-auto-encrypt:key';
const viaCloudFormation = { 'aws:CalledVia': ['cloudformation.amazonaws.com'] };

type Decision = GuardDecision;

interface Row {
  group: string;
  who: keyof typeof Who | string;
  action: string;
  resource?: string;
  context?: Record<string, string | string[]>;
  policy?: keyof typeof POLICIES;
  expected: Decision;
}

const ROWS: Row[] = [
  // Producers: writes need the guard tag, or an honoured exemption
  { group: 'write', who: 'producer', action: 'kinesis:PutRecord', context: Tags.none, expected: 'ExplicitlyDenied' },
  { group: 'write', who: 'producer', action: 'kinesis:PutRecords', context: Tags.none, expected: 'ExplicitlyDenied' },
  { group: 'write', who: 'admin', action: 'kinesis:PutRecord', context: Tags.none, expected: 'ExplicitlyDenied' },
  { group: 'write', who: 'producer', action: 'kinesis:PutRecord', context: Tags.guarded, expected: 'Allowed' },
  { group: 'write', who: 'producer', action: 'kinesis:PutRecords', context: Tags.guarded, expected: 'Allowed' },
  { group: 'write', who: 'producer', action: 'kinesis:PutRecord', context: Tags.exempt, expected: 'Allowed' },
  { group: 'write', who: 'producer', action: 'kinesis:PutRecords', context: Tags.exemptUpperCase, expected: 'Allowed' },
  {
    group: 'write',
    who: 'producer',
    action: 'kinesis:PutRecord',
    context: Tags.exemptFalse,
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'write',
    who: 'producer',
    action: 'kinesis:PutRecord',
    context: Tags.exempt,
    policy: 'noExemptions',
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'write',
    who: 'producer',
    action: 'kinesis:PutRecord',
    context: Tags.guarded,
    policy: 'noExemptions',
    expected: 'Allowed',
  },
  // The pipeline's roles write (the probe) before the tag exists; a role merely named alike does not
  { group: 'pipeline write', who: 'member', action: 'kinesis:PutRecord', context: Tags.none, expected: 'Allowed' },
  { group: 'pipeline write', who: 'hub', action: 'kinesis:PutRecord', context: Tags.none, expected: 'Allowed' },
  { group: 'pipeline write', who: 'sweep', action: 'kinesis:PutRecords', context: Tags.none, expected: 'Allowed' },
  {
    group: 'pipeline write',
    who: 'lookalike',
    action: 'kinesis:PutRecord',
    context: Tags.none,
    expected: 'ExplicitlyDenied',
  },
  // Reads are never blocked, tag or not
  { group: 'read', who: 'producer', action: 'kinesis:GetRecords', context: Tags.none, expected: 'Allowed' },
  { group: 'read', who: 'producer', action: 'kinesis:GetShardIterator', context: Tags.none, expected: 'Allowed' },
  { group: 'read', who: 'producer', action: 'kinesis:DescribeStreamSummary', context: Tags.none, expected: 'Allowed' },
  { group: 'read', who: 'producer', action: 'kinesis:DescribeStream', context: Tags.none, expected: 'Allowed' },
  { group: 'read', who: 'producer', action: 'kinesis:ListShards', context: Tags.none, expected: 'Allowed' },
  { group: 'read', who: 'producer', action: 'kinesis:ListTagsForStream', context: Tags.none, expected: 'Allowed' },
  {
    group: 'read',
    who: 'producer',
    action: 'kinesis:SubscribeToShard',
    resource: CONSUMER,
    context: Tags.none,
    expected: 'Allowed',
  },
  { group: 'read', who: 'producer', action: 'kinesis:ListStreams', resource: '*', expected: 'Allowed' },
  // StopStreamEncryption: nobody while the guard tag is on; break-glass removes the tag first
  {
    group: 'stop',
    who: 'producer',
    action: 'kinesis:StopStreamEncryption',
    context: Tags.guarded,
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'stop',
    who: 'breakGlass',
    action: 'kinesis:StopStreamEncryption',
    context: Tags.guarded,
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'stop',
    who: 'member',
    action: 'kinesis:StopStreamEncryption',
    context: Tags.guarded,
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'stop',
    who: 'breakGlass',
    action: 'kinesis:StopStreamEncryption',
    context: Tags.none,
    expected: 'Allowed',
  },
  // Not the guard's to refuse: an unguarded stream is the pipeline's to repair
  { group: 'stop', who: 'producer', action: 'kinesis:StopStreamEncryption', context: Tags.none, expected: 'Allowed' },
  // The guard tag: both tagging APIs and CreateStream; only the pipeline's roles and break-glass
  {
    group: 'guard tag',
    who: 'producer',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys(GUARD),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'guard tag',
    who: 'producer',
    action: 'kinesis:TagResource',
    context: tagKeys(GUARD),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'guard tag',
    who: 'admin',
    action: 'kinesis:RemoveTagsFromStream',
    context: tagKeys(GUARD),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'guard tag',
    who: 'admin',
    action: 'kinesis:UntagResource',
    context: tagKeys(GUARD),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'guard tag',
    who: 'producer',
    action: 'kinesis:CreateStream',
    context: tagKeys('team', GUARD),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'guard tag',
    who: 'producer',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys('Kinesis-Auto-Encrypt:Encrypted'),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'guard tag',
    who: 'approver',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys(GUARD),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'guard tag',
    who: 'member',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys(GUARD),
    expected: 'Allowed',
  },
  { group: 'guard tag', who: 'member', action: 'kinesis:TagResource', context: tagKeys(GUARD), expected: 'Allowed' },
  {
    group: 'guard tag',
    who: 'hub',
    action: 'kinesis:RemoveTagsFromStream',
    context: tagKeys(GUARD),
    expected: 'Allowed',
  },
  { group: 'guard tag', who: 'sweep', action: 'kinesis:UntagResource', context: tagKeys(GUARD), expected: 'Allowed' },
  {
    group: 'guard tag',
    who: 'function',
    action: 'kinesis:AddTagsToStream',
    context: { ...Tags.none, ...tagKeys(GUARD) },
    expected: 'Allowed',
  },
  {
    group: 'guard tag',
    who: 'function',
    action: 'kinesis:RemoveTagsFromStream',
    context: tagKeys(GUARD),
    expected: 'Allowed',
  },
  {
    group: 'guard tag',
    who: 'breakGlass',
    action: 'kinesis:RemoveTagsFromStream',
    context: tagKeys(GUARD),
    expected: 'Allowed',
  },
  {
    group: 'guard tag',
    who: 'breakGlass',
    action: 'kinesis:UntagResource',
    context: tagKeys(GUARD),
    expected: 'Allowed',
  },
  // Other tags stay anyone's
  {
    group: 'other tags',
    who: 'producer',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys('team'),
    expected: 'Allowed',
  },
  {
    group: 'other tags',
    who: 'producer',
    action: 'kinesis:CreateStream',
    context: tagKeys('team'),
    expected: 'Allowed',
  },
  { group: 'other tags', who: 'producer', action: 'kinesis:CreateStream', expected: 'Allowed' },
  // Exemption and key tags: only approvers and the pipeline's roles
  {
    group: 'exemption tags',
    who: 'producer',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys(EXEMPT),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'exemption tags',
    who: 'producer',
    action: 'kinesis:TagResource',
    context: tagKeys(REASON),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'exemption tags',
    who: 'producer',
    action: 'kinesis:RemoveTagsFromStream',
    context: tagKeys(KEY),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'exemption tags',
    who: 'producer',
    action: 'kinesis:UntagResource',
    context: tagKeys(EXEMPT),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'exemption tags',
    who: 'producer',
    action: 'kinesis:CreateStream',
    context: tagKeys(EXEMPT, REASON),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'exemption tags',
    who: 'breakGlass',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys(EXEMPT),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'exemption tags',
    who: 'approver',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys(EXEMPT, REASON),
    expected: 'Allowed',
  },
  {
    group: 'exemption tags',
    who: 'approver',
    action: 'kinesis:UntagResource',
    context: tagKeys(EXEMPT),
    expected: 'Allowed',
  },
  {
    group: 'exemption tags',
    who: 'approver',
    action: 'kinesis:CreateStream',
    context: tagKeys(KEY),
    expected: 'Allowed',
  },
  {
    group: 'exemption tags',
    who: 'approver',
    action: 'kinesis:CreateStream',
    context: tagKeys(EXEMPT, GUARD),
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'exemption tags',
    who: 'member',
    action: 'kinesis:AddTagsToStream',
    context: tagKeys(KEY),
    expected: 'Allowed',
  },
  // The pipeline's roles: an admin cannot change them; StackSets and CloudFormation can
  {
    group: 'pipeline roles',
    who: 'admin',
    action: 'iam:UpdateAssumeRolePolicy',
    resource: Who.member,
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'pipeline roles',
    who: 'admin',
    action: 'iam:PutRolePolicy',
    resource: Who.member,
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'pipeline roles',
    who: 'admin',
    action: 'iam:AttachRolePolicy',
    resource: Who.hub,
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'pipeline roles',
    who: 'admin',
    action: 'iam:DeleteRole',
    resource: Who.sweep,
    expected: 'ExplicitlyDenied',
  },
  { group: 'pipeline roles', who: 'admin', action: 'iam:CreateRole', resource: Who.hub, expected: 'ExplicitlyDenied' },
  {
    group: 'pipeline roles',
    who: 'admin',
    action: 'iam:UpdateAssumeRolePolicy',
    resource: Who.function,
    expected: 'ExplicitlyDenied',
  },
  { group: 'pipeline roles', who: 'admin', action: 'iam:TagRole', resource: Who.member, expected: 'ExplicitlyDenied' },
  {
    group: 'pipeline roles',
    who: 'admin',
    action: 'iam:PutRolePolicy',
    resource: Who.member,
    context: { 'aws:CalledVia': ['athena.amazonaws.com'] },
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'pipeline roles',
    who: 'stackSets',
    action: 'iam:UpdateAssumeRolePolicy',
    resource: Who.member,
    expected: 'Allowed',
  },
  { group: 'pipeline roles', who: 'stackSets', action: 'iam:DeleteRole', resource: Who.member, expected: 'Allowed' },
  {
    group: 'pipeline roles',
    who: 'admin',
    action: 'iam:PutRolePolicy',
    resource: Who.hub,
    context: viaCloudFormation,
    expected: 'Allowed',
  },
  { group: 'pipeline roles', who: 'admin', action: 'iam:GetRole', resource: Who.member, expected: 'Allowed' },
  { group: 'pipeline roles', who: 'admin', action: 'iam:PutRolePolicy', resource: Who.producer, expected: 'Allowed' },
  // Another partition: the same guard with that partition's ARNs
  {
    group: 'aws-cn',
    who: role('orders-producer', 'aws-cn'),
    action: 'kinesis:PutRecord',
    resource: STREAM.replace(':aws:', ':aws-cn:'),
    context: Tags.none,
    policy: 'china',
    expected: 'ExplicitlyDenied',
  },
  {
    group: 'aws-cn',
    who: role(DEFAULT_MEMBER_ROLE_NAME, 'aws-cn'),
    action: 'kinesis:PutRecord',
    resource: STREAM.replace(':aws:', ':aws-cn:'),
    context: Tags.none,
    policy: 'china',
    expected: 'Allowed',
  },
];

/** iam-simulate's decision for `row`: FullAWSAccess at the root, FullAWSAccess and the guard on the account. */
const decide = async (row: Row, guard: unknown = POLICIES[row.policy ?? 'default']): Promise<Decision> => {
  const principal = row.who in Who ? Who[row.who as keyof typeof Who] : row.who;
  return simulateUnderGuard(
    { principal, action: row.action, resource: row.resource ?? STREAM, account: ACCOUNT, context: row.context },
    guard
  );
};

/** `group: who action on resource [context] → expected`, short. */
const titleOf = (row: Row): string => {
  const on = row.resource === undefined ? '' : ` on ${row.resource.split(/[:/]/).slice(-1)[0]}`;
  const context = Object.entries(row.context ?? {}).map(([key, value]) => {
    const shown = Array.isArray(value) ? value.join('+') : value === KEY_ARN ? '<key ARN>' : value;
    return `${key.replace('aws:ResourceTag/', 'tag ')}=${shown}`;
  });
  const policy = row.policy === undefined ? '' : ` (${row.policy})`;
  return `${row.group}${policy}: ${row.who.split('/').slice(-1)[0]} ${row.action}${on} [${context.join(', ')}] → ${row.expected}`;
};

describe('the write guard SCP evaluated by iam-simulate', () => {
  it.each(ROWS.map((row) => [titleOf(row), row] as const))('%s', async (_title, row) => {
    // Act
    const decision = await decide(row);

    // Assess
    expect(decision).toBe(row.expected);
  });

  it('denies nothing without the guard (the table is the SCP’s doing, not the setup’s)', async () => {
    // Prepare
    const empty = { Version: '2012-10-17', Statement: [] };

    // Act
    const decisions = await Promise.all(ROWS.map((row) => decide(row, empty)));

    // Assess
    expect(new Set(decisions)).toEqual(new Set(['Allowed']));
  });
});
