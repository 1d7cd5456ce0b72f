import { ListTagsForStreamCommand, PutRecordCommand, StopStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { ExposureLedger, ORG_DEFAULTS, startStreamProducer, waitForActive } from '../../../tools/dev';
import { type Harness, startHarness } from './harness';

// The write guard enforced on the local cloud (`npm start -- --write-guard`): the gateway decides every Kinesis call
// with the SCP `kinesis-auto-encrypt guard-policy` prints. AWS behaviour relied on:
// - a call an SCP denies fails with AccessDeniedException (Kinesis API Reference, Common Errors,
//   https://docs.aws.amazon.com/kinesis/latest/APIReference/CommonErrors.html);
// - PutRecord(s) and StopStreamEncryption take aws:ResourceTag/${TagKey}
//   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisdatastreams.html);
// - PutRecords answers EncryptionType NONE | KMS, and records written up to 5 s after ACTIVE may be unencrypted
//   (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html,
//   https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html).

const MEMBER = ORG_DEFAULTS.members[0];
const REGION = ORG_DEFAULTS.hubRegion;
const GUARD_TAG = 'kinesis-auto-encrypt:encrypted';

describe('the write guard SCP on the local cloud (writeGuard)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      org: { members: [MEMBER], memberRegions: [REGION] },
      writeGuard: true,
      cloudTrailDelayMs: 500,
    });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const put = (name: string) =>
    harness
      .client(MEMBER, REGION)
      .send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('x') }));
  const guardTagOf = async (name: string) => {
    const { Tags } = await harness.client(MEMBER, REGION).send(new ListTagsForStreamCommand({ StreamName: name }));
    return Tags?.find(({ Key }) => Key === GUARD_TAG)?.Value;
  };

  it('refuses writes to a new stream until the pipeline tags it, then accepts them encrypted', async () => {
    // Prepare
    await harness.createStream(MEMBER, REGION, 'orders');

    await waitForActive(harness.client(MEMBER, REGION), 'orders');

    // Act
    const before = await put('orders').catch((error: Error) => error.name);
    const completion = await harness.completionFor(MEMBER, REGION, 'orders');
    const tag = await guardTagOf('orders');
    const after = await put('orders');
    const stop = await harness
      .client(MEMBER, REGION)
      .send(new StopStreamEncryptionCommand({ StreamName: 'orders', EncryptionType: 'KMS', KeyId: String(tag) }))
      .catch((error: Error) => error.name);

    // Assess
    expect(before).toBe('AccessDeniedException');
    expect(completion.detail).toMatchObject({ outcome: 'Encrypted', guardTag: { status: 'Set' } });
    expect(tag).toMatch(/^arn:aws:kms:/);
    expect(after.EncryptionType).toBe('KMS');
    expect(stop).toBe('AccessDeniedException');
  });

  it('exposes no record to a producer writing from CreateStream on: its writes are refused until the tag', async () => {
    // Prepare
    const ledger = new ExposureLedger();
    await harness.createStream(MEMBER, REGION, 'payments');
    ledger.created('payments', Date.now());
    const producer = startStreamProducer(harness.client(MEMBER, REGION), { key: 'payments', name: 'payments' }, ledger);

    // Act
    const completion = await harness.completionFor(MEMBER, REGION, 'payments');
    ledger.confirmed('payments', completion.detail);
    const deadline = Date.now() + 60_000;
    while (ledger.summary().streamsWithoutWrite > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await producer.stop();
    const summary = ledger.summary();

    // Assess
    expect(summary).toMatchObject({ exposedRecords: 0, streamsWithoutWrite: 0 });
    expect(summary.refusedWrites).toBeGreaterThan(0);
    expect(summary.firstWriteP95Seconds).toBeGreaterThan(0);
  });
});
