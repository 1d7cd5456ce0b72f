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
  apiCalls: Record<string, number>;
  peakDescribePerSecond: number;
  report: ReportLocation | null;
}

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
    accountRegions: [...byTarget.values()].sort(
      (a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region)
    ),
    apiCalls: { ...report.apiCalls },
    peakDescribePerSecond: report.peakDescribePerSecond,
    report: options.location,
  };
};
