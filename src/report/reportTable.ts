import { Compliance, type Report } from './report';

const table = (rows: string[][]): string[] => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  );
};

/** `--format table`: the summary per account and region, then every stream that is not compliant. */
export const reportTable = (report: Report): string => {
  const { totals } = report;
  const lines = [
    `${report.command} ${report.sweepId}: ${totals.streams} streams in ${report.summary.length} account-region(s), ${(report.durationMs / 1000).toFixed(1)} s${report.interrupted ? ' (interrupted)' : ''}`,
    '',
    ...table([
      ['ACCOUNT', 'REGION', 'STREAMS', 'COMPLIANT', 'NON-COMPLIANT', 'EXEMPT', 'FAILED', 'CHANGED', 'CONFIRMED'],
      ...report.summary.map((row) => [
        row.account,
        row.region,
        ...[row.streams, row.compliant, row.nonCompliant, row.exempt, row.failed, row.changed, row.confirmed].map(
          String
        ),
      ]),
    ]),
  ];
  const open = report.streams.filter(
    (stream) => stream.compliance !== Compliance.Compliant && stream.compliance !== Compliance.Exempt
  );
  if (open.length > 0) {
    lines.push(
      '',
      ...table([
        ['STREAM', 'COMPLIANCE', 'ENCRYPTION', 'REASON'],
        ...open.map((s) => [
          `${s.account}/${s.region}/${s.streamName}`,
          s.compliance,
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
