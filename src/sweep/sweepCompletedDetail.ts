import { z } from 'zod/mini';
import { Compliance, type Report } from '../report/report';

/** `detail-type` of the one event a deployed sweep publishes when it ends. */
export const SWEEP_COMPLETED = 'Sweep Completed';

const count = (description?: string) =>
  z.int().check(z.nonnegative(), ...(description === undefined ? [] : [z.describe(description)]));
const counts = (description: string) => z.record(z.string(), count()).check(z.describe(description));
const time = z.iso.datetime({ offset: true });

/** Where the sweep's report was written. */
const reportLocationSchema = z.strictObject({ bucket: z.string(), keys: z.array(z.string()) });

/** `detail` of `Sweep Completed`: published JSON Schema `src/completion/sweep-completed.schema.json`. */
export const sweepCompletedDetailSchema = z
  .strictObject({
    version: z.literal('1'),
    sweepId: z.string().check(z.minLength(1)),
    deployment: z.enum(['account', 'org']),
    startedAt: time,
    finishedAt: time,
    durationMs: count(),
    steps: z.int().check(z.minimum(1), z.describe('Lambda invocations the sweep took (continuations + 1)')),
    streamsChecked: count(),
    nonCompliantFound: count('streams found not compliant (handed to the reconcile path, or left so in audit mode)'),
    changed: count('keys applied; each confirmation publishes its own Stream Encrypted'),
    exempt: count(),
    failed: count(),
    accountRegions: z.array(
      z.strictObject({
        account: z.string(),
        region: z.string(),
        streams: count(),
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
 * about 150 bytes; those that need attention (error, failed, not compliant) are kept first.
 */
const MAX_ACCOUNT_REGIONS = 500;

type AccountRegion = SweepCompletedDetail['accountRegions'][number];

const attention = (target: AccountRegion): number =>
  (target.error === null ? 0 : 1_000_000) +
  (target.byOutcome.Failed ?? 0) +
  (target.streams - (target.byOutcome.AlreadyCompliant ?? 0));

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
    const found = byTarget.get(key) ?? { account, region, streams: 0, byOutcome: {}, error: null };
    byTarget.set(key, found);
    return found;
  };
  for (const stream of report.streams) {
    const target = entry(stream.account, stream.region);
    target.streams += 1;
    target.byOutcome[stream.outcome] = (target.byOutcome[stream.outcome] ?? 0) + 1;
  }
  for (const error of report.errors) entry(error.account, error.region).error = error.message.slice(0, 500);
  const count = (test: (stream: Report['streams'][number]) => boolean) => report.streams.filter(test).length;
  const targets = [...byTarget.values()];
  const kept = [...targets].sort((a, b) => attention(b) - attention(a) || byPlace(a, b)).slice(0, MAX_ACCOUNT_REGIONS);
  return {
    version: '1',
    sweepId: report.sweepId,
    deployment: options.deployment,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    durationMs: report.durationMs,
    steps: options.steps,
    streamsChecked: count((stream) => stream.compliance !== Compliance.NotChecked),
    nonCompliantFound: count(
      (stream) =>
        stream.compliance === Compliance.NonCompliant ||
        (stream.compliance === Compliance.Failed && stream.reason.startsWith('hand-over failed'))
    ),
    changed: count((stream) => stream.changed),
    exempt: count((stream) => stream.compliance === Compliance.Exempt),
    failed: count((stream) => stream.compliance === Compliance.Failed),
    accountRegions: kept.sort(byPlace),
    accountRegionsOmitted: targets.length - kept.length,
    apiCalls: { ...report.apiCalls },
    peakDescribePerSecond: report.peakDescribePerSecond,
    report: options.location,
  };
};
