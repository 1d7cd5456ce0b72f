import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './report';
import { reportFiles } from './reportFiles';

/** Writes `report.json`, `report.csv` and `report.html` into `dir` (created when missing); returns their paths. */
export const writeReport = async (report: Report, dir: string): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const files = reportFiles(report);
  await Promise.all(files.map(({ name, body }) => writeFile(join(dir, name), body, 'utf8')));
  return files.map(({ name }) => join(dir, name));
};
