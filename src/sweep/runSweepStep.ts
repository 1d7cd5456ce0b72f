import type { SweepTarget } from '../audit/checkStream';
import { interleaved } from '../audit/interleaved';
import type { ListedTarget } from '../audit/sweepTargets';
import type { StreamWithArn } from '../aws/streamArnsOf';
import type { ReportStream } from '../report/report';
import type { SweepState } from './sweepState';

/** What one step of a deployed sweep runs on. */
export interface SweepStepDeps {
  /** Every account-region with its streams listed; its API calls are added to `counts`. */
  listTargets(counts: Record<string, number>, note: (text: string) => void): Promise<ListedTarget[]>;
  /** Checks one stream (and hands it to the reconcile path when it is not compliant). */
  check(target: SweepTarget, stream: StreamWithArn): Promise<ReportStream>;
  /** Epoch milliseconds (a fake clock in tests). */
  now(): number;
  /** Epoch milliseconds after which no new stream is taken (in-flight checks finish). */
  deadline: number;
  /** Streams checked at once. */
  concurrency: number;
  onChecked?: (row: ReportStream) => void;
}

/**
 * One step of a deployed sweep: lists every account-region again (a stream created or deleted since the last
 * step is seen), checks the streams no earlier step checked, interleaved over the accounts so each account's
 * describe budget is used from the start, until every stream is checked or the deadline passes. Updates
 * `state` (rows, call counts, errors, step record).
 * @returns true when every listed stream has been checked
 */
export const runSweepStep = async (state: SweepState, deps: SweepStepDeps): Promise<boolean> => {
  const started = deps.now();
  const notes: string[] = [];
  const listed = await deps.listTargets(state.counts, (text) => notes.push(text));
  const done = new Set(state.rows.map(({ streamArn }) => streamArn));
  const readable = listed.flatMap((entry) => ('error' in entry ? [] : [entry]));
  state.errors = listed.flatMap((entry) =>
    'error' in entry ? [{ account: entry.account, region: entry.region, message: entry.error }] : []
  );
  for (const text of notes) if (!state.notes.includes(text)) state.notes.push(text);
  const tasks = interleaved(
    readable.map(({ target, streams }) => ({ target, streams: streams.filter(({ arn }) => !done.has(arn)) }))
  );
  let next = 0;
  let checked = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && deps.now() < deps.deadline) {
      const task = tasks[next++] as (typeof tasks)[number];
      const row = await deps.check(task.target, task.stream);
      state.rows.push(row);
      checked++;
      deps.onChecked?.(row);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency) }, worker));
  const peak = Math.max(0, ...readable.map(({ budget }) => budget.peakPerSecond('DescribeStreamSummary')));
  state.peakDescribePerSecond = Math.max(state.peakDescribePerSecond, peak);
  state.steps.push({ startedAt: new Date(started).toISOString(), durationMs: deps.now() - started, checked });
  state.step += 1;
  return next >= tasks.length;
};
