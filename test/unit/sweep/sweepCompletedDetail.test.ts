import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../../src/completion/sweep-completed.schema.json';
import { buildReport } from '../../../src/report/buildReport';
import { Compliance, type ReportStream } from '../../../src/report/report';
import { sweepCompletedDetail } from '../../../src/sweep/sweepCompletedDetail';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const row = (
  account: string,
  name: string,
  outcome: string,
  compliance: Compliance,
  changed = false
): ReportStream => ({
  account,
  region: 'us-east-1',
  streamName: name,
  streamArn: `arn:aws:kinesis:us-east-1:${account}:stream/${name}`,
  status: 'ACTIVE',
  encryptionType: 'NONE',
  keyId: null,
  desiredKeyId: 'alias/aws/kinesis',
  outcome,
  compliance,
  reason: outcome === 'Failed' ? 'hand-over failed: throttled' : 'x',
  policy: 'enforce / default key',
  exemptionReason: null,
  createdAt: null,
  changed,
  lastChange: null,
  exposure: null,
  error: null,
});

describe('sweepCompletedDetail', () => {
  it('counts by outcome per account-region and validates against sweep-completed.schema.json', () => {
    // Prepare
    const report = buildReport({
      command: 'sweep',
      sweepId: 's-1',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:10:00.000Z',
      durationMs: 600_000,
      interrupted: false,
      options: {
        regions: ['us-east-1'],
        accounts: null,
        key: 'alias/aws/kinesis',
        describeRate: 10,
        concurrency: 8,
        endpointUrl: null,
        tags: 'bulk',
      },
      streams: [
        row('111111111111', 'a', 'Confirming', Compliance.NonCompliant, true),
        row('111111111111', 'b', 'AlreadyCompliant', Compliance.Compliant),
        row('222222222222', 'c', 'Exempt', Compliance.Exempt),
        row('222222222222', 'd', 'Failed', Compliance.Failed),
      ],
      errors: [{ account: '333333333333', region: 'us-east-1', message: 'AccessDenied' }],
      apiCalls: { DescribeStreamSummary: 4, ListStreams: 2 },
      peakDescribePerSecond: 4,
      notes: [],
    });

    // Act
    const detail = sweepCompletedDetail(report, {
      deployment: 'account',
      steps: 1,
      location: { bucket: 'b', keys: ['reports/s-1/report.json'] },
    });

    // Assess
    expect(validate(detail)).toBe(true);
    expect(detail).toMatchObject({ streamsChecked: 4, nonCompliantFound: 2, changed: 1, exempt: 1, failed: 1 });
    expect(detail.accountRegions).toEqual([
      {
        account: '111111111111',
        region: 'us-east-1',
        streams: 2,
        byOutcome: { Confirming: 1, AlreadyCompliant: 1 },
        error: null,
      },
      { account: '222222222222', region: 'us-east-1', streams: 2, byOutcome: { Exempt: 1, Failed: 1 }, error: null },
      { account: '333333333333', region: 'us-east-1', streams: 0, byOutcome: {}, error: 'AccessDenied' },
    ]);
  });

  it('lists at most 500 account-regions, those needing attention first, and counts the others', () => {
    // Prepare
    const streams = Array.from({ length: 600 }, (_, index) =>
      row(
        String(100000000000 + index),
        's',
        index % 100 === 0 ? 'Failed' : 'AlreadyCompliant',
        index % 100 === 0 ? Compliance.Failed : Compliance.Compliant
      )
    );
    const report = buildReport({
      command: 'sweep',
      sweepId: 's-2',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:10:00.000Z',
      durationMs: 600_000,
      interrupted: false,
      options: {
        regions: ['us-east-1'],
        accounts: null,
        key: 'k',
        describeRate: 10,
        concurrency: 8,
        endpointUrl: null,
        tags: 'bulk',
      },
      streams,
      errors: [],
      apiCalls: {},
      peakDescribePerSecond: 0,
      notes: [],
    });

    // Act
    const detail = sweepCompletedDetail(report, { deployment: 'org', steps: 1, location: null });

    // Assess
    expect(validate(detail)).toBe(true);
    expect(detail.accountRegions).toHaveLength(500);
    expect(detail.accountRegionsOmitted).toBe(100);
    expect(detail.accountRegions.filter(({ byOutcome }) => byOutcome.Failed === 1)).toHaveLength(6);
    expect(detail.failed).toBe(6);
    expect(JSON.stringify(detail).length).toBeLessThan(256 * 1024);
  });

  it('the schema refuses a detail without its counts', () => {
    // Act
    const valid = validate({ version: '1', sweepId: 's' });

    // Assess
    expect(valid).toBe(false);
  });
});
