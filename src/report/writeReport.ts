import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './report';
import { reportCsv } from './reportCsv';
import { reportHtml } from './reportHtml';

/** Writes `report.json`, `report.csv` and `report.html` into `dir` (created when missing); returns their paths. */
export const writeReport = async (report: Report, dir: string): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['report.csv', reportCsv(report)],
    ['report.html', reportHtml(report)],
  ];
  await Promise.all(files.map(([name, text]) => writeFile(join(dir, name), text, 'utf8')));
  return files.map(([name]) => join(dir, name));
};
