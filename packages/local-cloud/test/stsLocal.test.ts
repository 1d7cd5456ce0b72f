import type { LocalRequest } from '../src/gateway';
import { type ServiceRole, serviceAccessKeyId, userIdentityFor } from '../src/localIdentities';
import { LocalSts } from '../src/stsLocal';

// AssumeRole (Query protocol): AssumeRoleResult with AssumedRoleUser and Credentials; errors in the ErrorResponse
// shape, AccessDenied 403 for a caller the trust policy does not allow, ValidationError for bad parameters
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
const HUB = '111111111111';

/** Service roles of a project using the local cloud (their sessions sign with `ASIA<account><code>`). */
const ROLES = {
  function: { name: 'app-FunctionRole', code: 'LMBD', session: 'fn' },
  stateMachine: { name: 'app-StateMachineRole', code: 'SFNS', session: 'sfn' },
} as const satisfies Record<string, ServiceRole>;
const sessionAccessKeyId = (account: string, role: keyof typeof ROLES): string =>
  serviceAccessKeyId(account, ROLES[role]);
const MEMBER = '222222222222';
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/member`;
const HUB_FUNCTION = `arn:aws:iam::${HUB}:role/${ROLES.function.name}`;
const TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: [HUB_FUNCTION] },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-example1234' } },
    },
  ],
};

const request = (accessKeyId: string, parameters: Record<string, string>): LocalRequest => ({
  target: `sts.${parameters.Action}`,
  operation: parameters.Action ?? '',
  body: Buffer.from(new URLSearchParams(parameters).toString()),
  json: parameters,
  headers: {},
  account: /^\d{12}$/.test(accessKeyId) ? accessKeyId : accessKeyId.slice(4, 16),
  region: 'us-east-1',
  accessKeyId,
});

const assumeRole = (parameters: Record<string, string> = {}) => ({
  Action: 'AssumeRole',
  Version: '2011-06-15',
  RoleArn: ROLE_ARN,
  RoleSessionName: 'kinesis-auto-encrypt@e-1',
  ...parameters,
});

describe('LocalSts', () => {
  const sts = new LocalSts();
  sts.addRole(MEMBER, 'member', TRUST);
  sts.addToOrganization('o-example1234', [HUB, MEMBER]);

  it('returns session credentials of the role whose calls CloudTrail records as the role session', async () => {
    // Act
    const response = await sts.service(request(sessionAccessKeyId(HUB, 'function'), assumeRole()));

    // Assess
    const xml = String(response.body);
    const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1] ?? '';
    const expiration = /<Expiration>([^<]+)<\/Expiration>/.exec(xml)?.[1] ?? '';
    expect(response.status).toBe(200);
    expect(xml).toMatch(/^<\?xml[^>]*>\n<AssumeRoleResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
    expect(xml).toContain(
      `<AssumedRoleUser><AssumedRoleId>AROA${MEMBER}ROLE:kinesis-auto-encrypt@e-1</AssumedRoleId><Arn>arn:aws:sts::${MEMBER}:assumed-role/member/kinesis-auto-encrypt@e-1</Arn></AssumedRoleUser>`
    );
    expect(xml).toMatch(/<SecretAccessKey>[^<]+<\/SecretAccessKey><SessionToken>[^<]+<\/SessionToken>/);
    expect(accessKeyId).toMatch(new RegExp(`^ASIA${MEMBER}R[A-Z]{3}$`));
    expect(Date.parse(expiration) - Date.now()).toBeGreaterThan(3500_000);
    expect(userIdentityFor(MEMBER, accessKeyId)).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${MEMBER}:assumed-role/member/kinesis-auto-encrypt@e-1`,
      sessionContext: { sessionIssuer: { arn: ROLE_ARN, userName: 'member' } },
    });
    expect(sts.calls.at(-1)).toMatchObject({ roleArn: ROLE_ARN, account: MEMBER, allowed: true });
  });

  it.each([
    { caller: 'an IAM user of the member', accessKeyId: MEMBER, roleArn: ROLE_ARN },
    {
      caller: 'the state machine role (not trusted)',
      accessKeyId: sessionAccessKeyId(HUB, 'stateMachine'),
      roleArn: ROLE_ARN,
    },
    {
      caller: 'the hub function, outside the organisation',
      accessKeyId: sessionAccessKeyId('333333333333', 'function'),
      roleArn: `arn:aws:iam::${MEMBER}:role/member`,
    },
    {
      caller: 'the hub function, absent role',
      accessKeyId: sessionAccessKeyId(HUB, 'function'),
      roleArn: `arn:aws:iam::${MEMBER}:role/absent`,
    },
  ])('refuses $caller with AccessDenied (403)', async ({ accessKeyId, roleArn }) => {
    // Act
    const response = await sts.service(request(accessKeyId, assumeRole({ RoleArn: roleArn })));

    // Assess
    expect(response.status).toBe(403);
    expect(String(response.body)).toMatch(
      new RegExp(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:[^ ]+ is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>`
      )
    );
    expect(sts.calls.at(-1)).toMatchObject({ roleArn, allowed: false });
  });

  it.each([
    { parameter: 'RoleSessionName', value: 'has space' },
    { parameter: 'RoleArn', value: 'arn:aws:iam::222:role/x' },
    { parameter: 'DurationSeconds', value: '600' },
  ])('answers ValidationError for a bad $parameter', async ({ parameter, value }) => {
    // Act
    const response = await sts.service(
      request(sessionAccessKeyId(HUB, 'function'), assumeRole({ [parameter]: value }))
    );

    // Assess
    expect(response.status).toBe(400);
    expect(String(response.body)).toContain('<Code>ValidationError</Code>');
  });

  it('answers GetCallerIdentity with the caller’s ARN and account', async () => {
    // Act
    const response = await sts.service(request(MEMBER, { Action: 'GetCallerIdentity', Version: '2011-06-15' }));

    // Assess
    expect(String(response.body)).toContain(
      `<Arn>arn:aws:iam::${MEMBER}:user/local</Arn><UserId>AIDA${MEMBER}LOCAL</UserId><Account>${MEMBER}</Account>`
    );
  });
});
