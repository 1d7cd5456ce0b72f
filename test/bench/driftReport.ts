import type { DriftResult } from './driftScenario';

/** Targets of the drift repair (issue 11). */
const DRIFT_TARGETS = { p95OverheadSeconds: 1.5, appliesPerDrift: 1 } as const;

const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a');
const spanOf = ({ min, max }: { min: number; max: number }): string => (min === max ? String(min) : `${min}–${max}`);

/** Worst p95 over the floor of every drift load, in ms (NaN when there is none). */
const driftP95OverheadMs = (drifts: DriftResult[]): number =>
  drifts.length === 0 ? Number.NaN : Math.max(...drifts.map((r) => r.overheadMs.p95));

/** StartStreamEncryption per drift farthest from exactly one, over every drift load. */
const appliesPerDrift = (drifts: DriftResult[]): number =>
  drifts
    .flatMap((r) => [r.applies.min, r.applies.max])
    .reduce((worst, v) => (Math.abs(v - 1) > Math.abs(worst - 1) ? v : worst), 1);

/** Fields of the machine-readable last line. */
export const driftFinalFields = (drifts: DriftResult[]): string =>
  `drift_p95_overhead_s=${(driftP95OverheadMs(drifts) / 1000).toFixed(3)} applies_per_drift=${appliesPerDrift(drifts)}`;

export const DRIFT_HEADER = [
  'concurrent drifts',
  'accounts',
  'floor s',
  'p50 over floor s',
  'p95 over floor s',
  'max over floor s',
  'applies/drift',
  'completions/drift',
  'outcomes',
];

export const driftRows = (drifts: DriftResult[]): string[][] =>
  drifts.map((r) => [
    r.plan.label,
    String(r.accounts),
    s(r.floorMs),
    s(r.overheadMs.p50),
    s(r.overheadMs.p95),
    s(r.overheadMs.max),
    spanOf(r.applies),
    spanOf(r.completions),
    Object.entries(r.outcomes)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(', ') + (r.missing.length > 0 ? `, missing ${r.missing.length}` : ''),
  ]);

const status = (ok: boolean): string => (ok ? 'met' : '**missed**');

/** Target lines of the drift repair: name, measured, goal, status. */
export const driftTargetRows = (drifts: DriftResult[]): string[][] => {
  if (drifts.length === 0) return [];
  const p95 = driftP95OverheadMs(drifts) / 1000;
  const appliesOk = drifts.every((r) => r.applies.min === 1 && r.applies.max === 1 && r.missing.length === 0);
  return [
    [
      `drift repair p95 over floor, worst of ${drifts.map((r) => r.plan.label).join(' / ')} drifts`,
      `${p95.toFixed(2)} s`,
      `≤ ${DRIFT_TARGETS.p95OverheadSeconds} s`,
      status(p95 <= DRIFT_TARGETS.p95OverheadSeconds),
    ],
    [
      'StartStreamEncryption by the pipeline per drift',
      String(appliesPerDrift(drifts)),
      `exactly ${DRIFT_TARGETS.appliesPerDrift}`,
      status(appliesOk),
    ],
  ];
};

/** Method bullets of the drift repair (markdown). */
export const driftMethod = (updateMs: number, cloudTrailDelayMs: number): string[] => [
  '- **Drift repair**: N streams (5 per account) are created and left once their `Stream Encrypted` completion is published; then',
  '  StopStreamEncryption is called on all N at once. Measured = each StopStreamEncryption call → the completion event with `trigger`',
  `  \`StopStreamEncryption\` and outcome Encrypted. **Floor** = the stop's update (${s(updateMs)} s) + the re-apply's update (${s(updateMs)} s)`,
  `  + the CloudTrail delivery delay (${s(cloudTrailDelayMs)} s). Applies = CloudTrail StartStreamEncryption events by an assumed role (the pipeline's) after the stop:`,
  "  exactly 1 per drift; completions = completion events of the stream after the stop, any trigger (1: no reaction to the pipeline's own call).",
];
