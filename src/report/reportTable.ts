import { Compliance } from '../domain/compliance';
import { Outcome } from '../domain/outcome';
import { type Report, type ReportStream, RunOutcome } from './report';

const table = (rows: string[][]): string[] => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  );
};

/** A stream to list: not compliant (nor exempt), or whose remedy did not succeed. */
const needsAttention = (stream: ReportStream): boolean =>
  (stream.compliance !== Compliance.Compliant && stream.compliance !== Compliance.Exempt) ||
  stream.outcome === Outcome.Failed ||
  stream.outcome === RunOutcome.Unconfirmed;

/**
 * `--format table`: the totals by compliance, the summary per account and region, then every stream that is not
 * compliant or whose remedy failed, with its compliance and outcome.
 */
export const reportTable = (report: Report): string => {
  const { totals } = report;
  const lines = [
    `${report.command} ${report.sweepId}: ${totals.streams} streams in ${report.summary.length} account-region(s), ${(report.durationMs / 1000).toFixed(1)} s${report.interrupted ? ' (interrupted)' : ''}`,
    `compliance: ${totals.compliant} compliant, ${totals.nonCompliant} non-compliant, ${totals.exempt} exempt, ${totals.notChecked} not checked; ${totals.failed} failed, ${totals.changed} changed, ${totals.confirmed} confirmed`,
    '',
    ...table([
      [
        'ACCOUNT',
        'REGION',
        'STREAMS',
        'COMPLIANT',
        'NON-COMPLIANT',
        'EXEMPT',
        'NOT-CHECKED',
        'FAILED',
        'CHANGED',
        'CONFIRMED',
      ],
      ...report.summary.map((row) => [
        row.account,
        row.region,
        ...[
          row.streams,
          row.compliant,
          row.nonCompliant,
          row.exempt,
          row.notChecked,
          row.failed,
          row.changed,
          row.confirmed,
        ].map(String),
      ]),
    ]),
  ];
  const open = report.streams.filter(needsAttention);
  if (open.length > 0) {
    lines.push(
      '',
      ...table([
        ['STREAM', 'COMPLIANCE', 'OUTCOME', 'ENCRYPTION', 'REASON'],
        ...open.map((s) => [
          `${s.account}/${s.region}/${s.streamName}`,
          s.compliance,
          s.outcome,
          s.encryptionType ?? '-',
          s.reason.slice(0, 160),
        ]),
      ])
    );
  }
  for (const error of report.errors) lines.push(`error ${error.account}/${error.region}: ${error.message}`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
};
