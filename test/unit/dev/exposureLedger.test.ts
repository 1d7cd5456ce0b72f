import { ExposureLedger, exposureLine, KMS_SETTLE_MS, percentile } from '../../../tools/dev/exposureLedger';

// A record is exposed when PutRecord(s) answers EncryptionType NONE, or when it is accepted less than 5 s after the
// stream is ACTIVE with KMS: "it can take up to 5 seconds after the stream is in an ACTIVE status before all records
// written to the stream are encrypted" (StartStreamEncryption,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html). PutRecord's and
// PutRecords' responses carry EncryptionType NONE | KMS
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html#API_PutRecord_ResponseSyntax).

const CREATED = 1_000_000;
const KMS = CREATED + 20_000;

describe('exposure accounting', () => {
  it.each([
    ['NONE before encryption', CREATED + 100, 'NONE', 3, 3],
    ['NONE after KMS was seen (decrypted since)', KMS + 60_000, 'NONE', 2, 2],
    ['KMS, but before the stream was seen ACTIVE with KMS', KMS - 1, 'KMS', 1, 1],
    ['KMS within the 5 s settle', KMS + KMS_SETTLE_MS - 1, 'KMS', 4, 4],
    ['KMS at the end of the settle', KMS + KMS_SETTLE_MS, 'KMS', 4, 0],
    ['KMS well after', KMS + 60_000, 'KMS', 10, 0],
  ])('counts %s', (_case, at, encryptionType, records, exposed) => {
    // Prepare
    const ledger = new ExposureLedger();
    ledger.created('a/orders', CREATED);
    ledger.sawKmsActive('a/orders', KMS + 1000);
    ledger.sawKmsActive('a/orders', KMS);

    // Act
    ledger.accepted('a/orders', at, encryptionType, records);

    // Assess
    expect(ledger.summary().exposedRecords).toBe(exposed);
  });

  it.each([
    ['the pipeline confirmed it before the producer saw it', new Date(KMS).toISOString(), 0],
    ['no confirmation time (a completion that is not Encrypted)', null, 4],
    ['a confirmation time that is not a time', 'soon', 4],
  ])('takes the earliest sighting: %s', (_case, confirmedAt, exposed) => {
    // Prepare: the producer's own poll saw KMS 3 s late; 4 records accepted 5 s after the pipeline's confirmation
    const ledger = new ExposureLedger();
    ledger.created('a/orders', CREATED);
    ledger.sawKmsActive('a/orders', KMS + 3000);

    // Act
    ledger.confirmed('a/orders', { outcome: 'Encrypted', timestamps: { confirmedAt } });
    ledger.accepted('a/orders', KMS + KMS_SETTLE_MS, 'KMS', 4);

    // Assess
    expect(ledger.summary().exposedRecords).toBe(exposed);
  });

  it('counts every record accepted on a stream never seen ACTIVE with KMS', () => {
    // Prepare
    const ledger = new ExposureLedger();
    ledger.created('a/orders', CREATED);

    // Act
    ledger.accepted('a/orders', CREATED + 99_000, 'KMS', 5);

    // Assess
    expect(ledger.summary().exposedRecords).toBe(5);
  });

  it('sums refused writes and takes the p95 of creation → first accepted write over the streams', () => {
    // Prepare
    const ledger = new ExposureLedger();
    const firstWrites = [12, 14, 15, 30];
    firstWrites.forEach((seconds, index) => {
      const name = `s${index}`;
      ledger.created(name, CREATED);
      ledger.refused(name);
      ledger.refused(name);
      ledger.accepted(name, CREATED + seconds * 1000, 'KMS');
      ledger.accepted(name, CREATED + seconds * 1000 + 100, 'KMS');
    });
    ledger.created('never', CREATED);

    // Act
    const summary = ledger.summary();

    // Assess
    expect(summary).toEqual({
      exposedRecords: 8,
      refusedWrites: 8,
      streams: 5,
      firstWriteP95Seconds: 30,
      streamsWithoutWrite: 1,
    });
  });

  it.each([
    [[], 95, null],
    [[3], 95, 3],
    [[5, 1, 4, 2, 3], 50, 3],
    [Array.from({ length: 20 }, (_, i) => i + 1), 95, 19],
  ])('takes the nearest-rank percentile of %j at %d', (values, p, expected) => {
    // Act & Assess
    expect(percentile(values, p)).toBe(expected);
  });

  it('refuses a stream it was not told was created (said once, not skipped)', () => {
    // Act & Assess
    expect(() => new ExposureLedger().accepted('ghost', CREATED, 'NONE')).toThrow('stream ghost was not created first');
  });

  it.each([
    [
      { exposedRecords: 0, refusedWrites: 412, streams: 8, firstWriteP95Seconds: 14.04, streamsWithoutWrite: 0 },
      'exposure: 0 records accepted unencrypted, 412 writes refused by the write guard, first accepted write 14.0 s after creation (p95)',
    ],
    [
      { exposedRecords: 530, refusedWrites: 0, streams: 8, firstWriteP95Seconds: null, streamsWithoutWrite: 8 },
      'exposure: 530 records accepted unencrypted, 0 writes refused by the write guard, first accepted write n/a s after creation (p95)',
    ],
  ])('prints the exposure line', (summary, line) => {
    // Act & Assess
    expect(exposureLine(summary)).toBe(line);
  });
});
