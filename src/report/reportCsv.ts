import type { Report, ReportStream } from './report';

/** Columns of `report.csv`, one row per stream. */
const COLUMNS: [string, (stream: ReportStream) => string | number | boolean | null][] = [
  ['account', (s) => s.account],
  ['region', (s) => s.region],
  ['stream_name', (s) => s.streamName],
  ['stream_arn', (s) => s.streamArn],
  ['compliance', (s) => s.compliance],
  ['severity', (s) => s.severity],
  ['receiving_writes', (s) => s.receivingWrites],
  ['outcome', (s) => s.outcome],
  ['status', (s) => s.status],
  ['encryption_type', (s) => s.encryptionType],
  ['key_id', (s) => s.keyId],
  ['desired_key_id', (s) => s.desiredKeyId],
  ['policy', (s) => s.policy],
  ['exemption_reason', (s) => s.exemptionReason],
  ['changed', (s) => s.changed],
  ['last_change', (s) => s.lastChange],
  ['exposure_from', (s) => s.exposure?.from ?? null],
  ['exposure_to', (s) => s.exposure?.to ?? null],
  ['exposure_seconds', (s) => s.exposure?.seconds ?? null],
  ['created_at', (s) => s.createdAt],
  ['exposed_since', (s) => s.exposedSince],
  ['enforce_would_refuse', (s) => s.enforceWouldRefuse],
  ['created_by', (s) => s.createdBy],
  ['fix_command', (s) => s.fixCommand],
  ['reason', (s) => s.reason],
  ['error', (s) => (s.error === null ? null : `${s.error.name}: ${s.error.message}`)],
];

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled). A text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'` (OWASP CSV injection).
 */
const field = (value: string | number | boolean | null): string => {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** `report.csv`: a header and one line per stream, CRLF line ends (RFC 4180). */
export const reportCsv = (report: Report): string =>
  [COLUMNS.map(([name]) => name), ...report.streams.map((stream) => COLUMNS.map(([, get]) => get(stream)))]
    .map((row) => row.map((value) => field(value)).join(','))
    .join('\r\n')
    .concat('\r\n');
