import { type KeyPolicyContext, keyPolicyVerdict } from '../../../src/keyPolicy/keyPolicyVerdict';
import { iamSimulateKeyPolicy } from '../../helpers/iamSimulateKeyPolicy';

// Differential test: the production evaluator against @cloud-copilot/iam-simulate (a devDependency
// oracle, AGPL-3.0, never bundled), each row also pinned to the verdict AWS documents. Where the two
// differ by design (Allow with NotPrincipal, operators not evaluated, principals of another partition)
// the cases are in keyPolicyVerdict.test.ts.
// AWS behaviour relied on:
// - Default key policy: the account root with kms:* lets IAM policies of the account allow use of the key;
//   the console adds key administrators, key users and "Allow attachment of persistent resources" ("Default
//   key policy", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
// - kms:ViaService is `<service>.<region>.amazonaws.com` when an AWS service calls KMS for a principal;
//   kms:CallerAccount is the caller's account; AWS managed keys grant Principal "*" under both ("AWS KMS
//   condition keys", https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
//   and #conditions-kms-caller-account).
// - Producers need kms:GenerateDataKey, consumers kms:Decrypt ("Permissions to use user-generated KMS keys",
//   https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
// - An explicit Deny overrides any Allow; without an Allow the request is implicitly denied ("Policy evaluation
//   logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
// - A key absent from the request context fails a condition, except negated operators, ...IfExists and Null;
//   ForAllValues holds when the key is absent, ForAnyValue does not ("IAM JSON policy elements: Condition
//   operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html;
//   "Single-valued vs. multivalued context keys",
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
// - ArnLike/ArnEquals match each of the six colon-delimited ARN parts with wildcards (same page, ARN operators).
// - A key of another account must grant the caller's account ("Allowing users in other accounts to use a KMS key",
//   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
const ACCOUNT = '111122223333';
const OTHER = '999988887777';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const context: KeyPolicyContext = { account: ACCOUNT, region: 'eu-west-1', partition: 'aws', keyArn: KEY_ARN };
const foreignKey: KeyPolicyContext = { ...context, keyArn: KEY_ARN.replace(ACCOUNT, OTHER) };
const KINESIS = 'kinesis.eu-west-1.amazonaws.com';
const USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const root = (account = ACCOUNT) => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});
const anyone = (condition: unknown, action: unknown = USE) => ({
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: action,
  Resource: '*',
  Condition: condition,
});
const deny = (condition?: unknown, action: unknown = 'kms:*') => ({
  Sid: 'Guard',
  Effect: 'Deny',
  Principal: '*',
  Action: action,
  Resource: '*',
  ...(condition === undefined ? {} : { Condition: condition }),
});
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const managedKey = (viaService: string, callerAccount = ACCOUNT) =>
  policy(anyone({ StringEquals: { 'kms:CallerAccount': callerAccount, 'kms:ViaService': viaService } }), {
    ...root(),
    Sid: 'Allow direct access to key metadata',
    Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
  });
const consoleDefault = policy(
  root(),
  { Effect: 'Allow', Principal: { AWS: role('KeyAdmin') }, Action: ['kms:Create*', 'kms:Put*'], Resource: '*' },
  { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: role('ingest') }, Action: USE, Resource: '*' },
  {
    Sid: 'Allow attachment of persistent resources',
    Effect: 'Allow',
    Principal: { AWS: role('ingest') },
    Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
    Resource: '*',
    Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  }
);

