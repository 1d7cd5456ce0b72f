import { CreateStreamCommand, RemoveTagsFromStreamCommand, StopStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import type { InvocationRecord } from '../../../tools/dev';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { type Harness, startHarness } from './harness';

// Kinesis APIs take StreamName or StreamARN (StopStreamEncryption request parameters:
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StopStreamEncryption.html; RemoveTagsFromStream:
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RemoveTagsFromStream.html). CloudTrail gives a role
// session's call userIdentity.type AssumedRole with sessionContext.sessionIssuer.arn the role
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).

const ACCOUNT = '660000000006';
const REGION = 'us-east-1';
const streamArnOf = (name: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;

type Invocation = InvocationRecord & { event: { detail: { eventID: string; eventName: string } } };

describe('drift and policy tag triggers on the local cloud', () => {
  let harness: Harness;
  const invocations: Invocation[] = [];

  beforeAll(async () => {
    harness = await startHarness({ accounts: [ACCOUNT] });
    harness.cloud.lambda.on('invocation', (record: Invocation) => invocations.push(record));
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const outcomeOf = (record: Invocation): unknown =>
    record.result.ok ? (record.result.value as { outcome?: unknown }).outcome : 'Error';
  const invocationsOf = (eventName: string, name: string) =>
    invocations.filter((record) => {
      const ids = harness.cloudTrailFor(name, eventName).map((event) => event.detail.eventID);
      return ids.includes(record.event.detail.eventID);
    });
  const completionCount = async (name: string, count: number): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (harness.completionsFor(name).length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} completions for ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await harness.cloud.idle();
  };
  const encryptedStream = async (name: string): Promise<string> => {
    await harness.createStream(ACCOUNT, REGION, name);
    await completionCount(name, 1);
    const summary = await harness.streamSummary(ACCOUNT, REGION, name);
    expect(summary).toMatchObject({ EncryptionType: 'KMS', StreamStatus: 'ACTIVE' });
    return String(summary.KeyId);
  };

  it.each([
    ['by streamName', (name: string) => ({ StreamName: name })],
    ['by streamARN only', (name: string) => ({ StreamARN: streamArnOf(name) })],
  ])(
    're-encrypts a stream decrypted %s, once, and ignores its own re-encryption',
    async (label, naming) => {
      // Prepare
      const name = `drift-${label.includes('ARN') ? 'arn' : 'name'}`;
      const keyId = await encryptedStream(name);

      // Act
      await harness
        .client(ACCOUNT, REGION)
        .send(new StopStreamEncryptionCommand({ ...naming(name), EncryptionType: 'KMS', KeyId: keyId }));
      await completionCount(name, 2);

      // Assess
      const [, repaired] = harness.completionsFor(name);
      expect(repaired?.detail).toMatchObject({ outcome: 'Encrypted', streamName: name, keyId });
      expect(completionEventErrors(repaired as NonNullable<typeof repaired>)).toEqual([]);
      expect(harness.completionsFor(name)).toHaveLength(2);
      // One apply for the creation, one for the drift: both by the function's role session.
      const applies = harness.cloudTrailFor(name, 'StartStreamEncryption');
      expect(applies).toHaveLength(2);
      for (const apply of applies) {
        expect(apply.detail.userIdentity).toMatchObject({
          type: 'AssumedRole',
          sessionContext: { sessionIssuer: { arn: expect.stringMatching(/:role\/.*EncryptStreamRole$/) } },
        });
      }
      // The pipeline's own StartStreamEncryption events reached the function once each and ended Ignored.
      const own = invocationsOf('StartStreamEncryption', name);
      expect(own.map(outcomeOf)).toEqual(['Ignored', 'Ignored']);
      expect(invocationsOf('StopStreamEncryption', name).map(outcomeOf)).toEqual(['Confirming']);
      expect(await harness.streamSummary(ACCOUNT, REGION, name)).toMatchObject({ EncryptionType: 'KMS', KeyId: keyId });
    },
    90_000
  );

  it('encrypts a stream once its exemption tag is removed', async () => {
    // Prepare
    const name = 'exempt-then-not';
    await harness
      .client(ACCOUNT, REGION)
      .send(
        new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { 'kinesis-auto-encrypt:exempt': 'true' } })
      );
    await completionCount(name, 1);
    expect(harness.completionsFor(name)[0]?.detail.outcome).toBe('Exempt');

    // Act
    await harness
      .client(ACCOUNT, REGION)
      .send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['kinesis-auto-encrypt:exempt'] }));
    await completionCount(name, 2);

    // Assess
    expect(harness.completionsFor(name)[1]?.detail).toMatchObject({ outcome: 'Encrypted' });
    expect(harness.cloudTrailFor(name, 'StartStreamEncryption')).toHaveLength(1);
    expect(await harness.streamSummary(ACCOUNT, REGION, name)).toMatchObject({ EncryptionType: 'KMS' });
  }, 90_000);

  it('repairs a stream decrypted 4 times in a row 3 times, then reports it flapping with the actor', async () => {
    // Prepare
    const name = 'flapping';
    const keyId = await encryptedStream(name);

    // Act: decrypt, wait for the repair, four times
    for (let round = 1; round <= 4; round++) {
      await harness
        .client(ACCOUNT, REGION)
        .send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: keyId }));
      await completionCount(name, round + 1);
    }

    // Assess
    const outcomes = harness.completionsFor(name).map(({ detail }) => detail.outcome);
    expect(outcomes).toEqual(['Encrypted', 'Encrypted', 'Encrypted', 'Encrypted', 'Failed']);
    const last = harness.completionsFor(name).at(-1);
    expect(last?.detail.error?.name).toBe('Flapping');
    expect(last?.detail).toMatchObject({
      trigger: 'StopStreamEncryption',
      actor: `arn:aws:iam::${ACCOUNT}:user/local`,
    });
    const repaired = harness.completionsFor(name)[1];
    expect(repaired?.detail).toMatchObject({
      trigger: 'StopStreamEncryption',
      policy: { mode: 'enforce', keySource: 'default' },
    });
    expect(repaired?.detail.exposureMs).toBeGreaterThanOrEqual(5000);
    expect(last?.detail.reason).toMatch(
      new RegExp(
        `after 3 repairs in the last 24 h.*last decrypted by arn:aws:iam::${ACCOUNT}:user/local \\(maxDriftRepairsPerDay=3\\)$`
      )
    );
    // Left unencrypted: a failed remedy, a non-compliant stream.
    expect(last?.detail.compliance).toBe('NonCompliant');
    // 1 apply for the creation + 3 repairs; the fourth decrypt is left as it is.
    expect(harness.cloudTrailFor(name, 'StartStreamEncryption')).toHaveLength(4);
    expect(await harness.streamSummary(ACCOUNT, REGION, name)).toMatchObject({ EncryptionType: 'NONE' });
  }, 90_000);

  it('repairs a StopStreamEncryption delivered 3 times with one apply', async () => {
    // Prepare
    const name = 'drift-duplicated';
    const keyId = await encryptedStream(name);
    harness.cloud.bus.duplicateDeliveries = 3;

    try {
      // Act
      await harness
        .client(ACCOUNT, REGION)
        .send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: keyId }));
      await completionCount(name, 2);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await harness.cloud.idle();
    } finally {
      harness.cloud.bus.duplicateDeliveries = 1;
    }

    // Assess: the creation's apply and one repair
    expect(harness.cloudTrailFor(name, 'StartStreamEncryption')).toHaveLength(2);
    expect(harness.completionsFor(name).map(({ detail }) => detail.outcome)).toEqual(['Encrypted', 'Encrypted']);
  }, 90_000);

  it("a StopStreamEncryption during the pipeline's own UPDATING fails in Kinesis and changes nothing", async () => {
    // Prepare: stop as soon as the pipeline's apply makes the stream UPDATING
    const name = 'drift-during-update';
    await harness.createStream(ACCOUNT, REGION, name);
    const deadline = Date.now() + 30_000;
    while (harness.cloudTrailFor(name, 'StartStreamEncryption').length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // Act: Kinesis refuses an update of a stream that is not ACTIVE (ResourceInUseException, StopStreamEncryption
    // errors: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StopStreamEncryption.html)
    const stop = await harness
      .client(ACCOUNT, REGION)
      .send(
        new StopStreamEncryptionCommand({
          StreamName: name,
          EncryptionType: 'KMS',
          KeyId: 'alias/kinesis-auto-encrypt',
        })
      )
      .then(
        () => 'accepted',
        (error: Error) => error.name
      );
    await completionCount(name, 1);
    await harness.cloud.idle();

    // Assess
    expect(stop).toBe('ResourceInUseException');
    expect(harness.completionsFor(name).map(({ detail }) => detail.outcome)).toEqual(['Encrypted']);
    expect(await harness.streamSummary(ACCOUNT, REGION, name)).toMatchObject({ EncryptionType: 'KMS' });
  }, 60_000);
});
