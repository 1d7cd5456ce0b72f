import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { preflightKeys, preflightMessage } from '../../../src/audit/keyPreflight';
import { labelledKeySource } from '../../../src/audit/keySourceLabel';
import { SsmKeyIdSource } from '../../../src/aws/ssmKeyIdSource';
import { RetryableError } from '../../../src/domain/errors';
import { usableKeyFacts } from '../../fakes/fakeKeys';
import { FakeClock, FakeSweepAccount } from '../../fakes/fakeSweepAccount';

const ssm = mockClient(SSMClient);
const PARAMETER = '/kinesis-auto-encrypt/prod/default-kms-key-id';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';

/** The pipeline's key source on a key parameter holding `value`. */
const keySource = (value: string) => {
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: value } });
  return labelledKeySource(
    new SsmKeyIdSource({
      fallback: { value: 'alias/aws/kinesis', form: 'AwsManagedKinesis' },
      parameterName: PARAMETER,
      provider: new SSMProvider({ awsSdkV3Client: new SSMClient({ region: 'us-east-1' }) }),
      maxAgeSeconds: 300,
    })
  );
};

/** An account-region whose KMS knows `keys` only. */
const targetOf = async (account: string, keys: string[]) => {
  const fake = new FakeSweepAccount(account, 'us-east-1', 0, {
    clock: new FakeClock(),
    describePerSecond: 10,
    keys: Object.fromEntries(keys.map((key) => [key, usableKeyFacts(`arn:aws:kms:us-east-1:${account}:key/${key}`)])),
  });
  const { target } = await fake.listed();
  return { target, fake };
};

describe('preflightKeys (the configured keys, once per account-region, before listing)', () => {
  afterEach(() => ssm.reset());

  it('checks the key each map entry names where it applies, and groups a failing key with every place it failed', async () => {
    // Prepare
    const keys = keySource(JSON.stringify({ default: 'alias/org', [B]: 'alias/team-b' }));
    const a = await targetOf(A, ['alias/org']);
    const b = await targetOf(B, ['alias/org']);
    const c = await targetOf(C, []);

    // Act
    const failures = await preflightKeys([a.target, b.target, c.target], keys);

    // Assess
    expect(failures.map(preflightMessage)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^key alias/team-b \\(from SSM parameter ${PARAMETER} \\(entry "${B}"\\)\\) cannot be used in ${B}/us-east-1: KMS key alias/team-b does not exist`
        )
      ),
      expect.stringMatching(
        new RegExp(
          `^key alias/org \\(from SSM parameter ${PARAMETER} \\(entry "default"\\)\\) cannot be used in ${C}/us-east-1: `
        )
      ),
    ]);
    expect([a.fake.keys.described, b.fake.keys.described, c.fake.keys.described]).toEqual([
      ['alias/org'],
      ['alias/team-b'],
      ['alias/org'],
    ]);
  });

  it('names every account-region a shared key failed in, in one failure', async () => {
    // Prepare
    const keys = keySource('alias/missing');
    const targets = await Promise.all([A, B].map(async (account) => (await targetOf(account, [])).target));

    // Act
    const failures = await preflightKeys(targets, keys);

    // Assess
    expect(failures).toHaveLength(1);
    expect(failures[0]?.places).toEqual([
      { account: A, region: 'us-east-1' },
      { account: B, region: 'us-east-1' },
    ]);
  });

  it('leaves an account-region KMS cannot answer for to the listing (no failure)', async () => {
    // Prepare
    const keys = keySource('alias/org');
    const { target, fake } = await targetOf(A, ['alias/org']);
    fake.keys.describeKey = async () => {
      throw new RetryableError('KMS DescribeKey failed transiently (throttled)');
    };

    // Act
    const failures = await preflightKeys([target], keys);

    // Assess
    expect(failures).toEqual([]);
  });
});
