import { loadConfig } from '../../../src/config/loadConfig';
import { ConfigurationError } from '../../../src/domain/errors';

const base = {
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111111111111:stateMachine:confirm-encryption',
  AWS_REGION: 'us-east-1',
};
const org = {
  ...base,
  DEPLOYMENT: 'org',
  ORGANIZATION_ID: 'o-example123',
  MEMBER_REGIONS: 'us-east-1, eu-west-1',
  MEMBER_ROLE_NAME: 'kinesis-auto-encrypt-member',
  HUB_ROLE_ARN: 'arn:aws:iam::111111111111:role/kinesis-auto-encrypt-member-hub',
};

describe('loadConfig: DEPLOYMENT', () => {
  it.each([
    ['absent', {}],
    ['account', { DEPLOYMENT: 'account' }],
    // serverless.yml sets the org variables empty in account mode: ignored.
    [
      'account with empty org variables',
      { DEPLOYMENT: 'account', MEMBER_REGIONS: '', MEMBER_ROLE_NAME: '', ORGANIZATION_ID: '', HUB_ROLE_ARN: '' },
    ],
  ])('is an account deployment when %s', (_label, overrides) => {
    // Act
    const config = loadConfig({ ...base, ...overrides });

    // Assess
    expect(config.organization).toBeUndefined();
  });

  it('reads an organisation deployment', () => {
    // Act
    const config = loadConfig(org);

    // Assess
    expect(config.organization).toEqual({
      organizationId: 'o-example123',
      memberRegions: ['us-east-1', 'eu-west-1'],
      memberRoleName: 'kinesis-auto-encrypt-member',
      hubRoleArn: 'arn:aws:iam::111111111111:role/kinesis-auto-encrypt-member-hub',
    });
  });

  it.each([
    [{ DEPLOYMENT: 'organization' }, /DEPLOYMENT: expected account or org/],
    [{ MEMBER_ROLE_NAME: undefined }, /MEMBER_ROLE_NAME: expected an IAM role name/],
    [{ MEMBER_ROLE_NAME: 'path/role' }, /MEMBER_ROLE_NAME: expected an IAM role name/],
    [{ MEMBER_REGIONS: undefined }, /MEMBER_REGIONS: expected comma-separated regions/],
    [{ MEMBER_REGIONS: ' , ' }, /MEMBER_REGIONS: expected comma-separated regions/],
    [{ MEMBER_REGIONS: 'us-east-1,mars-1' }, /MEMBER_REGIONS: mars-1 is not a known AWS region/],
    [{ MEMBER_REGIONS: 'us-east-1,cn-north-1' }, /MEMBER_REGIONS: cn-north-1 is in partition aws-cn, the hub in aws/],
    [{ ORGANIZATION_ID: undefined }, /ORGANIZATION_ID: expected an organization id/],
    [{ ORGANIZATION_ID: 'r-abcd' }, /ORGANIZATION_ID/],
    [{ HUB_ROLE_ARN: undefined }, /HUB_ROLE_ARN: expected an IAM role ARN/],
    [
      { HUB_ROLE_ARN: 'arn:aws:iam::222222222222:role/x' },
      /HUB_ROLE_ARN: expected a role of the hub account 111111111111/,
    ],
  ])('refuses %j at cold start', (overrides, message) => {
    // Act
    const load = () => loadConfig({ ...org, ...overrides });

    // Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(message);
  });

  it('names every bad variable at once', () => {
    // Act
    const load = () => loadConfig({ ...base, DEPLOYMENT: 'org' });

    // Assess
    expect(load).toThrow(/ORGANIZATION_ID.*MEMBER_REGIONS.*MEMBER_ROLE_NAME.*HUB_ROLE_ARN/);
  });
});
