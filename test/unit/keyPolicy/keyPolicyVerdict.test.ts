import { type KeyPolicyContext, keyPolicyVerdict } from '../../../src/keyPolicy/keyPolicyVerdict';

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
const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const context: KeyPolicyContext = { account: ACCOUNT, region: 'eu-west-1', partition: 'aws', keyArn: KEY_ARN };

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
    expect(verdict.reason).toContain('kms:GenerateDataKey and kms:Decrypt via kinesis.eu-west-1.amazonaws.com');
  });

  it.each([
    [
      'a policy granting only a specific role',
      policy(keyAdmins, roleOnly),
      /no statement allows kms:GenerateDataKey to principals of account 111122223333 via kinesis\.eu-west-1\.amazonaws\.com \(grant arn:aws:iam::111122223333:root/,
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
    [
      'the encryption context',
      { StringLike: { 'kms:EncryptionContext:aws:kinesis:arn': `arn:aws:kinesis:*:${ACCOUNT}:stream/*` } },
      'kms:EncryptionContext:aws:kinesis:arn',
    ],
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
    const china = { account: ACCOUNT, region: 'cn-north-1', partition: 'aws-cn', keyArn };

    // Act
    const verdict = keyPolicyVerdict(policy(enableIamPolicies(ACCOUNT, 'aws-cn')), china);

    // Assess
    expect(verdict).toEqual({ usable: true, reason: expect.stringContaining('via kinesis.cn-north-1.amazonaws.com') });
  });

  // Choices where iam-simulate differs: "NotPrincipal must be used with Effect Deny; using it with Allow is
  // not supported" ("AWS JSON policy elements: NotPrincipal",
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html); an
  // account id belongs to one partition, so arn:aws: names no principal of aws-cn; operators this
  // evaluator does not implement (Numeric, Date, IpAddress) and policy variables are assumed, never failed.
  it.each([
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
      'the roles a near-miss statement grants',
      policy(keyAdmins, roleOnly),
      /statement "Allow use of the key" grants only arn:aws:iam::111122223333:role\/ingest-service\)/,
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
      /statement #2 \(denies only if its NotPrincipal arn:aws:iam::111122223333:root does not exempt the account's roles\)/,
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
});
