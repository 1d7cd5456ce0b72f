import type { SweepTarget } from '../audit/checkStream';
import { inPool } from '../audit/inPool';
import type { ApiCallBudget } from '../aws/apiCallBudget';
import type { StreamWithArn } from '../aws/streamArnsOf';
import type { ReportStream } from '../report/report';
import { accountRegionKey, type SweepAccountRegion } from './sweepAccountRegion';
import type { PendingAccountRegion, SweepState } from './sweepState';

/** What one step of a deployed sweep runs on. */
export interface SweepStepDeps {
  /**
   * Every account-region of the sweep, none opened, in the order they are taken: the caller interleaves the
   * accounts (region by region) so the account-regions in flight belong to different accounts and budgets.
   */
  accountRegions: readonly SweepAccountRegion[];
  /** Checks one stream (and hands it to the reconcile path when it is not compliant). */
  check(target: SweepTarget, stream: StreamWithArn): Promise<ReportStream>;
  /** Epoch milliseconds (a fake clock in tests). */
  now(): number;
  /** Epoch milliseconds after which no account-region is listed and no stream taken (in-flight checks finish). */
  deadline: number;
  /** Streams checked at once, over every account-region in flight. */
  concurrency: number;
  /** Account-regions opened (clients, credentials, listing, checks) at once. */
  accountRegionsInFlight: number;
  onChecked?: (row: ReportStream) => void;
}

/** `count` permits handed out first come, first served (the account-regions in flight take turns). */
const fifoPermits = (count: number) => {
  let free = count;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) free += 1;
    else next();
  };
  return (): Promise<() => void> => {
    if (free > 0) {
      free -= 1;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => waiting.push(() => resolve(release)));
  };
};

const tagsOf = (pending: PendingAccountRegion): ReadonlyMap<string, Readonly<Record<string, string>>> | undefined =>
  pending.tags === undefined ? undefined : new Map(Object.entries(pending.tags));

/** What is left of an account-region the deadline stopped: its unchecked streams and their tags. */
const leftOver = (
  streams: StreamWithArn[],
  tags: ReadonlyMap<string, Readonly<Record<string, string>>> | undefined
) => ({
  streams,
  ...(tags !== undefined && {
    tags: Object.fromEntries(streams.flatMap(({ arn }) => (tags.has(arn) ? [[arn, tags.get(arn) ?? {}]] : []))),
  }),
});

/**
 * One step of a deployed sweep. At most `accountRegionsInFlight` account-regions are open at once, each listed
 * **once per sweep** (listing counts against the step's deadline: none is started after it); their streams are
 * checked `concurrency` at a time, the account-regions in flight taking turns. At the deadline an account-region
 * part-checked is kept in `state.pendingAccountRegions` with its unchecked streams (and tags), and the next step
 * starts with it, without listing it again; one done (or unreadable: `state.errors`) is in
 * `state.sweptAccountRegions` and never taken again. Updates `state` (rows, call counts, errors, step record).
 * @returns true when every account-region is done
 */
export const runSweepStep = async (state: SweepState, deps: SweepStepDeps): Promise<boolean> => {
  const started = deps.now();
  // A state written before these fields existed: nothing done, nothing pending.
  state.sweptAccountRegions ??= [];
  state.pendingAccountRegions ??= {};
  const swept = new Set(state.sweptAccountRegions);
  const pending = state.pendingAccountRegions;
  const checkedArns = new Set(state.rows.map(({ streamArn }) => streamArn));
  const queue = [
    ...deps.accountRegions.filter((place) => pending[accountRegionKey(place)] !== undefined),
    ...deps.accountRegions.filter((place) => {
      const key = accountRegionKey(place);
      return !swept.has(key) && pending[key] === undefined;
    }),
  ];
  const budgets = new Set<ApiCallBudget>();
  const acquire = fifoPermits(Math.max(1, deps.concurrency));
  const timeLeft = (): boolean => deps.now() < deps.deadline;
  let checked = 0;

  const done = (key: string): void => {
    swept.add(key);
    delete pending[key];
  };

  const sweepOne = async (place: SweepAccountRegion): Promise<void> => {
    const key = accountRegionKey(place);
    let target: SweepTarget;
    let streams: StreamWithArn[];
    let tags: ReadonlyMap<string, Readonly<Record<string, string>>> | undefined;
    try {
      const opened = place.open();
      budgets.add(opened.budget);
      const kept = pending[key];
      const listed = kept === undefined ? await opened.list() : { streams: kept.streams, tags: tagsOf(kept) };
      streams = listed.streams;
      tags = listed.tags;
      target = { ...opened.target, ...(tags !== undefined && { tags }) };
    } catch (error) {
      state.errors.push({ account: place.account, region: place.region, message: (error as Error).message });
      done(key);
      return;
    }
    const remaining = streams.filter(({ arn }) => !checkedArns.has(arn));
    const running: Promise<void>[] = [];
    let taken = 0;
    for (const stream of remaining) {
      const release = await acquire();
      if (!timeLeft()) {
        release();
        break;
      }
      taken += 1;
      running.push(
        deps
          .check(target, stream)
          .then((row) => {
            state.rows.push(row);
            checkedArns.add(stream.arn);
            checked += 1;
            deps.onChecked?.(row);
          })
          .finally(release)
      );
    }
    await Promise.all(running);
    if (taken === remaining.length) done(key);
    else pending[key] = leftOver(remaining.slice(taken), tags);
  };

  const taken = await inPool(queue, deps.accountRegionsInFlight, sweepOne, timeLeft);
  state.sweptAccountRegions = [...swept];
  const peak = Math.max(0, ...[...budgets].map((budget) => budget.peakPerSecond('DescribeStreamSummary')));
  state.peakDescribePerSecond = Math.max(state.peakDescribePerSecond, peak);
  state.steps.push({ startedAt: new Date(started).toISOString(), durationMs: deps.now() - started, checked });
  state.step += 1;
  return taken >= queue.length && Object.keys(pending).length === 0;
};
