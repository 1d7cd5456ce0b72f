import type { StreamWithArn } from '../aws/streamArnsOf';
import type { ReportStream } from '../report/report';

/** One step (one Lambda invocation) of a deployed sweep. */
interface SweepStepRecord {
  startedAt: string;
  durationMs: number;
  /** Streams checked in this step. */
  checked: number;
}

/** An account-region listed by a step whose deadline came before all its streams were checked. */
export interface PendingAccountRegion {
  /** Its streams not checked yet (the next step checks them without listing the account-region again). */
  streams: StreamWithArn[];
  /** Their tags as listed in bulk, by stream ARN (absent: read per stream). */
  tags?: Record<string, Record<string, string>>;
}

/**
 * What a deployed sweep keeps between its steps (JSON, in the sweep bucket): every stream checked so far, the
 * API calls by operation, the account-regions that could not be read, which account-regions are done and which
 * were left part-checked by a step's deadline.
 */
export interface SweepState {
  version: 1;
  sweepId: string;
  startedAt: string;
  /** The next step's number (0 = not started). */
  step: number;
  rows: ReportStream[];
  counts: Record<string, number>;
  peakDescribePerSecond: number;
  errors: { account: string; region: string; message: string }[];
  notes: string[];
  steps: SweepStepRecord[];
  /** `<account>/<region>` of every account-region done: listed once and every stream checked, or unreadable. */
  sweptAccountRegions: string[];
  /** Account-regions listed but not fully checked, by `<account>/<region>`. */
  pendingAccountRegions: Record<string, PendingAccountRegion>;
}

/** The state of a sweep before its first step. */
export const newSweepState = (sweepId: string, startedAt: Date): SweepState => ({
  version: 1,
  sweepId,
  startedAt: startedAt.toISOString(),
  step: 0,
  rows: [],
  counts: {},
  peakDescribePerSecond: 0,
  errors: [],
  notes: [],
  steps: [],
  sweptAccountRegions: [],
  pendingAccountRegions: {},
});
