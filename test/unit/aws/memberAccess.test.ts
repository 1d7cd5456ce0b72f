import { memberAccessFor } from '../../../src/aws/memberAccess';
import { loadConfig } from '../../../src/config/loadConfig';

const base = {
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111111111111:stateMachine:confirm-encryption',
  AWS_REGION: 'us-east-1',
};
const HUB_ROLE_ARN = 'arn:aws:iam::111111111111:role/kinesis-auto-encrypt-member-hub';
const org = {
  ...base,
  DEPLOYMENT: 'org',
  ORGANIZATION_ID: 'o-example123',
  MEMBER_REGIONS: 'us-east-1,eu-west-1',
  MEMBER_ROLE_NAME: 'kinesis-auto-encrypt-member',
  HUB_ROLE_ARN,
};

describe('memberAccessFor', () => {
  it.each([
    ['a member account', '222222222222', 'arn:aws:iam::222222222222:role/kinesis-auto-encrypt-member'],
    ['the hub account (its stream role, no self-assume)', '111111111111', HUB_ROLE_ARN],
  ])('gives the state machine the role of %s', (_label, account, roleArn) => {
    // Act
    const access = memberAccessFor(loadConfig(org));

    // Assess
    expect(access?.roleArnOf(account)).toBe(roleArn);
  });

  it('gives nothing to an account deployment', () => {
    // Act
    const access = memberAccessFor(loadConfig(base));

    // Assess
    expect(access).toBeUndefined();
  });
});
