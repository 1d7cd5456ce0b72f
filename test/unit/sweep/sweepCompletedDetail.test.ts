import schema from '../../../src/completion/sweep-completed.schema.json';
import { Compliance } from '../../../src/domain/compliance';
import { buildReport } from '../../../src/report/buildReport';
import type { ReportStream } from '../../../src/report/report';
import { severityOf } from '../../../src/report/severity';
import { sweepCompletedDetail, sweepCompletedDetailSchema } from '../../../src/sweep/sweepCompletedDetail';
import { publishedSchemaErrors, refusedBy } from '../../helpers/publishedSchemaErrors';

/** Errors of a detail against its zod schema and the published sweep-completed.schema.json. */
const detailErrors = publishedSchemaErrors(sweepCompletedDetailSchema, schema);

const row = (
  account: string,
  name: string,
  outcome: ReportStream['outcome'],
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
  severity: severityOf(compliance, null),
  receivingWrites: null,
  enforceWouldRefuse: null,
  fixCommand: '',
  exposedSince: null,
  createdBy: null,
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
        row('222222222222', 'd', 'Failed', Compliance.NonCompliant),
        row('222222222222', 'e', 'Skipped', Compliance.NotChecked),
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
    expect(detailErrors(detail)).toEqual([]);
    expect(detail).toMatchObject({
      version: '2',
      streamsChecked: 5,
      compliance: { compliant: 1, nonCompliant: 2, exempt: 1, notChecked: 1 },
      nonCompliantFound: 2,
      changed: 1,
      exempt: 1,
      failed: 1,
    });
    expect(detail.accountRegions).toEqual([
      {
        account: '111111111111',
        region: 'us-east-1',
        streams: 2,
        byCompliance: { compliant: 1, nonCompliant: 1, exempt: 0, notChecked: 0 },
        byOutcome: { Confirming: 1, AlreadyCompliant: 1 },
        error: null,
      },
      {
        account: '222222222222',
        region: 'us-east-1',
        streams: 3,
        byCompliance: { compliant: 0, nonCompliant: 1, exempt: 1, notChecked: 1 },
        byOutcome: { Exempt: 1, Failed: 1, Skipped: 1 },
        error: null,
      },
      {
        account: '333333333333',
        region: 'us-east-1',
        streams: 0,
        byCompliance: { compliant: 0, nonCompliant: 0, exempt: 0, notChecked: 0 },
        byOutcome: {},
        error: 'AccessDenied',
      },
    ]);
  });

  it('lists at most 500 account-regions, those needing attention first, and counts the others', () => {
    // Prepare
    const streams = Array.from({ length: 600 }, (_, index) =>
      row(
        String(100000000000 + index),
        's',
        index % 100 === 0 ? 'Failed' : 'AlreadyCompliant',
        index % 100 === 0 ? Compliance.NonCompliant : Compliance.Compliant
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
    expect(detailErrors(detail)).toEqual([]);
    expect(detail.accountRegions).toHaveLength(500);
    expect(detail.accountRegionsOmitted).toBe(100);
    expect(detail.accountRegions.filter(({ byOutcome }) => byOutcome.Failed === 1)).toHaveLength(6);
    expect(detail.failed).toBe(6);
    expect(JSON.stringify(detail).length).toBeLessThan(256 * 1024);
  });

  it.each([
    ['without its counts', { version: '2', sweepId: 's' }],
    ['of version 1 (no compliance counts)', { version: '1' }],
    ['with a start that is not a date-time', { startedAt: 'yesterday' }],
    ['with zero steps', { steps: 0 }],
    ['with a field the schema does not have', { extra: 1 }],
  ])('the zod schema and the published JSON Schema refuse a detail %s', (_label, change) => {
    // Prepare
    const report = buildReport({
      command: 'sweep',
      sweepId: 's-3',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:00:01.000Z',
      durationMs: 1000,
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
      streams: [row('111111111111', 'a', 'AlreadyCompliant', Compliance.Compliant)],
      errors: [],
      apiCalls: {},
      peakDescribePerSecond: 0,
      notes: [],
    });
    const detail = sweepCompletedDetail(report, { deployment: 'org', steps: 1, location: null });
    const changed = 'sweepId' in change ? change : { ...detail, ...change };

    // Act
    const errors = detailErrors(changed);

    // Assess
    expect(refusedBy(errors)).toEqual(['json', 'zod']);
  });
});
