import { randomUUID } from 'node:crypto';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type CheckSettings, checkStream, notCheckedRow } from '../audit/checkStream';
import { inPool } from '../audit/inPool';
import { interleaved } from '../audit/interleaved';
import { type KeyPreflightFailure, preflightKeys } from '../audit/keyPreflight';
import { runLedgers } from '../audit/runLedgers';
import { withStreamActivity } from '../audit/streamActivity';
import { listTargets, planTargets } from '../audit/sweepTargets';
import type { KeyPolicyMode } from '../domain/keyCheck';
import type { KeyIdSource } from '../domain/ports';
import type { Policy } from '../domain/streamPolicy';
import { buildReport } from '../report/buildReport';
import { fixCommandOf } from '../report/fixCommand';
import type { Report, ReportStream } from '../report/report';
import type { SweepProgress } from './sweepProgress';

/** Options of one `audit` / `sweep` run (see the CLI's usage). */
export interface SweepOptions {
  command: 'audit' | 'sweep';
  regions: readonly string[] | 'all';
  accounts?: readonly string[];
  roleName?: string;
  endpointUrl?: string;
  /** The default key of each account-region (one key, or a stage's key map), resolved per stream. */
  keys: KeyIdSource;
  /** The default key as the report names it. */
  keyLabel: string;
  /** The pipeline's rules (the CLI's defaults, or a stage's settings); the mode is set by the command. */
  policy: Omit<Policy, 'mode'>;
  keyPolicyCheck: KeyPolicyMode;
  /** The account of the run's credentials. */
  ownAccount: string;
  describeRate: number;
  concurrency: number;
  tags: 'bulk' | 'stream';
  confirmTimeoutSeconds: number;
  /** Seconds a CREATING / UPDATING stream is waited for. */
  maxWaitSeconds: number;
  /** `--stream`: only the streams of these names or ARNs. */
  streams?: readonly string[];
  /** The run's flags that decide, repeated in each NonCompliant stream's fix command. */
  fixFlags?: readonly string[];
}

/** What a run needs from its environment. */
export interface SweepIo {
  credentials: AwsCredentialIdentityProvider;
  homeRegion: string;
  signal: AbortSignal;
  progress: SweepProgress;
}

/** A run's end: its report, or the configured keys that failed the pre-flight (nothing listed). */
export type SweepRun = { report: Report } | { keyFailures: KeyPreflightFailure[] };

/**
 * One `audit` or `sweep`: checks the configured keys once in every account-region (nothing is listed when one
 * fails), lists every stream of the accounts and regions, checks each through the reconciler (`concurrency` at a
 * time, within each account's describe budget), for `sweep` applies and confirms, and returns the report. An
 * aborted `signal` stops taking new streams; those are reported `NotChecked`.
 */
export const runSweep = async (options: SweepOptions, io: SweepIo): Promise<SweepRun> => {
  const started = new Date();
  const sweepId = `${started.toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z')}-${randomUUID().slice(0, 8)}`;
  const counts: Record<string, number> = {};
  const notes: string[] = [];
  const note = (text: string): void => {
    notes.push(text);
    io.progress.note(text);
  };
  const targetOptions = {
    ...options,
    sweepId,
    credentials: io.credentials,
    homeRegion: io.homeRegion,
    counts,
    note,
    onListed: (count: number) => io.progress.listed(count),
  };
  const planned = await planTargets(targetOptions);
  const ready = planned.flatMap((entry) => ('error' in entry ? [] : [entry.target]));
  const keyFailures = await preflightKeys(ready, options.keys);
  if (keyFailures.length > 0) return { keyFailures };
  const listed = await listTargets(planned, targetOptions);
  const errors = listed.flatMap((entry) => ('error' in entry ? [entry] : []));
  for (const error of errors) io.progress.note(`error ${error.account}/${error.region}: ${error.error}`);
  const readable = listed.flatMap((entry) => ('error' in entry ? [] : [entry]));
  const tasks = interleaved(readable);
  const settings: CheckSettings = {
    command: options.command,
    sweepId,
    startedAt: started.toISOString(),
    keyIdSource: options.keys,
    policy: { ...options.policy, mode: 'audit' },
    ...runLedgers(),
    maxWaitSeconds: options.maxWaitSeconds,
    confirmTimeoutSeconds: options.confirmTimeoutSeconds,
    signal: io.signal,
    onChanged: () => io.progress.changed(),
  };
  const rows: ReportStream[] = [];
  const taken = await inPool(
    tasks,
    options.concurrency,
    async (task) => {
      const row = await checkStream(task.target, task.stream, settings);
      rows.push(row);
      io.progress.checked();
      if (row.changed && row.lastChange !== null) io.progress.confirmed();
    },
    () => !io.signal.aborted
  );
  for (const task of tasks.slice(taken)) rows.push(notCheckedRow(task.target, task.stream, settings));
  // receivingWrites, severity and createdBy: as the deployed sweep reads them (src/audit/streamActivity.ts).
  const read = await withStreamActivity(readable, rows, started, note);
  const finished = new Date();
  io.progress.done();
  const report = buildReport({
    command: options.command,
    sweepId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    interrupted: io.signal.aborted,
    options: {
      regions: [...new Set(readable.map(({ target }) => target.region))].sort(),
      accounts: options.accounts === undefined ? null : [...options.accounts],
      key: options.keyLabel,
      describeRate: options.describeRate,
      concurrency: options.concurrency,
      endpointUrl: options.endpointUrl ?? null,
      tags: options.tags,
    },
    streams: read.map((row) => ({ ...row, fixCommand: fixCommandOf(row, options.fixFlags ?? []) })),
    errors: errors.map(({ account, region, error }) => ({ account, region, message: error })),
    apiCalls: { ...counts },
    peakDescribePerSecond: Math.max(0, ...readable.map(({ budget }) => budget.peakPerSecond('DescribeStreamSummary'))),
    notes,
  });
  return { report };
};
