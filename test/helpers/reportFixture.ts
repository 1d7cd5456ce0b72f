import { Compliance } from '../../src/domain/compliance';
import { buildReport } from '../../src/report/buildReport';
import type { Report, ReportStream } from '../../src/report/report';
import { severityOf } from '../../src/report/severity';

/** A report row with sensible defaults. */
export const streamRow = (overrides: Partial<ReportStream> & { streamName: string }): ReportStream => {
  const account = overrides.account ?? '111111111111';
  const region = overrides.region ?? 'us-east-1';
  return {
    account,
    region,
    streamArn: `arn:aws:kinesis:${region}:${account}:stream/${overrides.streamName}`,
    status: 'ACTIVE',
    encryptionType: 'KMS',
    keyId: 'alias/aws/kinesis',
    desiredKeyId: 'alias/aws/kinesis',
    outcome: 'AlreadyCompliant',
    compliance: Compliance.Compliant,
    reason: 'Stream already encrypted with alias/aws/kinesis; no call made',
    policy: 'audit / default key',
    exemptionReason: null,
    createdAt: '2026-11-30T10:00:00.000Z',
    changed: false,
    lastChange: null,
    exposure: null,
    error: null,
    receivingWrites: null,
    fixCommand: '',
    exposedSince: null,
    enforceWouldRefuse: null,
    createdBy: null,
    ...overrides,
    severity:
      overrides.severity ?? severityOf(overrides.compliance ?? Compliance.Compliant, overrides.receivingWrites ?? null),
  };
};

/** A report of two accounts: compliant, non-compliant (with open exposure), exempt, failed and changed streams. */
export const sampleReport = (): Report =>
  buildReport({
    command: 'sweep',
    sweepId: '20261201T100000Z-abcdef12',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:09.000Z',
    durationMs: 9000,
    interrupted: false,
    options: {
      regions: ['eu-west-1', 'us-east-1'],
      accounts: null,
      key: 'alias/aws/kinesis',
      describeRate: 10,
      concurrency: 8,
      endpointUrl: null,
      tags: 'bulk',
    },
    streams: [
      streamRow({ streamName: 'orders' }),
      streamRow({
        streamName: 'payments',
        encryptionType: 'NONE',
        keyId: null,
        outcome: 'NonCompliant',
        compliance: Compliance.NonCompliant,
        reason: 'Stream is EncryptionType NONE; alias/aws/kinesis would be applied; nothing changed (audit)',
        exposure: { from: '2026-11-30T10:00:00.000Z', to: null, seconds: 86_400 },
      }),
      streamRow({
        streamName: 'legacy-feed',
        encryptionType: 'NONE',
        keyId: null,
        outcome: 'Exempt',
        compliance: Compliance.Exempt,
        policy: 'exempt tag',
        exemptionReason:
          'Exempt by tag kinesis-auto-encrypt:exempt=true (kinesis-auto-encrypt:exempt-reason: decommissioned <Q1>)',
        reason: 'Exempt by tag kinesis-auto-encrypt:exempt=true; no call made',
        exposure: { from: '2026-11-01T10:00:00.000Z', to: null, seconds: 2_592_000 },
      }),
      streamRow({
        account: '222222222222',
        streamName: 'clickstream',
        outcome: 'Encrypted',
        policy: 'enforce / default key',
        changed: true,
        lastChange: '2026-12-01T10:00:07.000Z',
        reason: 'applied alias/aws/kinesis and confirmed: ACTIVE, KMS, the key',
        exposure: { from: '2026-11-30T22:00:00.000Z', to: '2026-12-01T10:00:07.000Z', seconds: 43_207 },
      }),
      streamRow({
        account: '222222222222',
        region: 'eu-west-1',
        streamName: 'audit-log',
        encryptionType: 'NONE',
        keyId: null,
        outcome: 'Failed',
        compliance: Compliance.NonCompliant,
        desiredKeyId: 'alias/missing',
        reason: 'KMS key alias/missing does not exist; not applied',
        error: { name: 'NotFoundException', message: 'Alias alias/missing is not found.' },
        exposure: { from: '2026-11-29T10:00:00.000Z', to: null, seconds: 172_800 },
      }),
    ],
    errors: [],
    apiCalls: { ListStreams: 3, DescribeStreamSummary: 6, GetResources: 3, StartStreamEncryption: 1 },
    peakDescribePerSecond: 4,
    notes: [],
  });
