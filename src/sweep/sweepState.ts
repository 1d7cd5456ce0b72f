import type { ReportStream } from '../report/report';

/** One step (one Lambda invocation) of a deployed sweep. */
interface SweepStepRecord {
  startedAt: string;
  durationMs: number;
  /** Streams checked in this step. */
  checked: number;
}

/**
 * What a deployed sweep keeps between its steps (JSON, in the sweep bucket): every stream checked so far, the
 * API calls by operation, the account-regions that could not be read in the latest listing.
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
});
