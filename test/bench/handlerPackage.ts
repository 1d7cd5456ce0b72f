import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../tools/dev';

/** Repository root (this file lives in `test/bench`). */

/** Size and cold-init time of the handler, bundled vs unbundled. */
export interface HandlerPackageResult {
  bundleBytes: number;
  bundleGzipBytes: number;
  sourceMapBytes: number;
  /** Median ms to `require()` the bundled handler in a fresh process. */
  bundledInitMs: number;
  /** Median ms to `require()` the per-file (unbundled) build in a fresh process. */
  unbundledInitMs: number;
  /** bundled / unbundled. */
  initRatio: number;
  /** Median init of a bundle holding only the Kinesis client (the first probe): the cold-start floor. */
  floorInitMs: number;
  /** bundled / {@link floorInitMs}. */
  initFloorRatio: number;
  runs: number;
  bundledSamples: number[];
  unbundledSamples: number[];
  esbuildSettings: Record<string, unknown>;
  /** Bundles of parts of the function, built and timed the same way: what the bundled init is made of. */
  probes: InitProbe[];
}

/** Bundled init of a part of the function (see `test/bench/initProbe`). */
interface InitProbe {
  label: string;
  bundleBytes: number;
  /** Median ms to `require()` it in a fresh process. */
  initMs: number;
}

/** Parts timed next to the function, smallest first. */
const PROBES = [
  { label: 'one AWS SDK v3 client (KinesisClient)', entry: join(__dirname, 'initProbe', 'oneSdkClient.ts') },
  { label: "the function's SDK clients (createClients)", entry: join(__dirname, 'initProbe', 'functionClients.ts') },
] as const;

interface EsbuildCustom {
  bundle?: boolean;
  minify?: boolean;
  sourcemap?: boolean;
  target?: string;
  platform?: 'node';
  mainFields?: string[];
  exclude?: string[];
}

/** `custom.esbuild` of serverless.yml: the settings the deployed bundle is built with. */
const esbuildSettingsFromServerless = (path = join(REPO_ROOT, 'serverless.yml')): EsbuildCustom => {
  const document = parse(readFileSync(path, 'utf8'), { logLevel: 'silent' }) as {
    custom?: { esbuild?: EsbuildCustom };
  };
  const settings = document.custom?.esbuild;
  if (settings === undefined) throw new Error('serverless.yml has no custom.esbuild');
  return settings;
};

/** Node 22 binary of the `node` devDependency (the Lambda runtime's major version). */
const node22 = (): string => {
  if (Number(process.versions.node.split('.')[0]) === 22) return process.execPath;
  return join(dirname(require.resolve('node/package.json')), 'bin', 'node');
};

/** Environment of the function (serverless.yml names) with placeholder values; no call is made at init. */
const functionEnvironment = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: '111111111111',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'kinesis-auto-encrypt-bench-encryptStream',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  DEFAULT_KMS_KEY_ID: 'alias/kinesis-auto-encrypt',
  KMS_KEY_SSM_PARAMETER: '/kinesis-auto-encrypt/bench/default-kms-key-id',
  IDEMPOTENCY_TABLE_NAME: 'kinesis-auto-encrypt-bench-idempotency',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111111111111:stateMachine:confirm-encryption',
  EVENT_BUS_NAME: 'default',
  OVERRIDE_FOREIGN_KEYS: 'false',
  CREATING_WAIT_SECONDS: '90',
  POWERTOOLS_SERVICE_NAME: 'kinesis-auto-encrypt',
  POWERTOOLS_LOG_LEVEL: 'WARN',
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const sourceFiles = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'local' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

