import { type KeyPolicyContext, keyPolicyVerdict } from '../../../src/keyPolicy/keyPolicyVerdict';
import { anyPrincipalOf, iamSimulateKeyPolicy } from '../../helpers/iamSimulateKeyPolicy';
import {
  ACCOUNT,
  consumers,
  context,
  EC,
  KEY_ARN,
  KINESIS,
  producers,
  role,
  streamArn,
} from '../../helpers/keyPolicyFixture';

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
// - Kinesis calls KMS with the encryption context {"aws:kinesis:arn": <stream ARN>} and recommends conditions on
//   kms:EncryptionContext:aws:kinesis:arn ("Kinesis Data Streams encryption context",
//   https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html#sse-kms-encryption-context);
//   kms:EncryptionContextKeys is multivalued ("AWS KMS condition keys",
//   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys).
// - A role as principal covers its sessions; users, roles and role sessions of the account may be named ("AWS JSON
//   policy elements: Principal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
//
// Which principal the oracle asks about (iam-simulate evaluates one concrete principal per request): by default a
// role of the account that no policy names (anyPrincipalOf), which stands for every principal reached through the
// account root, the account id or "*"; where a policy names principals of the account (Principal, NotPrincipal, an
// aws:PrincipalArn condition), the `candidates` column adds them — the named role or user, a role session as named,
// and for an aws:PrincipalArn pattern one role it matches (`role/ingest-*` → `role/ingest-any`). An action passes when
// one candidate may call it: "can some principal of the account", not "can every principal".
const OTHER = '999988887777';
const foreignKey: KeyPolicyContext = { ...context, keyArn: KEY_ARN.replace(ACCOUNT, OTHER) };
const payments1: KeyPolicyContext = { ...context, streamArn: streamArn('payments-1') };
const PAYMENTS = `arn:aws:kinesis:*:${ACCOUNT}:stream/payments-*`;
const ANY = anyPrincipalOf(context);
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

/** Who else the oracle asks about (besides {@link ANY}), and the stream's context when not `orders`. */
interface Row {
  candidates?: string[];
  context?: KeyPolicyContext;
}

