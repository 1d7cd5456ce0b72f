import type { CompletionDetail } from '../../src/completion/completionDetail';
import { formatMetricTotals } from './metricTotals';

/** Terminal styles; plain text when stdout is not a TTY or NO_COLOR is set. */
const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const style =
  (code: string) =>
  (text: string): string =>
    useColor ? `\u001b[${code}m${text}\u001b[0m` : text;

export const bold = style('1');
export const dim = style('2');
export const green = style('32');
const yellow = style('33');
export const red = style('31');
export const cyan = style('36');

/** Where a stream is in the pipeline, as shown to a person. */
export const Stage = {
  Creating: 'CREATING',
  Active: 'ACTIVE (not encrypted yet)',
  Applying: 'applying key',
  Updating: 'UPDATING',
  Encrypted: 'ACTIVE, KMS',
  Done: 'done',
} as const;

export type Stage = (typeof Stage)[keyof typeof Stage];

const outcomeColor = (outcome: string): ((text: string) => string) => {
  switch (outcome) {
    case 'Encrypted':
    case 'AlreadyCompliant':
      return green;
    case 'Skipped':
      return yellow;
    default:
      return red;
  }
};

/** Seconds with one decimal, e.g. `3.4 s`. */
export const seconds = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`;

/** `account/region name` of a stream. */
export const streamLabel = (account: string | null, region: string | null, name: string | null): string =>
  `${account ?? '?'}/${region ?? '?'} ${bold(name ?? '?')}`;

/** `[+  5.3s]`: the time since `start`, the first column of every line the console prints. */
export const elapsed = (start: number, now = Date.now()): string =>
  dim(`[+${((now - start) / 1000).toFixed(1).padStart(5)}s]`);

/** One line per stage change, with the time since `start`. */
export const stageLine = (start: number, label: string, stage: string, now = Date.now()): string =>
  `${elapsed(start, now)} ${label}: ${stage === Stage.Done ? green(stage) : cyan(stage)}`;

const ARN = /^arn:[\w-]+:(?:iam|sts)::(\d{12}):(.+)$/;

/**
 * Who made a call, from its `userIdentity.arn` (the completion detail's `actor`): `user/alice` or
 * `assumed-role/Admin/alice` when the caller is of the stream's account, else the whole ARN.
 */
export const callerName = (actor: string | null, account: string | null): string | null => {
  if (actor === null) return null;
  const [, callerAccount, resource] = ARN.exec(actor) ?? [];
  return callerAccount !== undefined && callerAccount === account && resource !== undefined ? resource : actor;
};

/** Triggers whose Encrypted outcome is a drift repair (the DriftRepaired metric, src/metrics/completionMetrics.ts). */
const DRIFT_TRIGGERS: ReadonlySet<string | null> = new Set(['StopStreamEncryption', 'StartStreamEncryption']);

/** What made the pipeline look at the stream, and whether the outcome repaired a drift, as a person says it. */
export const triggerText = (detail: Pick<CompletionDetail, 'outcome' | 'trigger' | 'actor' | 'account'>): string => {
  const caller = callerName(detail.actor, detail.account);
  const by = caller === null ? '' : ` by ${caller}`;
  const repair = detail.outcome === 'Encrypted' && DRIFT_TRIGGERS.has(detail.trigger) ? 'repaired: ' : '';
  switch (detail.trigger) {
    case 'CreateStream':
      return 'new stream (CreateStream)';
    case 'StopStreamEncryption':
      return `${repair}decrypted${by} (StopStreamEncryption)`;
    case 'StartStreamEncryption':
      return `${repair}key ${repair === '' ? 'applied' : 'changed'}${by} (StartStreamEncryption)`;
    case 'TagsChanged':
      return `tags changed${by} (TagsChanged)`;
    case 'Sweep':
      return 'sweep (Sweep)';
    default:
      return 'no trigger';
  }
};

/**
 * A completion event as one line: the time, outcome, stream, what triggered it (a drift repair says so, and who
 * decrypted), the times for an encryption, and the reason for anything else.
 */
export const completionLine = (
  start: number,
  detail: Pick<
    CompletionDetail,
    | 'outcome'
    | 'trigger'
    | 'actor'
    | 'account'
    | 'region'
    | 'streamName'
    | 'reason'
    | 'timeToEncryptedMs'
    | 'exposureMs'
  >,
  now = Date.now()
): string => {
  const colour = outcomeColor(detail.outcome);
  const parts = [
    elapsed(start, now),
    colour(`● ${detail.outcome}`.padEnd(19)),
    `${streamLabel(detail.account, detail.region, detail.streamName)} `,
    triggerText(detail),
  ];
  if (detail.timeToEncryptedMs !== null) parts.push(`· time-to-encrypted ${bold(seconds(detail.timeToEncryptedMs))}`);
  if (detail.exposureMs !== null) parts.push(`· exposure ${seconds(detail.exposureMs)}`);
  if (detail.outcome !== 'Encrypted') parts.push(dim(`— ${detail.reason}`));
  return parts.join(' ');
};

/** The metric totals line (the summary's and the once-a-minute one), with the time like every other line. */
export const metricsLine = (start: number, totals: Record<string, number>, now = Date.now()): string =>
  `${elapsed(start, now)} ${bold('metrics')}: ${formatMetricTotals(totals)}`;

/** A row of the summary table. */
export interface SummaryRow {
  account: string;
  region: string;
  stream: string;
  expected: string;
  outcome: string;
  timeToEncryptedMs: number | null;
  keyId: string | null;
  trigger: string | null;
  exposureMs: number | null;
}

/** Renders the summary table (plain columns, aligned). */
export const summaryTable = (rows: SummaryRow[]): string => {
  const header = [
    'stream',
    'account',
    'region',
    'trigger',
    'expected',
    'outcome',
    'time-to-encrypted',
    'exposure',
    'stream key',
  ];
  const body = rows.map((row) => [
    row.stream,
    row.account,
    row.region,
    row.trigger ?? '-',
    row.expected,
    row.outcome,
    seconds(row.timeToEncryptedMs),
    seconds(row.exposureMs),
    row.keyId ?? '-',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length))
  );
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  const marks = rows.map((row) => (row.outcome === row.expected ? green('✔') : red('✘')));
  return [
    `  ${bold(line(header))}`,
    `  ${dim(widths.map((width) => '─'.repeat(width)).join('  '))}`,
    ...body.map((cells, index) => {
      const row = rows[index];
      const text = line(cells);
      return `${marks[index]} ${row !== undefined && row.outcome !== row.expected ? red(text) : text}`;
    }),
  ].join('\n');
};
