import { Compliance, type Report } from '../report/report';

/** `detail-type` of the one event a deployed sweep publishes when it ends. */
export const SWEEP_COMPLETED = 'Sweep Completed';

/** Where the sweep's report was written. */
export interface ReportLocation {
  bucket: string;
  keys: string[];
}

/** `detail` of `Sweep Completed` (`src/completion/sweep-completed.schema.json`). */
export interface SweepCompletedDetail {
  version: '1';
  sweepId: string;
  deployment: 'account' | 'org';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Lambda invocations the sweep took (continuations + 1). */
  steps: number;
  streamsChecked: number;
  /** Streams found not compliant (handed to the reconcile path, or left so in audit mode). */
  nonCompliantFound: number;
  /** Streams whose key the hand-over applied (each confirmed by the state machine's own event). */
  changed: number;
  exempt: number;
  failed: number;
  accountRegions: {
    account: string;
    region: string;
    streams: number;
    byOutcome: Record<string, number>;
    error: string | null;
  }[];
  /** Account-regions left out of `accountRegions` (the report has every one). */
  accountRegionsOmitted: number;
  apiCalls: Record<string, number>;
  peakDescribePerSecond: number;
  report: ReportLocation | null;
}

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
