import { Compliance } from '../domain/compliance';
import { escapeHtml } from './escapeHtml';
import type { Report, ReportStream } from './report';
import { reportChart } from './reportChart';
import { REPORT_PAGE_SCRIPT } from './reportPageScript';
import { severityRank } from './severity';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:24px;color:#1b1b1b}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.meta{color:#555;font-size:13px}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
#streams th{cursor:pointer;user-select:none;background:#f4f4f4}
#streams th[aria-sort=ascending]::after{content:" \\25B2"}#streams th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right}
.Compliant{color:#2e7d32}.NonCompliant{color:#c62828;font-weight:600}.Failed{color:#ef6c00;font-weight:600}.Exempt{color:#6d6d6d}.NotChecked{color:#607d8b}
.controls{margin:8px 0;display:flex;gap:12px;align-items:center}
`;

const COLUMNS: [string, (s: ReportStream) => string, ((s: ReportStream) => string)?][] = [
  ['Account', (s) => s.account],
  ['Region', (s) => s.region],
  ['Stream', (s) => s.streamName],
  ['Severity', (s) => s.severity, (s) => String(severityRank(s.severity))],
  ['Compliance', (s) => s.compliance],
  ['Writes 24 h', (s) => (s.receivingWrites === null ? '' : s.receivingWrites ? 'yes' : 'no')],
  ['Outcome', (s) => s.outcome],
  ['Encryption', (s) => s.encryptionType ?? ''],
  ['Key', (s) => s.keyId ?? ''],
  ['Desired key', (s) => s.desiredKeyId ?? ''],
  ['Policy', (s) => s.policy],
  ['Exemption reason', (s) => s.exemptionReason ?? ''],
  ['Last change', (s) => s.lastChange ?? ''],
  [
    'Exposure',
    (s) => (s.exposure?.seconds == null ? '' : `${s.exposure.seconds} s${s.exposure.to === null ? ' (open)' : ''}`),
    (s) => (s.exposure?.seconds == null ? '' : String(s.exposure.seconds)),
  ],
  ['Reason', (s) => s.reason],
  ['Fix', (s) => s.fixCommand],
];

const streamRow = (stream: ReportStream): string => {
  const cells = COLUMNS.map(([, text, sort]) => {
    const sortAttr = sort === undefined ? '' : ` data-sort="${escapeHtml(sort(stream))}"`;
    return `<td${sortAttr}>${escapeHtml(text(stream))}</td>`;
  });
  return `<tr class="${stream.compliance}" data-compliance="${stream.compliance}" data-arn="${escapeHtml(stream.streamArn)}">${cells.join('')}</tr>`;
};

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
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kinesis-auto-encrypt ${escapeHtml(report.command)} report</title><style>${STYLE}</style></head>
<body>
<h1>kinesis-auto-encrypt ${escapeHtml(report.command)}</h1>
<p class="meta">Sweep ${escapeHtml(report.sweepId)} · ${escapeHtml(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s${report.interrupted ? ' · <strong>interrupted</strong>' : ''} · key ${escapeHtml(report.options.key)}</p>
<p id="totals"><strong>${totals.streams}</strong> streams: <span class="Compliant">${totals.compliant} compliant</span>, <span class="NonCompliant">${totals.nonCompliant} non-compliant</span>, <span class="Exempt">${totals.exempt} exempt</span>, <span class="NotChecked">${totals.notChecked} not checked</span>; <span class="Failed">${totals.failed} failed</span>, ${totals.changed} changed, ${totals.confirmed} confirmed.</p>
${errors.length > 0 ? `<h2>Errors</h2><ul id="errors">${errors.join('')}</ul>` : ''}${notes.length > 0 ? `<ul class="meta">${notes.join('')}</ul>` : ''}
<h2>Per account and region</h2>
${reportChart(report.summary)}
${summaryTable(report)}
<h2>Streams</h2>
<div class="controls"><input id="filter" type="search" placeholder="Filter streams" aria-label="Filter streams">
<select id="compliance-filter" aria-label="Compliance"><option value="">All</option>${options}</select><span id="shown"></span></div>
<table id="streams"><thead><tr>${COLUMNS.map(([name]) => `<th scope="col">${name}</th>`).join('')}</tr></thead>
<tbody>${report.streams.map(streamRow).join('\n')}</tbody></table>
<script>${REPORT_PAGE_SCRIPT}</script>
</body></html>
`;
};
