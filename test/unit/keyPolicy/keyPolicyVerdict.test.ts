import { type KeyPolicyContext, keyPolicyVerdict } from '../../../src/keyPolicy/keyPolicyVerdict';
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

// AWS behaviour relied on:
// - Default key policy: one statement "Enable IAM User Permissions" granting the account root kms:*, which lets
//   IAM policies of the account allow use of the key ("Default key policy", AWS KMS Developer Guide,
//   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
// - kms:ViaService limits a statement to requests an AWS service makes on the principal's behalf, value
//   `<service>.<region>.amazonaws.com` ("AWS KMS condition keys", kms:ViaService,
//   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
// - Producers need kms:GenerateDataKey, consumers kms:Decrypt; Kinesis passes the encryption context
//   `aws:kinesis:arn` = stream ARN ("Permissions to use user-generated KMS keys", Kinesis Data Streams,
//   https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
// - A key of another account needs its key policy to grant the caller's account ("Allowing users in other
//   accounts to use a KMS key", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
// - "Kinesis Data Streams uses the stream ARN as the encryption context in all AWS KMS calls" and recommends
//   kms:EncryptionContext:aws:kinesis:arn to limit a key to the requests for given streams ("Kinesis Data Streams
//   encryption context", https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html#sse-kms-encryption-context).
// - kms:EncryptionContext:<context-key> is a single-valued key (its key name is not case-sensitive);
//   kms:EncryptionContextKeys is multivalued: with ForAnyValue / ForAllValues ("AWS KMS condition keys",
//   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context and
//   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys;
//   "Single-valued vs. multivalued context keys",
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
// - A key policy may name IAM roles, users and role sessions of the account as principals; a role as principal
//   covers its sessions ("AWS JSON policy elements: Principal",
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html); the least-privilege
//   key policy names the producers' and consumers' roles ("Allows key users to use the KMS key", Default key policy,
//   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-users).
// - NotPrincipal with Deny exempts a principal only together with its account ("AWS JSON policy elements:
//   NotPrincipal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
const forStream = (name: string): KeyPolicyContext => ({ ...context, streamArn: streamArn(name) });
type Condition = Record<string, Record<string, unknown>>;
/** Adds operators and keys to a statement's Condition block (operators present in both are merged). */
const withCondition = (statement: object, extra: Condition): object => {
  const condition: Condition = { ...(statement as { Condition?: Condition }).Condition };
  for (const [operator, keys] of Object.entries(extra)) condition[operator] = { ...condition[operator], ...keys };
  return { ...statement, Condition: condition };
};

const enableIamPolicies = (account = ACCOUNT, partition = 'aws') => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:${partition}:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});
const policy = (...statements: unknown[]) =>
  JSON.stringify({ Version: '2012-10-17', Id: 'key-policy', Statement: statements });
const viaService = (service: string, actions: string[] = ['kms:GenerateDataKey*', 'kms:Decrypt']) => ({
  Sid: `Allow access through ${service}`,
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: actions,
  Resource: '*',
  Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `${service}.eu-west-1.amazonaws.com` } },
});
const roleOnly = {
  Sid: 'Allow use of the key',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ingest-service` },
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
  Resource: '*',
};
const keyAdmins = {
  Sid: 'Allow access for Key Administrators',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` },
  Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*'],
  Resource: '*',
};

