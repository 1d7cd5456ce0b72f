import type { SweepBenchResult } from './sweepScenario';

/** Goals of the sweep bench (issue 13). */
const SWEEP_TARGETS = { floorRatio: 1.15, costPer1000Usd: 0.01 } as const;

// The words of report.ts's targets table.
const status = (ok: boolean): string => (ok ? 'met' : '**missed**');
const s = (ms: number): string => (ms / 1000).toFixed(1);

/** Lines of the terminal and markdown reports about the sweep. */
export const sweepLines = (sweep: SweepBenchResult): string[] => [
  `Sweep: ${sweep.streams} streams over ${sweep.accounts.length} accounts (90 % already encrypted), ${sweep.describePerSecond} DescribeStreamSummary/s per account; each account's deployed sweep at once (seeding took ${s(sweep.seedMs)} s)`,
  ...sweep.accounts.map(
    (account) =>
      `  ${account.account}: ${account.streams} streams in ${s(account.durationMs)} s (floor ${s(account.floorMs)} s), peak describe ${account.peakDescribeTps}/s`
  ),
  `  wall ${s(sweep.wallMs)} s / floor ${s(sweep.floorMs)} s = ${sweep.floorRatio.toFixed(3)}; ${sweep.steps} steps; changed ${sweep.changed}, confirmed ${sweep.confirmed}`,
  `  calls per stream: ${Object.entries(sweep.callsPerStream)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${operation} ${count.toFixed(3)}`)
    .join(', ')}`,
  `  cost per 1,000 streams checked: $${sweep.costPer1000Usd.toFixed(5)} (Lambda, its Step Functions loop, S3, KMS, one event; each change then costs the pipeline's cost per stream)`,
];

/** Rows of the targets table. */
export const sweepTargetRows = (sweep: SweepBenchResult): string[][] => [
  // The goal applies to the figure net of the local cloud (issue 21 item 9); the gross one is shown beside it.
  [
    'sweep wall / floor, net of the pass-through sweep',
    `${sweep.floorRatioNet.toFixed(3)} (gross ${sweep.floorRatio.toFixed(3)})`,
    `≤ ${SWEEP_TARGETS.floorRatio}`,
    status(sweep.floorRatioNet <= SWEEP_TARGETS.floorRatio),
  ],
  [
    'sweep peak DescribeStreamSummary/s per account',
    String(sweep.peakDescribeTps),
    `≤ ${sweep.describePerSecond} (budget)`,
    status(sweep.peakDescribeTps <= sweep.describePerSecond),
  ],
  [
    'sweep cost per 1,000 streams checked',
    `$${sweep.costPer1000Usd.toFixed(5)}`,
    `≤ $${SWEEP_TARGETS.costPer1000Usd}`,
    status(sweep.costPer1000Usd <= SWEEP_TARGETS.costPer1000Usd),
  ],
];

/** Fields of the machine-readable `bench:` line. */
export const sweepFinalFields = (sweep: SweepBenchResult | undefined): string =>
  sweep === undefined
    ? ''
    : ` sweep_floor_ratio=${sweep.floorRatio.toFixed(3)} sweep_peak_describe_tps=${sweep.peakDescribeTps}`;