const CASES: [string, string, boolean, Row?][] = [
  ['the programmatic default key policy', policy(root()), true],
  ['the console default key policy', consoleDefault, true],
  [
    'a key-users statement for one role only',
    policy(JSON.parse(consoleDefault).Statement[2]),
    true,
    { candidates: [role('ingest')] },
  ],
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
    true,
    { candidates: [role('ingest-any')] },
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
    true,
    { candidates: [role('Admin')] },
  ],
  [
    'a Deny of Decrypt to all but an admin role, which no Allow reaches',
    policy(
      anyone({ StringEquals: { 'kms:CallerAccount': ACCOUNT }, ArnNotEquals: { 'aws:PrincipalArn': role('Admin') } }),
      deny({ ArnNotEquals: { 'aws:PrincipalArn': role('Admin') } }, 'kms:Decrypt')
    ),
    false,
    { candidates: [role('Admin')] },
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
    'a condition on the encryption context (any stream of the account)',
    policy(anyone({ StringLike: { [EC]: `arn:aws:kinesis:*:${ACCOUNT}:stream/*` } })),
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
    true,
    { candidates: [`arn:aws:iam::${ACCOUNT}:user/alice`] },
  ],
  [
    'a Deny to the account root through Kinesis',
    policy(root(), { ...deny({ StringEquals: { 'kms:ViaService': KINESIS } }), Principal: { AWS: ACCOUNT } }),
    false,
  ],
  // The role is not a candidate here: NotPrincipal without the role's account denies the account, and with it the
  // role (AWS JSON policy elements: NotPrincipal); iam-simulate exempts the role, see keyPolicyVerdict.test.ts.
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
    true,
    { candidates: [`arn:aws:sts::${ACCOUNT}:assumed-role/ingest/s1`] },
  ],
  ['a statement without Resource', policy({ ...root(), Resource: undefined }), true],
  [
    'a cross-account grant to the stream account root',
    policy(root(OTHER), root(ACCOUNT)),
    true,
    { context: foreignKey },
  ],
  ['a key of another account granting only itself', policy(root(OTHER)), false, { context: foreignKey }],
  [
    'a key of another account granting the stream account through Kinesis',
    policy(root(OTHER), anyone({ StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': KINESIS } })),
    true,
    { context: foreignKey },
  ],
];

// Issue 20: the request Kinesis makes for this stream (encryption context), and "some principal of the account".
const producer = role('producer');
const consumer = role('consumer');
const leastPrivilege = (...more: unknown[]) => policy(producers, consumers, ...more);
const exceptFor = (principals: string[], condition?: unknown) => ({
  ...deny(condition),
  Principal: undefined,
  NotPrincipal: { AWS: principals },
});
const paymentsProducers = policy(
  {
    ...root(),
    Sid: 'Payments producers',
    Action: 'kms:GenerateDataKey',
    Condition: { StringLike: { [EC]: PAYMENTS } },
  },
  { ...root(), Sid: 'Consumers', Action: 'kms:Decrypt' }
);
const keys = (operator: string, values: unknown) => ({ [operator]: { 'kms:EncryptionContextKeys': values } });
const bothRoles = { candidates: [producer, consumer] };

const STREAM_CASES: [string, string, boolean, Row?][] = [
  ['GenerateDataKey for payments-* only, stream orders', paymentsProducers, false],
  ['GenerateDataKey for payments-* only, stream payments-1', paymentsProducers, true, { context: payments1 }],
  ['StringLike on payments-*, stream orders', policy(anyone({ StringLike: { [EC]: PAYMENTS } })), false],
  [
    'StringLike on payments-*, stream payments-1',
    policy(anyone({ StringLike: { [EC]: PAYMENTS } })),
    true,
    { context: payments1 },
  ],
  ['ArnLike on payments-*, stream orders', policy(anyone({ ArnLike: { [EC]: streamArn('payments-*') } })), false],
  [
    'ArnLike on payments-*, stream payments-1',
    policy(anyone({ ArnLike: { [EC]: streamArn('payments-*') } })),
    true,
    { context: payments1 },
  ],
  ['StringEquals on the stream itself', policy(anyone({ StringEquals: { [EC]: streamArn('orders') } })), true],
  [
    'StringEqualsIfExists on another stream',
    policy(anyone({ StringEqualsIfExists: { [EC]: streamArn('payments-1') } })),
    false,
  ],
  ['StringNotLike payments-* (Allow), stream orders', policy(anyone({ StringNotLike: { [EC]: PAYMENTS } })), true],
  [
    'StringNotLike payments-* (Allow), stream payments-1',
    policy(anyone({ StringNotLike: { [EC]: PAYMENTS } })),
    false,
    { context: payments1 },
  ],
  [
    'a Deny of all streams but payments-* (StringNotLike), stream orders',
    policy(root(), deny({ StringNotLike: { [EC]: PAYMENTS } })),
    false,
  ],
  [
    'a Deny of all streams but payments-* (StringNotLike), stream payments-1',
    policy(root(), deny({ StringNotLike: { [EC]: PAYMENTS } })),
    true,
    { context: payments1 },
  ],
  [
    'a Deny of all streams but payments-* (ArnNotLike), stream orders',
    policy(root(), deny({ ArnNotLike: { [EC]: streamArn('payments-*') } })),
    false,
  ],
  [
    'a Deny of payments-* streams (StringLike), stream orders',
    policy(root(), deny({ StringLike: { [EC]: PAYMENTS } })),
    true,
  ],
  [
    'a Deny of payments-* streams (StringLike), stream payments-1',
    policy(root(), deny({ StringLike: { [EC]: PAYMENTS } })),
    false,
    { context: payments1 },
  ],
  ['a Deny of requests without the stream context (Null)', policy(root(), deny({ Null: { [EC]: 'true' } })), true],
  [
    'ForAnyValue:StringEquals kms:EncryptionContextKeys aws:kinesis:arn',
    policy(anyone(keys('ForAnyValue:StringEquals', 'aws:kinesis:arn'))),
    true,
  ],
  [
    'ForAnyValue:StringEquals kms:EncryptionContextKeys aws:s3:arn',
    policy(anyone(keys('ForAnyValue:StringEquals', 'aws:s3:arn'))),
    false,
  ],
  [
    'ForAllValues:StringEquals kms:EncryptionContextKeys aws:kinesis:arn',
    policy(anyone(keys('ForAllValues:StringEquals', ['aws:kinesis:arn']))),
    true,
  ],
  [
    'ForAllValues:StringEquals kms:EncryptionContextKeys aws:s3:arn',
    policy(anyone(keys('ForAllValues:StringEquals', 'aws:s3:arn'))),
    false,
  ],
  [
    'ForAllValues:StringLike kms:EncryptionContextKeys aws:*',
    policy(anyone(keys('ForAllValues:StringLike', 'aws:*'))),
    true,
  ],
  [
    'StringEquals on kms:EncryptionContextKeys (no set operator)',
    policy(anyone(keys('StringEquals', 'aws:kinesis:arn'))),
    false,
  ],
  [
    'a Deny of other context keys (ForAnyValue:StringNotEquals kms:EncryptionContextKeys)',
    policy(root(), deny(keys('ForAnyValue:StringNotEquals', 'aws:kinesis:arn'))),
    true,
  ],
  [
    'a Deny of Kinesis context keys (ForAnyValue:StringEquals kms:EncryptionContextKeys)',
    policy(root(), deny(keys('ForAnyValue:StringEquals', 'aws:kinesis:arn'))),
    false,
  ],
  [
    'a context key Kinesis does not send',
    policy(anyone({ StringEquals: { 'kms:EncryptionContext:department': 'payments' } })),
    false,
  ],
  [
    'Null on a context key Kinesis does not send',
    policy(anyone({ Null: { 'kms:EncryptionContext:department': 'true' } })),
    true,
  ],
  ['least privilege: named producer and consumer roles through Kinesis', leastPrivilege(), true, bothRoles],
  ['named producer role without a consumer', policy(producers), false, { candidates: [producer] }],
  [
    'named roles of another account',
    policy({ ...producers, Principal: { AWS: `arn:aws:iam::${OTHER}:role/producer` } }, consumers),
    false,
    { candidates: [consumer] },
  ],
  [
    'Principal "*" limited to the producer role by aws:PrincipalArn',
    policy(anyone({ ArnEquals: { 'aws:PrincipalArn': producer }, StringEquals: { 'kms:ViaService': KINESIS } })),
    true,
    { candidates: [producer] },
  ],
  [
    'least privilege and a Deny to all but both roles and their account (NotPrincipal)',
    leastPrivilege(exceptFor([producer, consumer, `arn:aws:iam::${ACCOUNT}:root`])),
    true,
    bothRoles,
  ],
  [
    'least privilege and a Deny to all but the producer and the account (NotPrincipal names the account)',
    leastPrivilege(exceptFor([producer, `arn:aws:iam::${ACCOUNT}:root`])),
    true,
    bothRoles,
  ],
  [
    'a Deny of other streams to all but an admin role and its account (NotPrincipal, context)',
    policy(root(), exceptFor([role('Admin'), `arn:aws:iam::${ACCOUNT}:root`], { StringNotLike: { [EC]: PAYMENTS } })),
    true,
    { candidates: [role('Admin')] },
  ],
  [
    'least privilege and a Deny of payments-* to the producer, stream orders',
    leastPrivilege({
      ...deny({ StringLike: { [EC]: PAYMENTS } }, 'kms:GenerateDataKey'),
      Principal: { AWS: producer },
    }),
    true,
    bothRoles,
  ],
  [
    'least privilege and a Deny of payments-* to the producer, stream payments-1',
    leastPrivilege({
      ...deny({ StringLike: { [EC]: PAYMENTS } }, 'kms:GenerateDataKey'),
      Principal: { AWS: producer },
    }),
    false,
    { ...bothRoles, context: payments1 },
  ],
];

describe('keyPolicyVerdict against the iam-simulate oracle', () => {
  it.each([...CASES, ...STREAM_CASES])('agrees on %s', async (_label, keyPolicy, usable, row: Row = {}) => {
    // Prepare
    const keyContext = row.context ?? context;

    // Act
    const verdict = keyPolicyVerdict(keyPolicy, keyContext);
    const oracle = await iamSimulateKeyPolicy(keyPolicy, keyContext, [ANY, ...(row.candidates ?? [])]);

    // Assess
    expect({ production: verdict.usable, oracle: oracle.usable }).toEqual({ production: usable, oracle: usable });
  });
});
