import { escapeHtml } from './escapeHtml';
import type { ReportSummaryRow } from './report';

/** Bar segments of the chart, one per compliance (they add up to the streams), in order, with their colours. */
const CHART_SEGMENTS = [
  { key: 'compliant', label: 'Compliant', colour: '#2e7d32' },
  { key: 'nonCompliant', label: 'Non-compliant', colour: '#c62828' },
  { key: 'exempt', label: 'Exempt', colour: '#6d6d6d' },
  { key: 'notChecked', label: 'Not checked', colour: '#90a4ae' },
] as const;

const LABEL_WIDTH = 250;
const BAR_WIDTH = 520;
const ROW_HEIGHT = 28;

/**
 * Inline SVG: one horizontal stacked bar per account and region by compliance (compliant, non-compliant, exempt,
 * not checked), scaled to the largest account-region, with a legend. No script, no external resource.
 */
export const reportChart = (rows: readonly ReportSummaryRow[]): string => {
  const largest = Math.max(1, ...rows.map((row) => row.streams));
  const height = rows.length * ROW_HEIGHT + 40;
  const bars = rows.map((row, index) => {
    const y = index * ROW_HEIGHT + 4;
    let x = LABEL_WIDTH;
    const segments = CHART_SEGMENTS.filter(({ key }) => row[key] > 0).map(({ key, label, colour }) => {
      const width = (row[key] / largest) * BAR_WIDTH;
      const rect = `<rect class="segment" data-segment="${key}" data-count="${row[key]}" x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${ROW_HEIGHT - 8}" fill="${colour}"><title>${escapeHtml(`${row.account} ${row.region}: ${row[key]} ${label.toLowerCase()}`)}</title></rect>`;
      x += width;
      return rect;
    });
    const name = escapeHtml(`${row.account} ${row.region}`);
    return `<g class="bar" data-account="${escapeHtml(row.account)}" data-region="${escapeHtml(row.region)}"><text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${name}</text>${segments.join('')}<text x="${(x + 6).toFixed(1)}" y="${y + 15}">${row.streams}</text></g>`;
  });
  const legendY = rows.length * ROW_HEIGHT + 20;
  const legend = CHART_SEGMENTS.map(
    ({ label, colour }, index) =>
      `<rect x="${LABEL_WIDTH + index * 95}" y="${legendY - 10}" width="12" height="12" fill="${colour}"/><text x="${LABEL_WIDTH + index * 95 + 16}" y="${legendY}">${label}</text>`
  );
  return `<svg id="chart" role="img" aria-label="Streams per account and region by compliance" xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH + BAR_WIDTH + 60}" height="${height}" font-size="12" font-family="sans-serif">${bars.join('')}${legend.join('')}</svg>`;
};
