import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BUNDLE, CLI_PACKAGE_DIR } from '../../../scripts/packCli';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const read = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

describe('packages/cli/package.json (the published CLI, npm run pack-cli)', () => {
  it('has the repository version and license, and is not private', () => {
    // Prepare
    const root = read(REPO_ROOT);

    // Act
    const cli = read(CLI_PACKAGE_DIR);

    // Assess
    expect(cli).toMatchObject({ name: 'kinesis-auto-encrypt', version: root.version, license: root.license });
    expect(cli).not.toHaveProperty('private');
  });

  it('ships the bundle as its bin and nothing to install: no dependencies, no install scripts', () => {
    // Act
    const cli = read(CLI_PACKAGE_DIR);

    // Assess
    expect(cli.bin).toEqual({ 'kinesis-auto-encrypt': CLI_BUNDLE });
    expect(cli.files).toEqual([CLI_BUNDLE, 'README.md']);
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'scripts']) {
      expect(cli).not.toHaveProperty(field);
    }
  });

  it('keeps the bundle out of git', () => {
    // Act
    const ignored = execFileSync('git', ['check-ignore', join('packages', 'cli', CLI_BUNDLE)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });

    // Assess
    expect(ignored.trim()).toBe(`packages/cli/${CLI_BUNDLE}`);
  });
});
