/**
 * `kinesis-auto-encrypt` entry point (the package's `bin`, through `bin/kinesis-auto-encrypt.mjs`).
 * Ctrl-C once: stop taking new streams, finish those in flight, print and write what was done; twice: exit now.
 */
import { runCli } from './runCli';

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nStopping: no new streams; finishing those in flight (Ctrl-C again to quit now)…\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(1));
});

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `kinesis-auto-encrypt: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    );
    process.exitCode = 1;
  }
);
