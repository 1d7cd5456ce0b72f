import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Every `.ts` file under `dir`, as paths relative to the repository root. */
const typeScriptFiles = (dir: string): string[] =>
  readdirSync(join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));

const lineCount = (path: string): number => readFileSync(join(REPO_ROOT, path), 'utf8').trimEnd().split('\n').length;

/** Files over their budget: production code 250 lines, the local cloud (development only) 300 (issue 9). */
const oversized = (files: string[], budget: number): string[] =>
  files.filter((path) => lineCount(path) > budget).map((path) => `${path}: ${lineCount(path)} lines`);

describe('file sizes', () => {
  it('keeps handlers/ and src/ outside src/local at 250 lines or fewer', () => {
    // Prepare
    const files = [...typeScriptFiles('handlers'), ...typeScriptFiles('src')].filter(
      (path) => !path.startsWith(join('src', 'local'))
    );

    // Act
    const over = oversized(files, 250);

    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(over).toEqual([]);
  });

  it('keeps src/local at 300 lines or fewer', () => {
    // Prepare
    const files = typeScriptFiles(join('src', 'local'));

    // Act
    const over = oversized(files, 300);

    // Assess
    expect(files.length).toBeGreaterThan(20);
    expect(over).toEqual([]);
  });
});