/** Time to `require()` a module in a fresh Node 22 process, measured inside that process. */
const measureInitMs = (modulePath: string): number => {
  const script = [
    "const { performance } = require('node:perf_hooks');",
    'const start = performance.now();',
    `const mod = require(${JSON.stringify(modulePath)});`,
    'const ms = performance.now() - start;',
    "if (typeof mod.handler !== 'function') throw new Error('no handler export');",
    'process.stdout.write(String(ms));',
  ].join('\n');
  const result = spawnSync(node22(), ['-e', script], { env: functionEnvironment(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`init of ${modulePath} failed: ${result.stderr}`);
  return Number(result.stdout);
};

/**
 * Builds the handler twice with esbuild — bundled with serverless.yml's `custom.esbuild`, and
 * per file (`bundle: false`, same target) so both are plain JS and only bundling differs — then
 * times a cold `require()` of each in fresh processes, alternating, and reports the medians.
 */
export const measureHandlerPackage = async (runs = 7): Promise<HandlerPackageResult> => {
  const settings = esbuildSettingsFromServerless();
  const work = mkdtempSync(join(tmpdir(), 'kae-bench-'));
  try {
    // Bundled: what serverless-esbuild ships (one file plus its source map).
    const bundleOf = async (entry: string, outfile: string): Promise<string> => {
      await build({
        entryPoints: [entry],
        outfile,
        bundle: settings.bundle ?? true,
        minify: settings.minify ?? false,
        sourcemap: settings.sourcemap ?? false,
        target: settings.target ?? 'node22',
        platform: settings.platform ?? 'node',
        mainFields: settings.mainFields,
        external: settings.exclude ?? [],
        format: 'cjs',
        logLevel: 'silent',
      });
      return outfile;
    };
    const bundlePath = await bundleOf(
      join(REPO_ROOT, 'handlers', 'encrypt-stream.ts'),
      join(work, 'bundled', 'handlers', 'encrypt-stream.js')
    );
    const bundle = readFileSync(bundlePath);
    const probePaths = await Promise.all(
      PROBES.map(({ entry }, index) => bundleOf(entry, join(work, 'probes', `${index}.js`)))
    );

    // Unbundled: the same sources transpiled file by file; packages load from node_modules.
    const unbundledDir = join(work, 'unbundled');
    const entries = [join(REPO_ROOT, 'handlers', 'encrypt-stream.ts'), ...sourceFiles(join(REPO_ROOT, 'src'))];
    await build({
      entryPoints: entries,
      outdir: unbundledDir,
      outbase: REPO_ROOT,
      bundle: false,
      target: settings.target ?? 'node22',
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
    mkdirSync(unbundledDir, { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(unbundledDir, 'node_modules'), 'dir');
    const unbundledPath = join(unbundledDir, 'handlers', 'encrypt-stream.js');

    // One untimed run each warms the OS file cache.
    measureInitMs(bundlePath);
    measureInitMs(unbundledPath);
    for (const path of probePaths) measureInitMs(path);
    const bundledSamples: number[] = [];
    const unbundledSamples: number[] = [];
    const probeSamples: number[][] = PROBES.map(() => []);
    for (let run = 0; run < runs; run++) {
      bundledSamples.push(measureInitMs(bundlePath));
      unbundledSamples.push(measureInitMs(unbundledPath));
      for (const [index, path] of probePaths.entries()) probeSamples[index]!.push(measureInitMs(path));
    }
    const bundledInitMs = median(bundledSamples);
    const unbundledInitMs = median(unbundledSamples);
    return {
      bundleBytes: bundle.length,
      bundleGzipBytes: gzipSync(bundle, { level: 9 }).length,
      sourceMapBytes: settings.sourcemap ? statSync(`${bundlePath}.map`).size : 0,
      bundledInitMs,
      unbundledInitMs,
      initRatio: bundledInitMs / unbundledInitMs,
      floorInitMs: median(probeSamples[0]!),
      initFloorRatio: bundledInitMs / median(probeSamples[0]!),
      runs,
      bundledSamples,
      unbundledSamples,
      esbuildSettings: { ...settings },
      probes: PROBES.map(({ label }, index) => ({
        label,
        bundleBytes: statSync(probePaths[index]!).size,
        initMs: median(probeSamples[index]!),
      })),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
