import type { Report } from './report';
import { reportCsv } from './reportCsv';
import { reportHtml } from './reportHtml';

/** One rendered report file: its name, content and media type. */
export interface ReportFile {
  name: string;
  body: string;
  contentType: string;
}

/** The three files of a run's report, rendered: `report.json`, `report.csv`, `report.html`. */
export const reportFiles = (report: Report): ReportFile[] => [
  { name: 'report.json', body: `${JSON.stringify(report, null, 2)}\n`, contentType: 'application/json' },
  { name: 'report.csv', body: reportCsv(report), contentType: 'text/csv; charset=utf-8' },
  { name: 'report.html', body: reportHtml(report), contentType: 'text/html; charset=utf-8' },
];
