/**
 * `npm run pack-cli -- <dir>`: the installable CLI. esbuild bundles src/cli/main.ts and everything it imports (the
 * AWS SDK v3 included: Node ships none) into one minified file, packages/cli/dist/kinesis-auto-encrypt.cjs, with the
 * settings of the Lambda bundles (serverless.yml `custom.esbuild`: platform node, target node22, ES module builds
 * preferred so the SDK tree-shakes); then `npm pack` in packages/cli writes kinesis-auto-encrypt-<version>.tgz into
 * <dir> (default: the current directory). The package has no dependencies: installing it downloads nothing else.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const ROOT = join(__dirname, '..');
/** The published package: packages/cli/package.json, its README and the bundle. */
export const CLI_PACKAGE_DIR = join(ROOT, 'packages', 'cli');
/** The bundle, relative to {@link CLI_PACKAGE_DIR} (the package's `bin`). */
export const CLI_BUNDLE = 'dist/kinesis-auto-encrypt.cjs';

interface PackageJson {
  name: string;
  version: string;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const readPackage = (dir: string): PackageJson => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/**
 * zod re-exports every locale as the namespaces `z.locales` and `z.core.locales` (about 260 KiB minified, a third
 * of the bundle), which esbuild cannot shake off a namespace object; nothing calls them (zod/mini has no default
 * locale; classic zod imports its English locale directly), so they are an empty module in the bundle.
 */
const withoutZodLocales: Plugin = {
  name: 'without-zod-locales',
  setup(bundle) {
    bundle.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer }) =>
      /[\\/]zod[\\/]v4[\\/](mini|classic|core)[\\/]/.test(importer)
        ? { path: 'zod-locales', namespace: 'empty' }
        : undefined
    );
    bundle.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/** Writes {@link CLI_BUNDLE}; returns its size in bytes. */
export const bundleCli = async (): Promise<number> => {
  const outfile = join(CLI_PACKAGE_DIR, CLI_BUNDLE);
  await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    mainFields: ['module', 'main'],
    banner: { js: '#!/usr/bin/env node' },
    plugins: [withoutZodLocales],
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return statSync(outfile).size;
};

/** What `npm pack --json` reports about the tarball. */
export interface PackedCli {
  /** Absolute path of the tarball. */
  tarball: string;
  /** Bytes of the tarball (gzip) and of its files unpacked. */
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** Bundles the CLI and packs it into `destination` (created if missing). */
export const packCli = async (destination: string): Promise<PackedCli> => {
  const root = readPackage(ROOT);
  const cli = readPackage(CLI_PACKAGE_DIR);
  if (cli.version !== root.version) {
    throw new Error(
      `packages/cli/package.json has version ${cli.version}, the repository ${root.version}: set the same version in both`
    );
  }
  if (Object.keys(cli.dependencies ?? {}).length > 0) {
    throw new Error('packages/cli/package.json must have no dependencies: everything is in the bundle');
  }
  await bundleCli();
  mkdirSync(destination, { recursive: true });
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: CLI_PACKAGE_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [packed] = JSON.parse(output) as { filename: string; size: number; unpackedSize: number; files: [] }[];
  if (packed === undefined) throw new Error(`npm pack reported nothing: ${output}`);
  return {
    tarball: join(destination, packed.filename),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
    files: (packed.files as { path: string; size: number }[]).map(({ path, size }) => ({ path, size })),
  };
};

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

if (require.main === module) {
  // `npm run` starts scripts in the repository root; a relative <dir> is the caller's (INIT_CWD).
  const destination = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? '.');
  packCli(destination).then(
    (packed) => {
      console.log(packed.tarball);
      for (const { path, size } of packed.files) console.log(`  ${path.padEnd(36)} ${kib(size)}`);
      console.log(`  tarball ${kib(packed.size)}, unpacked ${kib(packed.unpackedSize)}, no dependencies`);
    },
    (error: unknown) => {
      console.error(`pack-cli: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  );
}
