import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../tools/dev';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const running = new Set<ChildProcess>();

/** What `npm start -- <args>` printed and its exit code. */
export interface DevCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm start -- <args>` (tools/dev/cli.ts through tsx) in the repository, colours off. It ends when the CLI
 * does: the calling test's timeout bounds it, and {@link stopDevClis} (in `afterAll`) stops one a failed test left.
 */
export const runDevCli = (...args: string[]): Promise<DevCliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(TSX, ['tools/dev/cli.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });

/** Stops every CLI {@link runDevCli} started that is still running (its emulators stop with it). */
export const stopDevClis = (): void => {
  for (const child of running) child.kill('SIGTERM');
};
