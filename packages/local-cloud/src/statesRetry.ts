/** A `Retry` entry (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** A `Catch` entry; `Output` and `Assign` are evaluated with `$states.errorOutput`. */
export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

/** Errors no retrier or catcher handles (AWS: "Runtime errors are not retriable"). */
const TERMINAL = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/**
 * Whether an `ErrorEquals` list names the error: `States.ALL` matches any error, `States.TaskFailed` any but
 * `States.Timeout`; neither, nor any name, matches `States.Runtime` or `States.DataLimitExceeded`.
 */
export const errorMatches = (errorEquals: readonly string[], errorName: string): boolean =>
  !TERMINAL.has(errorName) &&
  errorEquals.some(
    (name) =>
      name === errorName || name === 'States.ALL' || (name === 'States.TaskFailed' && errorName !== 'States.Timeout')
  );

/** Retries made so far by each retrier of one state (each retrier counts its own). */
export type RetryCounts = number[];

/** Milliseconds to wait instead of the computed delay: one for every retry, or one per retrier index. */
export type RetryIntervalOverride = number | number[];

/**
 * The delay before the next retry of an error, or `undefined` when the first matching retrier is exhausted (or
 * none matches): then `Catch` applies. Delay = IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds,
 * drawn in [0, delay] with `JitterStrategy: FULL`. Counts the retry in `counts`.
 *
 * @param override - like aws-local-stepfunctions' `retryIntervalOverrides`: replaces the delay (no jitter)
 */
export const nextRetryDelayMs = (
  retriers: readonly Retrier[],
  counts: RetryCounts,
  errorName: string,
  override?: RetryIntervalOverride,
  random: () => number = Math.random
): number | undefined => {
  const index = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, errorName));
  const retrier = retriers[index];
  if (retrier === undefined) return undefined;
  const attempt = counts[index] ?? 0;
  if (attempt >= (retrier.MaxAttempts ?? 3)) return undefined;
  counts[index] = attempt + 1;
  const overrideMs = typeof override === 'number' ? override : override?.[index];
  if (overrideMs !== undefined && overrideMs >= 0) return overrideMs;
  const seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt;
  const capped = Math.min(seconds, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
  return retrier.JitterStrategy === 'FULL' ? random() * capped : capped;
};

/** The first catcher whose `ErrorEquals` names the error. */
export const catcherFor = (catchers: readonly Catcher[], errorName: string): Catcher | undefined =>
  catchers.find((catcher) => errorMatches(catcher.ErrorEquals, errorName));
