import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

/*
 * Chromium from the npm package `@sparticuz/chromium` (the binary ships inside the package; no apt, no download at
 * run time): `executablePath()` unpacks it into the temporary directory. The package is ESM only, so its path and
 * launch arguments are read in a child Node process rather than through jest's CommonJS loader.
 */
const RESOLVE = `import('@sparticuz/chromium').then(async ({ default: c }) =>
  process.stdout.write(JSON.stringify({ executablePath: await c.executablePath(), args: c.args })))`;

/** Without these, Chromium's background connections are refused by an offline machine, many at a time. */
const OFFLINE_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium from `@sparticuz/chromium` with playwright-core. */
export const launchHeadlessChromium = async (): Promise<Browser> => {
  const { executablePath, args } = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', RESOLVE], { encoding: 'utf8' })
  ) as { executablePath: string; args: string[] };
  return chromium.launch({ executablePath, args: [...args, ...OFFLINE_ARGS], headless: true });
};
