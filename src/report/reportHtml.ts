import { Compliance } from '../domain/compliance';
import { escapeHtml } from './escapeHtml';
import { exposureText, humanDuration, utcMinute } from './humanTime';
import type { Report, ReportStream } from './report';
import { reportChart } from './reportChart';
import { REPORT_PAGE_SCRIPT } from './reportPageScript';
import { severityRank } from './severity';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:16px 24px;color:#1b1b1b}
h1{font-size:20px;margin:0 0 2px}h2{font-size:15px;margin:16px 0 6px}
.meta{color:#555;font-size:13px;margin:2px 0}#totals{margin:4px 0}
table{border-collapse:collapse;font-size:12px}
th,td{border-bottom:1px solid #ddd;padding:3px 5px;text-align:left;vertical-align:top}
#streams{table-layout:fixed;width:100%}
#streams td{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;line-height:1.35}
#streams td.wrap{white-space:normal}
#streams td.fix{user-select:all;font-family:ui-monospace,monospace}
#streams th{cursor:pointer;user-select:none;background:#f4f4f4;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#streams th[aria-sort=ascending]::after{content:" \\25B2"}#streams th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right}
.Compliant{color:#2e7d32}.NonCompliant{color:#c62828}.Failed{color:#ef6c00}#totals .NonCompliant,#totals .Failed{font-weight:600}.Exempt{color:#6d6d6d}.NotChecked{color:#607d8b}
.sev{font-weight:700}.sev-critical{background:#c62828;color:#fff;padding:0 4px;border-radius:3px}.sev-high{color:#c62828}.sev-medium{color:#ef6c00}.sev-low,.sev-none{color:#6d6d6d;font-weight:400}
.controls{margin:4px 0 6px;display:flex;gap:12px;align-items:center}
`;

interface Column {
  head: string;
  /** Share of the table's width, in percent (the columns add up to 100). */
  width: number;
  text: (s: ReportStream) => string;
  sort?: (s: ReportStream) => string;
  /** Wraps instead of cutting with an ellipsis (the whole text is in the cell's title either way). */
  wrap?: boolean;
}

/** The stream table's columns, attention first: severity, the stream, its compliance, then the facts. */
const COLUMNS: Column[] = [
  { head: 'Severity', width: 5.5, text: (s) => s.severity, sort: (s) => String(severityRank(s.severity)) },
  { head: 'Stream', width: 10.5, text: (s) => s.streamName },
  { head: 'Account', width: 7.5, text: (s) => s.account },
  { head: 'Region', width: 6.5, text: (s) => s.region },
  { head: 'Compliance', width: 6.5, text: (s) => s.compliance },
  { head: 'Outcome', width: 4.5, text: (s) => s.outcome },
  {
    head: 'Writes 24 h',
    width: 3,
    text: (s) => (s.receivingWrites === null ? '' : s.receivingWrites ? 'yes' : 'no'),
  },
  { head: 'Encryption', width: 4, text: (s) => s.encryptionType ?? '' },
  { head: 'Key', width: 4.5, text: (s) => s.keyId ?? '' },
  { head: 'Desired key', width: 4.5, text: (s) => s.desiredKeyId ?? '' },
  { head: 'Policy', width: 5, text: (s) => s.policy },
  { head: 'Exemption reason', width: 2.5, text: (s) => s.exemptionReason ?? '' },
  { head: 'Last change', width: 5, text: (s) => (s.lastChange === null ? '' : utcMinute(s.lastChange)), wrap: true },
  {
    head: 'Exposure',
    width: 15,
    text: (s) => (s.exposure === null ? '' : exposureText(s.exposure)),
    sort: (s) => (s.exposure?.seconds == null ? '' : String(s.exposure.seconds)),
    wrap: true,
  },
  { head: 'Created by', width: 5, text: (s) => s.createdBy ?? '' },
  { head: 'Reason', width: 6, text: (s) => s.reason },
  { head: 'Fix', width: 4.5, text: (s) => s.fixCommand },
];

const streamRow = (stream: ReportStream): string => {
  const cells = COLUMNS.map(({ head, text, sort, wrap }) => {
    const value = escapeHtml(text(stream));
    const sortAttr = sort === undefined ? '' : ` data-sort="${escapeHtml(sort(stream))}"`;
    const content = head === 'Severity' ? `<span class="sev sev-${stream.severity}">${value}</span>` : value;
    const cls = wrap === true ? ' class="wrap"' : head === 'Fix' ? ' class="fix"' : '';
    return `<td${sortAttr}${cls} title="${value}">${content}</td>`;
  });
  return `<tr class="${stream.compliance}" data-compliance="${stream.compliance}" data-severity="${stream.severity}" data-name="${escapeHtml(stream.streamName)}" data-arn="${escapeHtml(stream.streamArn)}">${cells.join('')}</tr>`;
};

/** Attention first: by severity, then account, region and name. */
const bySeverity = (a: ReportStream, b: ReportStream): number =>
  severityRank(a.severity) - severityRank(b.severity) ||
  a.account.localeCompare(b.account) ||
  a.region.localeCompare(b.region) ||
  a.streamName.localeCompare(b.streamName);

const summaryTable = (report: Report): string => {
  const heads = [
    'Account',
    'Region',
    'Streams',
    'Compliant',
    'Non-compliant',
    'Exempt',
    'Not checked',
    'Failed',
    'Changed',
    'Confirmed',
  ];
  const rows = report.summary.map((row) => {
    const counts = [
      row.streams,
      row.compliant,
      row.nonCompliant,
      row.exempt,
      row.notChecked,
      row.failed,
      row.changed,
      row.confirmed,
    ];
    return `<tr><td>${escapeHtml(row.account)}</td><td>${escapeHtml(row.region)}</td>${counts.map((n) => `<td class="num">${n}</td>`).join('')}</tr>`;
  });
  return `<table id="summary"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
};

/** Streams named in the write guard line at most; the rest are counted. */
const NAMED_PRODUCERS = 10;

/**
 * What writeGuard=enforce would refuse, in one line: shown when the deployment prepares or enforces the guard, or when
 * any stream would be refused (a CLI audit before the rollout); the streams receiving writes are named first.
 */
const writeGuardLine = (report: Report): string => {
  const { setting, wouldRefuse, wouldRefuseReceivingWrites } = report.writeGuard;
  if (wouldRefuse === 0 && (setting === null || setting === 'off')) return '';
  const writing = report.streams.filter((s) => s.enforceWouldRefuse === true && s.receivingWrites === true);
  const named = writing.slice(0, NAMED_PRODUCERS).map((s) => `<code>${escapeHtml(s.streamName)}</code>`);
  const more = writing.length > NAMED_PRODUCERS ? ` and ${writing.length - NAMED_PRODUCERS} more` : '';
  const which = named.length > 0 ? `: ${named.join(', ')}${more}` : '';
  const where = setting === null ? '' : ` (writeGuard=${escapeHtml(setting)})`;
  return `<p id="write-guard">Write guard${where}: enforce would refuse writes to <strong>${wouldRefuse}</strong> streams, <strong class="NonCompliant">${wouldRefuseReceivingWrites} receiving writes</strong>${which}.</p>`;
};

/**
 * `report.html`: one self-contained page (inline style, SVG and script; a Content-Security-Policy that allows no
 * network at all): totals, a summary per account and region with its chart, and every stream, sortable and
 * filterable.
 */
export const reportHtml = (report: Report): string => {
  const { totals } = report;
  const options = Object.values(Compliance)
    .map((value) => `<option value="${value}">${value}</option>`)
    .join('');
  const errors = report.errors.map((e) => `<li>${escapeHtml(`${e.account}/${e.region}: ${e.message}`)}</li>`);
  const notes = report.notes.map((note) => `<li>${escapeHtml(note)}</li>`);
  const title = `${report.command === 'sweep' ? 'Sweep' : 'Audit'} report: ${totals.nonCompliant} of ${totals.streams} streams non-compliant`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · kinesis-auto-encrypt</title><style>${STYLE}</style></head>
<body>
<h1>${title}</h1>
<p class="meta">kinesis-auto-encrypt ${escapeHtml(report.command)} ${escapeHtml(report.sweepId)} · ${utcMinute(report.startedAt)} · ${humanDuration(report.durationMs / 1000)}${report.interrupted ? ' · <strong>interrupted</strong>' : ''} · key ${escapeHtml(report.options.key)}</p>
<p id="totals"><strong>${totals.streams}</strong> streams: <span class="Compliant">${totals.compliant} compliant</span>, <span class="NonCompliant">${totals.nonCompliant} non-compliant</span>, <span class="Exempt">${totals.exempt} exempt</span>, <span class="NotChecked">${totals.notChecked} not checked</span>; <span class="Failed">${totals.failed} failed</span>, ${totals.changed} changed, ${totals.confirmed} confirmed.</p>
${writeGuardLine(report)}${errors.length > 0 ? `<h2>Errors</h2><ul id="errors">${errors.join('')}</ul>` : ''}${notes.length > 0 ? `<ul class="meta">${notes.join('')}</ul>` : ''}
<div class="controls"><input id="filter" type="search" placeholder="Filter streams" aria-label="Filter streams">
<select id="compliance-filter" aria-label="Compliance"><option value="">All</option>${options}</select><span id="shown"></span></div>
<table id="streams"><colgroup>${COLUMNS.map(({ width }) => `<col style="width:${width}%">`).join('')}</colgroup><thead><tr>${COLUMNS.map(({ head }) => `<th scope="col" title="${head}">${head}</th>`).join('')}</tr></thead>
<tbody>${[...report.streams].sort(bySeverity).map(streamRow).join('\n')}</tbody></table>
<h2>Per account and region</h2>
${reportChart(report.summary)}
${summaryTable(report)}
<script>${REPORT_PAGE_SCRIPT}</script>
</body></html>
`;
};
