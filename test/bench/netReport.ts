import type { OrgSweepResult } from './orgSweepScenario';
import type { PassThroughResult } from './passThroughLoad';
import type { SweepBenchResult } from './sweepScenario';

/** Goals of the net figures (issue 21 item 9). */
const NET_TARGETS = { p95OverheadSeconds: 1.5, orgFloorRatio: 1.2, peakSockets: 256 } as const;

const status = (ok: boolean): string => (ok ? 'met' : '**missed**');
const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a');
const fixed = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');

/** The net figures of one bench run: the pipeline's overhead beyond what the local cloud itself adds. */
export interface NetFigures {
  /** p95 over the floor of the headline load, ms. */
  p95OverheadMs: number;
  passThrough?: PassThroughResult;
  sweep?: SweepBenchResult;
  orgSweep?: OrgSweepResult;
}

/** p95 over the floor less the pass-through's p95 delivery → completion on the same load, ms. */
const p95NetMs = (net: NetFigures): number =>
  net.passThrough === undefined ? Number.NaN : net.p95OverheadMs - net.passThrough.latencyMs.p95;

/** Fields of the machine-readable `bench:` line (`n/a` for a part not run). */
export const netFinalFields = (net: NetFigures): string =>
  ` p95_overhead_net_s=${fixed(p95NetMs(net) / 1000)}` +
  ` sweep_floor_ratio_net=${fixed(net.sweep?.floorRatioNet ?? Number.NaN)}` +
  ` sweep_org_floor_ratio_net=${fixed(net.orgSweep?.floorRatioNet ?? Number.NaN)}` +
  ` sweep_peak_sockets=${net.orgSweep === undefined ? 'n/a' : String(net.orgSweep.peakSockets)}`;

/** Lines of the terminal and markdown reports. */
export const netLines = (net: NetFigures): string[] => [
  ...(net.passThrough === undefined
    ? []
    : [
        `Pass-through (${net.passThrough.streams} streams, load ${net.passThrough.label}): delivery → completion p50 ${s(net.passThrough.latencyMs.p50)} s, p95 ${s(net.passThrough.latencyMs.p95)} s (missing ${net.passThrough.missing});` +
          ` p95 over floor ${s(net.p95OverheadMs)} s − ${s(net.passThrough.latencyMs.p95)} s = net ${s(p95NetMs(net))} s`,
      ]),
  ...(net.sweep === undefined
    ? []
    : [
        `Sweep net of the pass-through sweep: wall/floor ${fixed(net.sweep.floorRatioNet)} (gross ${fixed(net.sweep.floorRatio)})`,
      ]),
  ...(net.orgSweep === undefined
    ? []
    : [
        `Organisation sweep: ${net.orgSweep.accountRegions} member account-regions × 5 streams (${net.orgSweep.streams}), hub sweep ${s(net.orgSweep.wallMs)} s − pass-through ${s(net.orgSweep.passThroughWallMs)} s over floor ${s(net.orgSweep.floorMs)} s = ${fixed(net.orgSweep.floorRatioNet)};` +
          ` ${net.orgSweep.checked} checked in ${net.orgSweep.steps} step(s); peak TCP connections of the sweep process ${net.orgSweep.peakSockets} (${net.orgSweep.socketSamples} samples); seeding ${s(net.orgSweep.seedMs)} s`,
        `  the sweep process used ${net.orgSweep.sweepCpuSeconds.toFixed(1)} CPU s; calls at the gateway meanwhile (the local tag:GetResources answers from its own index, as AWS's does): ${Object.entries(
          net.orgSweep.calls
        )
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([operation, count]) => `${operation} ${count}`)
          .join(', ')}`,
      ]),
];

/** Rows of the targets table: name, measured, goal, status. */
export const netTargetRows = (net: NetFigures): string[][] => [
  ...(net.passThrough === undefined
    ? []
    : [
        [
          'p95 over floor net of the pass-through',
          `${s(p95NetMs(net))} s`,
          `≤ ${NET_TARGETS.p95OverheadSeconds} s`,
          status(p95NetMs(net) / 1000 <= NET_TARGETS.p95OverheadSeconds),
        ],
      ]),
  ...(net.orgSweep === undefined
    ? []
    : [
        [
          `organisation sweep wall / floor net (${net.orgSweep.accountRegions} account-regions × 5 streams)`,
          fixed(net.orgSweep.floorRatioNet),
          `≤ ${NET_TARGETS.orgFloorRatio}`,
          status(net.orgSweep.floorRatioNet <= NET_TARGETS.orgFloorRatio),
        ],
        [
          'TCP connections the sweep process holds at once',
          String(net.orgSweep.peakSockets),
          `≤ ${NET_TARGETS.peakSockets}`,
          status(net.orgSweep.peakSockets <= NET_TARGETS.peakSockets),
        ],
      ]),
];