describe('keyPolicyVerdict', () => {
  it.each([
    [
      'the default key policy (account root, IAM policies enabled)',
      policy(enableIamPolicies()),
      /"Enable IAM User Permissions"/,
    ],
    [
      'the console default key policy',
      policy(enableIamPolicies(), keyAdmins, roleOnly),
      /"Enable IAM User Permissions"/,
    ],
    [
      'a ViaService grant for Kinesis (AWS managed key style)',
      policy(keyAdmins, viaService('kinesis')),
      /"Allow access through kinesis"/,
    ],
    [
      'the account id as principal',
      policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' }),
      /statement #1/,
    ],
  ])('finds %s usable', (_label, keyPolicy, grant) => {
    // Act
    const verdict = keyPolicyVerdict(keyPolicy, context);

    // Assess
    expect(verdict.usable).toBe(true);
    expect(verdict.reason).toMatch(grant);
    expect(verdict.reason).toMatch(
      /allows kms:GenerateDataKey by principals of account 111122223333 \(.*\) and kms:Decrypt by principals of account 111122223333 \(.*\) via kinesis\.eu-west-1\.amazonaws\.com for stream arn:aws:kinesis:eu-west-1:111122223333:stream\/orders/
    );
  });

  it.each([
    [
      'a policy granting only key administrators',
      policy(keyAdmins),
      /no statement allows kms:GenerateDataKey to a principal of account 111122223333 via kinesis\.eu-west-1\.amazonaws\.com for stream arn:aws:kinesis:eu-west-1:111122223333:stream\/orders \(grant arn:aws:iam::111122223333:root/,
    ],
    ['a ViaService grant for S3 only', policy(keyAdmins, viaService('s3')), /no statement allows kms:Decrypt/],
    [
      'a Kinesis grant without Decrypt',
      policy(viaService('kinesis', ['kms:GenerateDataKey'])),
      /no statement allows kms:Decrypt/,
    ],
    [
      'an explicit Deny through Kinesis',
      policy(enableIamPolicies(), {
        Sid: 'DenyKinesis',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': 'kinesis.*.amazonaws.com' } },
      }),
      /kms:GenerateDataKey is explicitly denied by statement "DenyKinesis"; kms:Decrypt is explicitly denied by statement "DenyKinesis"/,
    ],
    [
      'an explicit Deny of Decrypt',
      policy(enableIamPolicies(), { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }),
      /kms:Decrypt is explicitly denied by statement #2/,
    ],
    [
      'a ViaService grant for another account',
      policy({
        ...viaService('kinesis'),
        Condition: {
          StringEquals: { 'kms:CallerAccount': '999988887777', 'kms:ViaService': 'kinesis.eu-west-1.amazonaws.com' },
        },
      }),
      /no statement allows kms:GenerateDataKey/,
    ],
    [
      'the root of another account only',
      policy(enableIamPolicies('999988887777')),
      /no statement allows kms:GenerateDataKey/,
    ],
    ['no statement at all', policy(), /no statement allows kms:GenerateDataKey.*; no statement allows kms:Decrypt/],
    [
      'a malformed policy',
      policy({ Effect: 'Maybe', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' }),
      /the key policy could not be evaluated \(/,
    ],
    ['text that is not JSON', '{"Version": "2012-10-17", ', /is not valid JSON/],
  ])('finds %s not usable, naming the missing grant', (_label, keyPolicy, reason) => {
    // Act
    const verdict = keyPolicyVerdict(keyPolicy, context);

    // Assess
    expect(verdict.usable).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  it.each([
    ['a principal tag', { StringEquals: { 'aws:PrincipalTag/team': 'ingest' } }, 'aws:PrincipalTag/team'],
    ['the organization', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, 'aws:PrincipalOrgID'],
  ])('assumes a condition on %s holds and says so', (_label, condition, key) => {
    // Prepare
    const keyPolicy = policy({ ...roleOnly, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Condition: condition });

    // Act
    const verdict = keyPolicyVerdict(keyPolicy, context);

    // Assess
    expect(verdict).toEqual({
      usable: true,
      reason: expect.stringContaining(`assuming conditions on ${key} hold (not evaluated)`),
    });
  });

  it('does not let an organization guard on a Deny hide an unconditional grant', () => {
    // Prepare
    const keyPolicy = policy(enableIamPolicies(), {
      Sid: 'DenyOutsideOrg',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });

    // Act
    const verdict = keyPolicyVerdict(keyPolicy, context);

    // Assess
    expect(verdict.usable).toBe(true);
  });

  it.each([
    ['grants the stream account', ACCOUNT, true],
    ['grants only its own account', '999988887777', false],
  ])('evaluates a key of another account whose policy %s', (_label, grantee, usable) => {
    // Prepare
    const keyArn = 'arn:aws:kms:eu-west-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    // Act
    const verdict = keyPolicyVerdict(policy(enableIamPolicies(grantee)), { ...context, keyArn });

    // Assess
    expect(verdict.usable).toBe(usable);
  });

  it('evaluates a China key policy with its partition', () => {
    // Prepare
    const keyArn = `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const china = {
      account: ACCOUNT,
      region: 'cn-north-1',
      partition: 'aws-cn',
      keyArn,
      streamArn: `arn:aws-cn:kinesis:cn-north-1:${ACCOUNT}:stream/orders`,
    };

    // Act
    const verdict = keyPolicyVerdict(policy(enableIamPolicies(ACCOUNT, 'aws-cn')), china);

    // Assess
    expect(verdict).toEqual({ usable: true, reason: expect.stringContaining('via kinesis.cn-north-1.amazonaws.com') });
  });

  // Choices where iam-simulate differs: "NotPrincipal must be used with Effect Deny; using it with Allow is
  // not supported" ("AWS JSON policy elements: NotPrincipal",
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html); an
  // account id belongs to one partition, so arn:aws: names no principal of aws-cn; operators this
  // evaluator does not implement (Numeric, Date, IpAddress) and policy variables are assumed, never failed;
  // "When you use NotPrincipal with Deny, you must also specify the account ARN of the not-denied principal.
  // Otherwise, the policy might deny access to the entire account containing the principal" (same page), so a
  // role named without its account is not exempt (iam-simulate exempts it).
  it.each([
    [
      'a Deny to all but one role, without its account (NotPrincipal)',
      policy(enableIamPolicies(), {
        Effect: 'Deny',
        NotPrincipal: { AWS: role('Admin') },
        Action: 'kms:*',
        Resource: '*',
      }),
      context,
      false,
      /kms:GenerateDataKey is explicitly denied by statement #2; kms:Decrypt is explicitly denied by statement #2/,
    ],
    [
      'an Allow with NotPrincipal',
      policy({ Effect: 'Allow', NotPrincipal: { AWS: '999988887777' }, Action: 'kms:*', Resource: '*' }),
      context,
      false,
      /statement #1 uses NotPrincipal with Allow, which IAM does not support/,
    ],
    [
      'a China key policy naming the aws partition',
      policy(enableIamPolicies()),
      {
        account: ACCOUNT,
        region: 'cn-north-1',
        partition: 'aws-cn',
        keyArn: KEY_ARN.replace('arn:aws:', 'arn:aws-cn:'),
        streamArn: `arn:aws-cn:kinesis:cn-north-1:${ACCOUNT}:stream/orders`,
      },
      false,
      /grant arn:aws-cn:iam::111122223333:root/,
    ],
    [
      'a Numeric operator',
      policy({ ...enableIamPolicies(), Condition: { NumericLessThan: { 'kms:CallerAccount': '5' } } }),
      context,
      true,
      /assuming conditions on kms:CallerAccount hold \(not evaluated\)/,
    ],
    [
      'a policy variable',
      policy({
        ...viaService('kinesis'),
        Condition: { StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' } },
      }),
      context,
      true,
      /assuming conditions on kms:CallerAccount hold/,
    ],
  ])('decides %s by its own rule', (_label, keyPolicy, keyContext, usable, reason) => {
    // Act
    const verdict = keyPolicyVerdict(keyPolicy, keyContext);

    // Assess
    expect(verdict).toEqual({ usable, reason: expect.stringMatching(reason) });
  });

  it.each([
    [
      'a statement whose condition does not hold for the stream',
      policy(withCondition(enableIamPolicies(), { StringLike: { [EC]: streamArn('payments-*') } })),
      /statement "Enable IAM User Permissions" does not apply: its condition on kms:EncryptionContext:aws:kinesis:arn does not hold/,
    ],
    [
      'a Deny that depends on an unknown key',
      policy(enableIamPolicies(), {
        Sid: 'DenyOutsideOrg',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      }),
      /not counted: statement "DenyOutsideOrg" \(denies only if conditions on aws:PrincipalOrgID hold\)/,
    ],
    [
      'a Deny whose NotPrincipal names the account',
      policy(enableIamPolicies(), { Effect: 'Deny', NotPrincipal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' }),
      /statement #2 \(denies only if its NotPrincipal arn:aws:iam::111122223333:root does not exempt principals of account 111122223333\)/,
    ],
    [
      'a statement that is not an object',
      policy('Allow everything'),
      /could not be evaluated \(statement #1 is not an object\)/,
    ],
    [
      'a policy without Statement',
      JSON.stringify({ Version: '2012-10-17' }),
      /could not be evaluated \(the policy has no Statement\)/,
    ],
    [
      'a statement with both Action and NotAction',
      policy({ ...enableIamPolicies(), NotAction: 'kms:Decrypt' }),
      /could not be evaluated \(statement "Enable IAM User Permissions": needs exactly one of Action and NotAction\)/,
    ],
  ])('names %s in the reason', (_label, keyPolicy, reason) => {
    // Act
    const verdict = keyPolicyVerdict(keyPolicy, context);

    // Assess
    expect(verdict.reason).toMatch(reason);
  });

  describe('for the stream Kinesis calls KMS for (encryption context aws:kinesis:arn)', () => {
    const payments = `arn:aws:kinesis:*:${ACCOUNT}:stream/payments-*`;
    const throughKinesis = {
      Sid: 'Kinesis streams',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': KINESIS } } as Condition,
    };

    it.each<[string, Condition, string, boolean]>([
      ['StringLike on a stream name pattern', { StringLike: { [EC]: payments } }, 'payments-1', true],
      ['StringLike on a stream name pattern', { StringLike: { [EC]: payments } }, 'orders', false],
      ['StringEquals on one stream', { StringEquals: { [EC]: streamArn('payments-1') } }, 'payments-1', true],
      ['StringEquals on one stream', { StringEquals: { [EC]: streamArn('payments-1') } }, 'payments-2', false],
      ['ArnLike per ARN part', { ArnLike: { [EC]: streamArn('payments-*') } }, 'payments-1', true],
      ['ArnLike per ARN part', { ArnLike: { [EC]: streamArn('payments-*') } }, 'orders', false],
      ['ArnEquals on one stream', { ArnEquals: { [EC]: streamArn('orders') } }, 'orders', true],
      ['StringLikeIfExists (the key is present)', { StringLikeIfExists: { [EC]: payments } }, 'orders', false],
      ['StringNotLike (all streams but payments-*)', { StringNotLike: { [EC]: payments } }, 'orders', true],
      ['StringNotLike (all streams but payments-*)', { StringNotLike: { [EC]: payments } }, 'payments-1', false],
      ['ArnNotEquals (all streams but one)', { ArnNotEquals: { [EC]: streamArn('orders') } }, 'orders', false],
      [
        'the context key name in other letter case',
        { StringLike: { 'KMS:EncryptionContext:AWS:Kinesis:ARN': payments } },
        'payments-1',
        true,
      ],
      [
        'ForAnyValue:StringEquals on kms:EncryptionContextKeys',
        { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'aws:kinesis:arn' } },
        'orders',
        true,
      ],
      [
        'ForAllValues:StringEquals on kms:EncryptionContextKeys including aws:kinesis:arn',
        { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['aws:kinesis:arn', 'aws:s3:arn'] } },
        'orders',
        true,
      ],
      [
        'ForAllValues:StringEquals on kms:EncryptionContextKeys of another service',
        { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'aws:s3:arn' } },
        'orders',
        false,
      ],
      [
        'ForAnyValue:StringLike on kms:EncryptionContextKeys of another service',
        { 'ForAnyValue:StringLike': { 'kms:EncryptionContextKeys': 'aws:s3:*' } },
        'orders',
        false,
      ],
      [
        'StringEquals on kms:EncryptionContextKeys (multivalued key, no set operator)',
        { StringEquals: { 'kms:EncryptionContextKeys': 'aws:kinesis:arn' } },
        'orders',
        false,
      ],
      [
        'an encryption context key Kinesis does not send',
        { StringEquals: { 'kms:EncryptionContext:department': 'payments' } },
        'orders',
        false,
      ],
      [
        'Null "true" on an encryption context key Kinesis does not send',
        { Null: { 'kms:EncryptionContext:department': 'true' } },
        'orders',
        true,
      ],
    ])('an Allow with %s %j, for stream %s: usable %s', (_label, condition, stream, usable) => {
      // Prepare
      const keyPolicy = policy(keyAdmins, withCondition(throughKinesis, condition));

      // Act
      const verdict = keyPolicyVerdict(keyPolicy, forStream(stream));

      // Assess
      expect(verdict).toEqual({ usable, reason: expect.stringContaining(`for stream ${streamArn(stream)}`) });
    });

    it.each<[string, Condition, string, boolean]>([
      ['StringNotLike (all streams but payments-*)', { StringNotLike: { [EC]: payments } }, 'orders', false],
      ['StringNotLike (all streams but payments-*)', { StringNotLike: { [EC]: payments } }, 'payments-1', true],
      ['ArnNotLike (all streams but payments-*)', { ArnNotLike: { [EC]: streamArn('payments-*') } }, 'orders', false],
      [
        'StringNotLikeIfExists (all streams but payments-*)',
        { StringNotLikeIfExists: { [EC]: payments } },
        'payments-1',
        true,
      ],
      ['StringEquals on one stream', { StringEquals: { [EC]: streamArn('orders') } }, 'orders', false],
      [
        'ForAnyValue:StringNotEquals on kms:EncryptionContextKeys (other context keys)',
        { 'ForAnyValue:StringNotEquals': { 'kms:EncryptionContextKeys': 'aws:kinesis:arn' } },
        'orders',
        true,
      ],
      ['Null "true" on the stream context (requests without it)', { Null: { [EC]: 'true' } }, 'orders', true],
    ])('a Deny with %s %j, for stream %s: usable %s', (_label, condition, stream, usable) => {
      // Prepare
      const guard = { Sid: 'Streams guard', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' };
      const keyPolicy = policy(enableIamPolicies(), withCondition(guard, condition));

      // Act
      const verdict = keyPolicyVerdict(keyPolicy, forStream(stream));

      // Assess
      expect(verdict.usable).toBe(usable);
      if (!usable)
        expect(verdict.reason).toMatch(/kms:GenerateDataKey is explicitly denied by statement "Streams guard"/);
    });

    it('refuses for stream orders the key that lets only payments-* streams produce, naming the statement', () => {
      // Prepare: the key; producers of orders would get KMSAccessDeniedException
      const root = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
      const keyPolicy = policy(
        keyAdmins,
        {
          Sid: 'Payments producers',
          Effect: 'Allow',
          Principal: root,
          Action: 'kms:GenerateDataKey',
          Resource: '*',
          Condition: { StringLike: { [EC]: payments }, StringEquals: { 'kms:ViaService': KINESIS } },
        },
        { Sid: 'Consumers', Effect: 'Allow', Principal: root, Action: 'kms:Decrypt', Resource: '*' }
      );

      // Act
      const orders = keyPolicyVerdict(keyPolicy, forStream('orders'));
      const payments1 = keyPolicyVerdict(keyPolicy, forStream('payments-1'));

      // Assess
      expect(orders).toEqual({
        usable: false,
        reason: expect.stringMatching(
          /no statement allows kms:GenerateDataKey .* for stream arn:aws:kinesis:eu-west-1:111122223333:stream\/orders .*statement "Payments producers" does not apply: its condition on kms:EncryptionContext:aws:kinesis:arn does not hold/
        ),
      });
      expect(orders.reason).not.toContain('kms:Decrypt');
      expect(payments1).toEqual({ usable: true, reason: expect.stringContaining('statement "Payments producers"') });
    });
  });

  describe('some principal of the account, not every principal', () => {
    const producer = role('producer');
    const consumer = role('consumer');
    const denyTo = (sid: string, principal: unknown, action = 'kms:GenerateDataKey') => ({
      Sid: sid,
      Effect: 'Deny',
      Principal: principal,
      Action: action,
      Resource: '*',
    });

    it.each([
      [
        'the least-privilege policy (named producer and consumer roles, kms:ViaService kinesis)',
        policy(keyAdmins, producers, consumers),
        [
          `kms:GenerateDataKey by ${producer} (statement "Producers")`,
          `kms:Decrypt by ${consumer} (statement "Consumers")`,
        ],
      ],
      [
        'one named role for both',
        policy(keyAdmins, roleOnly),
        [`kms:GenerateDataKey by ${role('ingest-service')} (statement "Allow use of the key")`],
      ],
      [
        'Principal "*" limited to a role by aws:PrincipalArn',
        policy({
          Sid: 'Ingest',
          Effect: 'Allow',
          Principal: '*',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: '*',
          Condition: { ArnEquals: { 'aws:PrincipalArn': producer }, StringEquals: { 'kms:ViaService': KINESIS } },
        }),
        [`kms:GenerateDataKey by ${producer} (statement "Ingest")`],
      ],
      [
        'a role session',
        policy({ ...roleOnly, Principal: { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/ingest/app` } }),
        [`by arn:aws:sts::${ACCOUNT}:assumed-role/ingest/app (statement "Allow use of the key")`],
      ],
      [
        'a Deny to all but the named roles and their account (NotPrincipal)',
        policy(keyAdmins, producers, consumers, {
          ...denyTo('Only ingest', undefined, 'kms:*'),
          Principal: undefined,
          NotPrincipal: { AWS: [producer, consumer, `arn:aws:iam::${ACCOUNT}:root`] },
        }),
        [`kms:GenerateDataKey by ${producer} (statement "Producers")`],
      ],
      [
        'a Deny of another role',
        policy(keyAdmins, producers, consumers, denyTo('No interns', { AWS: role('intern') })),
        [`kms:Decrypt by ${consumer} (statement "Consumers")`],
      ],
    ])('finds %s usable, naming who and the statement', (_label, keyPolicy, names) => {
      // Act
      const verdict = keyPolicyVerdict(keyPolicy, context);

      // Assess
      expect(verdict.usable).toBe(true);
      for (const name of names) expect(verdict.reason).toContain(name);
    });

    it.each([
      ['named roles without a consumer', policy(keyAdmins, producers), /no statement allows kms:Decrypt/],
      [
        'named roles of another account',
        policy(keyAdmins, { ...producers, Principal: { AWS: role('producer', '999988887777') } }, consumers),
        /no statement allows kms:GenerateDataKey/,
      ],
      [
        'a Deny of the only producer role',
        policy(keyAdmins, producers, consumers, denyTo('Producer off', { AWS: producer })),
        /kms:GenerateDataKey is explicitly denied by statement "Producer off"/,
      ],
      [
        'a Deny to the account through Kinesis',
        policy(keyAdmins, producers, consumers, {
          ...denyTo('Not through Kinesis', { AWS: ACCOUNT }, 'kms:Decrypt'),
          Condition: { StringEquals: { 'kms:ViaService': KINESIS } },
        }),
        /kms:Decrypt is explicitly denied by statement "Not through Kinesis"/,
      ],
      [
        'a Deny to all but the named roles without their account (NotPrincipal)',
        policy(keyAdmins, producers, consumers, {
          ...denyTo('Only ingest', undefined, 'kms:*'),
          Principal: undefined,
          NotPrincipal: { AWS: [producer] },
        }),
        /kms:Decrypt is explicitly denied by statement "Only ingest"/,
      ],
    ])('finds %s not usable, naming the statement', (_label, keyPolicy, reason) => {
      // Act
      const verdict = keyPolicyVerdict(keyPolicy, context);

      // Assess
      expect(verdict).toEqual({ usable: false, reason: expect.stringMatching(reason) });
    });
  });
});
