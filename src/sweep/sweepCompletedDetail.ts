import { z } from 'zod/mini';
import { Compliance } from '../domain/compliance';
import { Outcome } from '../domain/outcome';
import { type Report, RunOutcome } from '../report/report';

/** `detail-type` of the one event a deployed sweep publishes when it ends. */
export const SWEEP_COMPLETED = 'Sweep Completed';

const count = (description?: string) =>
  z.int().check(z.nonnegative(), ...(description === undefined ? [] : [z.describe(description)]));
const counts = (description: string) => z.record(z.string(), count()).check(z.describe(description));
const time = z.iso.datetime({ offset: true });

/** Streams per compliance: every stream in exactly one. */
const complianceCountsSchema = z
  .strictObject({
    compliant: count('the desired key, or another key the policy accepts'),
    nonCompliant: count('unencrypted, or a key the policy rejects, whatever the outcome'),
    exempt: count(),
    notChecked: count('never read, unreadable, gone or being deleted'),
  })
  .check(z.describe('streams per compliance (src/domain/compliance.ts); they add up to the streams listed'));

/** Where the sweep's report was written. */
const reportLocationSchema = z.strictObject({ bucket: z.string(), keys: z.array(z.string()) });

/** `detail` of `Sweep Completed`: published JSON Schema `src/completion/sweep-completed.schema.json`. */
export const sweepCompletedDetailSchema = z
  .strictObject({
    version: z
      .literal('2')
      .check(z.describe('2: compliance counts (compliance, byCompliance) apart from outcomes (byOutcome)')),
    sweepId: z.string().check(z.minLength(1)),
    deployment: z.enum(['account', 'org']),
    startedAt: time,
    finishedAt: time,
    durationMs: count(),
    steps: z.int().check(z.minimum(1), z.describe('Lambda invocations the sweep took (continuations + 1)')),
    streamsChecked: count('streams read (every stream but those the sweep never reached)'),
    compliance: complianceCountsSchema,
    nonCompliantFound: count(
      'streams found NonCompliant: handed to the reconcile path, left so in audit mode, or whose key cannot be applied (compliance.nonCompliant)'
    ),
    changed: count('keys applied; each confirmation publishes its own Stream Encrypted'),
    exempt: count('compliance Exempt'),
    failed: count('outcome Failed: the remedy did not succeed (the stream is also counted by its compliance)'),
    accountRegions: z.array(
      z.strictObject({
        account: z.string(),
        region: z.string(),
        streams: count(),
        byCompliance: complianceCountsSchema,
        byOutcome: counts(
          'streams per outcome: AlreadyCompliant, Confirming (key applied), NonCompliant (audit mode), Exempt, Skipped, Failed'
        ),
        error: z.nullable(z.string()).check(z.describe('why the account-region could not be read')),
      })
    ),
    accountRegionsOmitted: count(
      'account-regions not listed (at most 500 are, those needing attention first: PutEvents takes 256 KB); the report has all'
    ),
    apiCalls: counts('calls sent (every attempt), by operation'),
    peakDescribePerSecond: count(),
    report: z.nullable(reportLocationSchema),
  })
  .check(
    z.meta({
      $id: 'https://github.com/kinesis-auto-encrypt/kinesis-auto-encrypt/src/completion/sweep-completed.schema.json',
      title: 'Sweep Completed',
      description:
        'detail of the one event (source kinesis-auto-encrypt, detail-type Sweep Completed) a deployed sweep publishes when it ends.',
    })
  );

/** `detail` of `Sweep Completed`. */
export type SweepCompletedDetail = z.infer<typeof sweepCompletedDetailSchema>;

/** Where the sweep's report was written. */
export type ReportLocation = z.infer<typeof reportLocationSchema>;

/**
 * Account-regions an event lists at most: PutEvents takes 256 KB per entry (EventBridge quotas) and one takes
 * about 200 bytes; those that need attention (error, not compliant or not checked, failed) are kept first.
 */
const MAX_ACCOUNT_REGIONS = 500;

type AccountRegion = SweepCompletedDetail['accountRegions'][number];
type ComplianceCounts = SweepCompletedDetail['compliance'];

const COUNTED: Record<Compliance, keyof ComplianceCounts> = {
  [Compliance.Compliant]: 'compliant',
  [Compliance.NonCompliant]: 'nonCompliant',
  [Compliance.Exempt]: 'exempt',
  [Compliance.NotChecked]: 'notChecked',
};

const zero = (): ComplianceCounts => ({ compliant: 0, nonCompliant: 0, exempt: 0, notChecked: 0 });

const attention = (target: AccountRegion): number =>
  (target.error === null ? 0 : 1_000_000) +
  target.byCompliance.nonCompliant +
  target.byCompliance.notChecked +
  (target.byOutcome.Failed ?? 0);

const byPlace = (a: AccountRegion, b: AccountRegion) =>
  a.account.localeCompare(b.account) || a.region.localeCompare(b.region);

/** The `Sweep Completed` detail of a finished sweep, from its report. */
export const sweepCompletedDetail = (
  report: Report,
  options: { deployment: 'account' | 'org'; steps: number; location: ReportLocation | null }
): SweepCompletedDetail => {
  const byTarget = new Map<string, SweepCompletedDetail['accountRegions'][number]>();
  const entry = (account: string, region: string) => {
    const key = `${account}/${region}`;
    const found = byTarget.get(key) ?? {
      account,
      region,
      streams: 0,
      byCompliance: zero(),
      byOutcome: {},
      error: null,
    };
    byTarget.set(key, found);
    return found;
  };
  const compliance = zero();
  for (const stream of report.streams) {
    const target = entry(stream.account, stream.region);
    target.streams += 1;
    target.byCompliance[COUNTED[stream.compliance]] += 1;
    compliance[COUNTED[stream.compliance]] += 1;
    target.byOutcome[stream.outcome] = (target.byOutcome[stream.outcome] ?? 0) + 1;
  }
  for (const error of report.errors) entry(error.account, error.region).error = error.message.slice(0, 500);
  const count = (test: (stream: Report['streams'][number]) => boolean) => report.streams.filter(test).length;
  const targets = [...byTarget.values()];
  const kept = [...targets].sort((a, b) => attention(b) - attention(a) || byPlace(a, b)).slice(0, MAX_ACCOUNT_REGIONS);
  return {
    version: '2',
    sweepId: report.sweepId,
    deployment: options.deployment,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    durationMs: report.durationMs,
    steps: options.steps,
    streamsChecked: count((stream) => stream.outcome !== RunOutcome.NotChecked),
    compliance,
    nonCompliantFound: compliance.nonCompliant,
    changed: count((stream) => stream.changed),
    exempt: compliance.exempt,
    failed: count((stream) => stream.outcome === Outcome.Failed || stream.outcome === RunOutcome.Unconfirmed),
    accountRegions: kept.sort(byPlace),
    accountRegionsOmitted: targets.length - kept.length,
    apiCalls: { ...report.apiCalls },
    peakDescribePerSecond: report.peakDescribePerSecond,
    report: options.location,
  };
};
