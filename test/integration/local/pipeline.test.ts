import { CreateStreamCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import type { InvocationRecord } from '../../../tools/dev';
import { DEFAULT_KEY_ALIAS, waitForActive } from '../../../tools/dev';
import { type Harness, startHarness } from './harness';

const ACCOUNTS = [
  { account: '111111111111', region: 'us-east-1' },
  { account: '222222222222', region: 'eu-west-1' },
  { account: '333333333333', region: 'ap-southeast-2' },
  { account: '444444444444', region: 'us-west-2' },
] as const;
const [FIRST = ACCOUNTS[0], SECOND = ACCOUNTS[1]] = ACCOUNTS;

describe('local pipeline (kinesis-local, real handler, real ASL)', () => {
  let harness: Harness;
  const invocations: InvocationRecord[] = [];

  beforeAll(async () => {
    harness = await startHarness({ accounts: [] });
    await Promise.all(ACCOUNTS.map(({ account, region }) => harness.cloud.addAccount(account, region)));
    await Promise.all(ACCOUNTS.map(({ account, region }) => harness.cloud.lambda.warm(account, region)));
    harness.cloud.lambda.on('invocation', (record: InvocationRecord) => invocations.push(record));
  }, 60_000);

  afterEach(() => {
    harness.cloud.bus.duplicateDeliveries = 1;
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('encrypts a stream created while it is CREATING and confirms it', async () => {
    // Prepare
    const { account, region } = FIRST;

    // Act
    await harness.createStream(account, region, 'single');
    const completion = await harness.completionFor(account, region, 'single');

    // Assess
    expect(completion.source).toBe('kinesis-auto-encrypt');
    expect(completion.detail).toMatchObject({ outcome: 'Encrypted', account, region, streamName: 'single' });
    expect(completion.account).toBe(account);
    expect(await harness.streamSummary(account, region, 'single')).toMatchObject({
      StreamStatus: 'ACTIVE',
      EncryptionType: 'KMS',
      KeyId: completion.detail.keyId,
    });
    expect(harness.cloud.failures).toEqual([]);
  });

  it('encrypts 20 streams created at once in 4 accounts with one StartStreamEncryption each', async () => {
    // Prepare
    const streams = ACCOUNTS.flatMap(({ account, region }) =>
      Array.from({ length: 5 }, (_, index) => ({ account, region, name: `burst-${account.slice(0, 1)}-${index}` }))
    );

    // Act
    await Promise.all(streams.map(({ account, region, name }) => harness.createStream(account, region, name)));
    const completions = await Promise.all(
      streams.map(({ account, region, name }) => harness.completionFor(account, region, name, 60_000))
    );
    await harness.cloud.idle();

    // Assess
    expect(completions.map(({ detail }) => detail.outcome)).toEqual(streams.map(() => 'Encrypted'));
    for (const [index, { account, region, name }] of streams.entries()) {
      expect(completions[index]).toMatchObject({ account, region, detail: { account, region, streamName: name } });
      const applies = harness.cloudTrailFor(name, 'StartStreamEncryption');
      expect(applies).toHaveLength(1);
      expect(applies[0]).toMatchObject({ account, region });
      expect(harness.completionsFor(name)).toHaveLength(1);
    }
    expect(harness.cloud.failures).toEqual([]);
  }, 90_000);

  it('applies once and publishes one completion event when each event is delivered 5 times', async () => {
    // Prepare
    const { account, region } = SECOND;
    harness.cloud.bus.duplicateDeliveries = 5;

    // Act
    await harness.createStream(account, region, 'duplicated');
    await harness.completionFor(account, region, 'duplicated');
    await harness.cloud.idle();

    // Assess
    const [created] = harness.cloudTrailFor('duplicated', 'CreateStream');
    const eventId = created?.detail.eventID;
    const attempts = invocations.filter(
      ({ event }) => (event as { detail?: { eventID?: string } }).detail?.eventID === eventId
    );
    expect(eventId).toEqual(expect.any(String));
    expect(attempts.length).toBeGreaterThanOrEqual(5);
    expect(harness.cloudTrailFor('duplicated', 'StartStreamEncryption')).toHaveLength(1);
    expect(harness.completionsFor('duplicated')).toHaveLength(1);
    expect(harness.completionsFor('duplicated')[0]?.detail.eventId).toBe(eventId);
    expect(harness.cloud.failures).toEqual([]);
  });

  it('reports AlreadyCompliant and applies nothing when the stream already uses the key', async () => {
    // Prepare
    const { account, region } = FIRST;
    const client = harness.client(account, region);
    const held = harness.cloud.holdCloudTrail(
      (event) => event.detail.eventName === 'CreateStream' && event.detail.requestParameters?.streamName === 'compliant'
    );
    await client.send(new CreateStreamCommand({ StreamName: 'compliant', ShardCount: 1 }));
    const createEvent = await held;
    await waitForActive(client, 'compliant');
    await client.send(
      new StartStreamEncryptionCommand({ StreamName: 'compliant', EncryptionType: 'KMS', KeyId: DEFAULT_KEY_ALIAS })
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await waitForActive(client, 'compliant');
    const appliesBefore = harness.cloudTrailFor('compliant', 'StartStreamEncryption').length;

    // Act
    harness.cloud.bus.publish(createEvent);
    const completion = await harness.completionFor(account, region, 'compliant');
    await harness.cloud.idle();

    // Assess
    expect(appliesBefore).toBe(1);
    expect(completion.detail).toMatchObject({ outcome: 'AlreadyCompliant', eventId: createEvent.detail.eventID });
    expect(harness.cloudTrailFor('compliant', 'StartStreamEncryption')).toHaveLength(appliesBefore);
  });

  it('does nothing for a failed CreateStream (errorCode in the record)', async () => {
    // Prepare
    const { account, region } = SECOND;
    await harness.createStream(account, region, 'taken');
    await harness.completionFor(account, region, 'taken');
    await harness.cloud.idle();
    const invocationsBefore = invocations.length;

    // Act
    await expect(harness.createStream(account, region, 'taken')).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await harness.cloud.idle();

    // Assess
    const failedCalls = harness
      .cloudTrailFor('taken', 'CreateStream')
      .filter(({ detail }) => detail.errorCode !== undefined);
    expect(failedCalls).toHaveLength(1);
    expect(failedCalls[0]?.detail.errorCode).toBe('ResourceInUseException');
    expect(invocations.length).toBe(invocationsBefore);
    expect(harness.completionsFor('taken')).toHaveLength(1);
    expect(harness.cloudTrailFor('taken', 'StartStreamEncryption')).toHaveLength(1);
  });
});