const CASES: [string, string, boolean, KeyPolicyContext?][] = [
  ['the programmatic default key policy', policy(root()), true],
  ['the console default key policy', consoleDefault, true],
  ['a key-users statement for one role only', policy(JSON.parse(consoleDefault).Statement[2]), false],
  ['the AWS managed key style (Principal "*", CallerAccount, ViaService kinesis)', managedKey(KINESIS), true],
  ['the AWS managed key style for S3', managedKey('s3.eu-west-1.amazonaws.com'), false],
  ['ViaService kinesis of another region', managedKey('kinesis.us-east-1.amazonaws.com'), false],
  ['CallerAccount of another account', managedKey(KINESIS, OTHER), false],
  [
    'Principal "*" limited by kms:CallerAccount only',
    policy(anyone({ StringEquals: { 'kms:CallerAccount': ACCOUNT } })),
    true,
  ],
  [
    'Principal "*" limited by aws:PrincipalAccount',
    policy(anyone({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT } })),
    true,
  ],
  [
    'Principal "*" without a condition',
    policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }),
    true,
  ],
  [
    'a Deny through Kinesis (StringLike)',
    policy(root(), deny({ StringLike: { 'kms:ViaService': 'kinesis.*.amazonaws.com' } })),
    false,
  ],
  ['an unconditional Deny of Decrypt', policy(root(), deny(undefined, 'kms:Decrypt')), false],
  [
    'a Deny of other accounts (StringNotEquals CallerAccount)',
    policy(root(), deny({ StringNotEquals: { 'kms:CallerAccount': ACCOUNT } })),
    true,
  ],
  [
    'a Deny outside Kinesis and S3 (StringNotLike)',
    policy(root(), deny({ StringNotLike: { 'kms:ViaService': ['kinesis.*', 's3.*'] } })),
    true,
  ],
  [
    'a Deny outside S3 (StringNotEquals ViaService)',
    policy(root(), deny({ StringNotEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } })),
    false,
  ],
  [
    'an Allow with NotAction excluding Decrypt',
    policy({ ...root(), Action: undefined, NotAction: 'kms:Decrypt' }),
    false,
  ],
  [
    'an Allow with NotAction excluding deletion',
    policy({ ...root(), Action: undefined, NotAction: ['kms:ScheduleKeyDeletion', 'kms:Delete*'] }),
    true,
  ],
  [
    'a Deny with NotAction sparing data-key use',
    policy(root(), { ...deny(), Action: undefined, NotAction: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    true,
  ],
  [
    'a Deny with NotAction sparing Decrypt only',
    policy(root(), { ...deny(), Action: undefined, NotAction: 'kms:Decrypt' }),
    false,
  ],
  [
    'StringLike ViaService kinesis.*',
    policy(anyone({ StringLike: { 'kms:ViaService': 'kinesis.*.amazonaws.com', 'kms:CallerAccount': ACCOUNT } })),
    true,
  ],
  [
    'StringLike ViaService firehose.*',
    policy(anyone({ StringLike: { 'kms:ViaService': 'firehose.*.amazonaws.com' } })),
    false,
  ],
  [
    'ForAnyValue:StringEquals on ViaService',
    policy(anyone({ 'ForAnyValue:StringEquals': { 'kms:ViaService': [KINESIS, 's3.eu-west-1.amazonaws.com'] } })),
    true,
  ],
  [
    'ForAnyValue:StringLike on another service',
    policy(anyone({ 'ForAnyValue:StringLike': { 'kms:ViaService': 's3.*' } })),
    false,
  ],
  [
    'ForAllValues:StringEquals on absent aws:SourceAccount',
    policy(anyone({ 'ForAllValues:StringEquals': { 'aws:SourceAccount': OTHER } })),
    true,
  ],
  [
    'StringEqualsIfExists on absent aws:SourceAccount',
    policy(anyone({ StringEqualsIfExists: { 'aws:SourceAccount': OTHER } })),
    true,
  ],
  [
    'StringEqualsIfExists on ViaService kinesis',
    policy(anyone({ StringEqualsIfExists: { 'kms:ViaService': KINESIS } })),
    true,
  ],
  [
    'StringEqualsIfExists on ViaService S3',
    policy(anyone({ StringEqualsIfExists: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } })),
    false,
  ],
  [
    'StringEquals on absent aws:SourceAccount',
    policy(anyone({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
    false,
  ],
  ['Null aws:SourceAccount "true"', policy(anyone({ Null: { 'aws:SourceAccount': 'true' } })), true],
  ['Null aws:SourceAccount "false"', policy(anyone({ Null: { 'aws:SourceAccount': 'false' } })), false],
  [
    'StringEqualsIgnoreCase on ViaService',
    policy(anyone({ StringEqualsIgnoreCase: { 'kms:ViaService': KINESIS.toUpperCase() } })),
    true,
  ],
  [
    'ArnLike aws:PrincipalArn on every role of the account',
    policy(anyone({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } })),
    true,
  ],
  [
    'ArnLike aws:PrincipalArn on some roles',
    policy(anyone({ ArnLike: { 'aws:PrincipalArn': role('ingest-*') } })),
    false,
  ],
  [
    'ArnLike aws:PrincipalArn with a wildcard account part',
    policy(anyone({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } })),
    true,
  ],
  [
    'ArnLike aws:PrincipalArn "*" (not an ARN pattern)',
    policy(anyone({ ArnLike: { 'aws:PrincipalArn': '*' } })),
    false,
  ],
  [
    'a Deny of Decrypt to all but an admin role (ArnNotEquals)',
    policy(root(), deny({ ArnNotEquals: { 'aws:PrincipalArn': role('Admin') } }, 'kms:Decrypt')),
    false,
  ],
  [
    'a Deny to principals of other accounts (ArnNotLike)',
    policy(root(), deny({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:*` } })),
    true,
  ],
  [
    'a condition with one failing key',
    policy(anyone({ StringEquals: { 'kms:CallerAccount': ACCOUNT, 'aws:PrincipalAccount': OTHER } })),
    false,
  ],
  ['Resource naming the key', policy({ ...root(), Resource: KEY_ARN }), true],
  ['Resource naming another key', policy({ ...root(), Resource: KEY_ARN.replace('1234abcd', 'ffffffff') }), false],
  ['Resource with a wildcard', policy({ ...root(), Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*` }), true],
  [
    'NotResource naming another key',
    policy({ ...root(), Resource: undefined, NotResource: KEY_ARN.replace('1234abcd', 'ffffffff') }),
    true,
  ],
  [
    'Action wildcards kms:Generate* and kms:Decrypt',
    policy({ ...root(), Action: ['kms:Generate*', 'kms:Decrypt'] }),
    true,
  ],
  ['Action "*"', policy({ ...root(), Action: '*' }), true],
  ['Action in other letter case', policy({ ...root(), Action: ['KMS:generatedatakey', 'kms:DECRYPT'] }), true],
  [
    'a condition on the encryption context (not known)',
    policy(
      anyone({ StringLike: { 'kms:EncryptionContext:aws:kinesis:arn': `arn:aws:kinesis:*:${ACCOUNT}:stream/*` } })
    ),
    true,
  ],
  [
    'a condition on aws:PrincipalOrgID (not known)',
    policy(anyone({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })),
    true,
  ],
  [
    'a Deny outside the organization (not known)',
    policy(root(), deny({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })),
    true,
  ],
  [
    'a service principal only',
    policy({ Effect: 'Allow', Principal: { Service: 'kinesis.amazonaws.com' }, Action: 'kms:*', Resource: '*' }),
    false,
  ],
  ['a single statement object', JSON.stringify({ Version: '2012-10-17', Statement: root() }), true],
  ['the account id among other principals', policy({ ...root(), Principal: { AWS: [OTHER, ACCOUNT] } }), true],
  [
    'one IAM user of the account',
    policy({ ...root(), Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` } }),
    false,
  ],
  [
    'a Deny to the account root through Kinesis',
    policy(root(), { ...deny({ StringEquals: { 'kms:ViaService': KINESIS } }), Principal: { AWS: ACCOUNT } }),
    false,
  ],
  [
    'a Deny to all but one role (NotPrincipal)',
    policy(root(), { ...deny(), Principal: undefined, NotPrincipal: { AWS: role('Admin') } }),
    false,
  ],
  [
    'a Deny to all but the account (NotPrincipal root)',
    policy(root(), { ...deny(), Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
    true,
  ],
  ['a Deny to one role of the account only', policy(root(), { ...deny(), Principal: { AWS: role('Intern') } }), true],
  [
    'a grant to one assumed-role session',
    policy({ ...root(), Principal: { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/ingest/s1` } }),
    false,
  ],
  ['a statement without Resource', policy({ ...root(), Resource: undefined }), true],
  ['a cross-account grant to the stream account root', policy(root(OTHER), root(ACCOUNT)), true, foreignKey],
  ['a key of another account granting only itself', policy(root(OTHER)), false, foreignKey],
  [
    'a key of another account granting the stream account through Kinesis',
    policy(root(OTHER), anyone({ StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': KINESIS } })),
    true,
    foreignKey,
  ],
];

describe('keyPolicyVerdict against the iam-simulate oracle', () => {
  it.each(CASES)('agrees on %s', async (_label, keyPolicy, usable, keyContext = context) => {
    // Act
    const verdict = keyPolicyVerdict(keyPolicy, keyContext);
    const oracle = await iamSimulateKeyPolicy(keyPolicy, keyContext);

    // Assess
    expect({ production: verdict.usable, oracle: oracle.usable }).toEqual({ production: usable, oracle: usable });
  });
});
