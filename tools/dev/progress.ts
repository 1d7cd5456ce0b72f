import type { CompletionDetail } from '../../src/completion/completionDetail';

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

/** One line per stage change, with the time since `start`. */
export const stageLine = (start: number, label: string, stage: string): string =>
  `${dim(`[+${((Date.now() - start) / 1000).toFixed(1).padStart(5)}s]`)} ${label}: ${stage === Stage.Done ? green(stage) : cyan(stage)}`;

/** Short form of a completion event: outcome, stream, key and time to encrypted. */
export const completionLine = (detailType: string, detail: CompletionDetail): string => {
  const colour = outcomeColor(detail.outcome);
  const parts = [
    colour(`● ${detail.outcome}`.padEnd(18)),
    streamLabel(detail.account, detail.region, detail.streamName),
    dim(`(${detailType})`),
  ];
  if (detail.timeToEncryptedMs !== null) parts.push(`time-to-encrypted ${bold(seconds(detail.timeToEncryptedMs))}`);
  if (detail.outcome !== 'Encrypted') parts.push(dim(`— ${detail.reason}`));
  return parts.join(' ');
};

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
