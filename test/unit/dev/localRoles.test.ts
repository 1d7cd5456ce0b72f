import { callerOf, ownRoleArns, sessionAccessKeyId, userIdentityFor } from '../../../tools/dev';

// CloudTrail userIdentity: an IAM user, or an AssumedRole session whose sessionContext.sessionIssuer is the role
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
const ACCOUNT = '111111111111';
const header = (accessKeyId: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261201/eu-west-1/kinesis/aws4_request, SignedHeaders=host, Signature=0`,
});

describe('local roles', () => {
  it.each([
    ['a 12-digit key', ACCOUNT, ACCOUNT],
    ['the function session key', sessionAccessKeyId(ACCOUNT, 'function'), ACCOUNT],
    ['the state machine session key', sessionAccessKeyId(ACCOUNT, 'stateMachine'), ACCOUNT],
    ['an AWS-looking key', 'AKIAIOSFODNN7EXAMPLE', '000000000000'],
    ['an ASIA key of no account', 'ASIAIOSFODNN7EXAMPLE', '000000000000'],
  ])('the gateway maps %s to its account', (_label, accessKeyId, account) => {
    // Act
    const caller = callerOf(header(accessKeyId));

    // Assess
    expect(caller).toEqual({ account, region: 'eu-west-1', accessKeyId });
  });

  it.each([
    ['function', 'kinesis-auto-encrypt-local-EncryptStreamRole', 'encryptStream'],
    ['stateMachine', 'kinesis-auto-encrypt-local-ConfirmEncryptionStateMachineRole', 'confirm-encryption'],
  ] as const)('gives the %s session an assumed-role identity of its role', (role, roleName, session) => {
    // Act
    const identity = userIdentityFor(ACCOUNT, sessionAccessKeyId(ACCOUNT, role), new Date('2026-12-01T09:00:00.123Z'));

    // Assess
    expect(identity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`,
      accountId: ACCOUNT,
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, userName: roleName },
        attributes: { creationDate: '2026-12-01T09:00:00Z', mfaAuthenticated: 'false' },
      },
    });
    expect(ownRoleArns(ACCOUNT).split(',')).toContain(`arn:aws:iam::${ACCOUNT}:role/${roleName}`);
  });

  it('gives every other caller the IAM user local, with no session', () => {
    // Act
    const identity = userIdentityFor(ACCOUNT, ACCOUNT);

    // Assess
    expect(identity).toEqual({
      type: 'IAMUser',
      principalId: `AIDA${ACCOUNT}LOCAL`,
      arn: `arn:aws:iam::${ACCOUNT}:user/local`,
      accountId: ACCOUNT,
      accessKeyId: ACCOUNT,
      userName: 'local',
    });
  });
});
