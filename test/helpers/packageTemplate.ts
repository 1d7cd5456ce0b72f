import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';

const execFileAsync = promisify(execFile);

/** Repository root (the folder holding `serverless.yml`). */
const REPO_ROOT = join(__dirname, '..', '..');
/** Files and folders whose content changes the packaged output. */
const INPUTS = ['serverless.yml', 'package-lock.json', 'handlers', 'src', 'statemachines', 'deploy', 'member'] as const;
const OUTPUT_ROOT = join(tmpdir(), 'kinesis-auto-encrypt-package');
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_POLL_MS = 250;
const PACKAGE_TIMEOUT_MS = 4 * 60_000;

/** One CloudFormation resource as written by `serverless package`. */
export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  [key: string]: unknown;
}

/** The compiled `cloudformation-template-update-stack.json`. */
export interface CloudFormationTemplate {
  Resources: Record<string, CloudFormationResource>;
  Outputs?: Record<string, { Value: unknown; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** One file of the function artifact. */
interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** The function artifact written by serverless-esbuild. */
interface PackagedZip {
  path: string;
  sizeBytes: number;
  entries: ZipEntry[];
  /** Uncompressed content of one entry. */
  read: (name: string) => Buffer;
}

/** `serverless package` failed: its output says why. */
export class PackageFailedError extends Error {
  constructor(
    readonly output: string,
    options: { cause: unknown }
  ) {
    super(`serverless package failed:\n${output}`, options);
    this.name = 'PackageFailedError';
  }
}

/** Result of {@link packageTemplate}. */
export interface PackagedService {
  template: CloudFormationTemplate;
  zip: PackagedZip;
  /** Folder holding the `serverless package` output. */
  outputDir: string;
  /** Wall time of `serverless package`; null when a cached output was reused. */
  durationMs: number | null;
}

const listFiles = async (path: string): Promise<string[]> => {
  if (!existsSync(path)) return [];
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).sort();
  const nested = await Promise.all(names.map((name) => listFiles(join(path, name))));
  return nested.flat();
};

/** Stage parameters as `--param name=value` arguments, in a stable order. */
const paramArguments = (params: Record<string, string>): string[] =>
  Object.entries(params)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, value]) => ['--param', `${name}=${value}`]);

/** Hash of the service folder, the stage, the region, the parameters and every input file (path + content). */
const hashInputs = async (serviceDir: string, stage: string, region: string, params: string[]): Promise<string> => {
  const hash = createHash('sha256').update(
    `dir=${serviceDir}\nstage=${stage}\nregion=${region}\nparams=${params.join(' ')}\n`
  );
  for (const input of INPUTS) {
    for (const file of await listFiles(join(serviceDir, input))) {
      hash.update(`${relative(serviceDir, file)}\n`).update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Cross-process lock (mkdir is atomic) so parallel jest workers package once. */
const withLock = async <T>(lockDir: string, fn: () => Promise<T>): Promise<T> => {
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > LOCK_STALE_MS) await rm(lockDir, { recursive: true, force: true });
      else await sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
};

/** Environment without any AWS credentials: packaging must not need them. */
const credentialFreeEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
    delete env[name];
  }
  env.AWS_SHARED_CREDENTIALS_FILE = join(OUTPUT_ROOT, 'no-credentials');
  env.AWS_CONFIG_FILE = join(OUTPUT_ROOT, 'no-config');
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
};

const runPackage = async (
  serviceDir: string,
  stage: string,
  region: string,
  params: string[],
  outputDir: string
): Promise<number> => {
  const bin = join(serviceDir, 'node_modules', 'osls', 'bin', 'serverless.js');
  const started = Date.now();
  try {
    await execFileAsync(
      process.execPath,
      [bin, 'package', '--stage', stage, '--region', region, ...params, '--package', outputDir],
      {
        cwd: serviceDir,
        env: credentialFreeEnv(),
        timeout: PACKAGE_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      }
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new PackageFailedError(`${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
  return Date.now() - started;
};

/** Entries of a zip file, from its central directory (no zip64, no encryption). */
const readZip = (path: string, buffer: Buffer): PackagedZip => {
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1;
  if (eocd < 0) throw new Error(`${path} is not a zip file`);
  const count = buffer.readUInt16LE(eocd + 10);
  const offsets = new Map<string, { method: number; compressedSize: number; localOffset: number }>();
  const entries: ZipEntry[] = [];
  let cursor = buffer.readUInt32LE(eocd + 16);
  for (let index = 0; index < count; index += 1) {
    const method = buffer.readUInt16LE(cursor + 10);
    const compressedSize = buffer.readUInt32LE(cursor + 20);
    const uncompressedSize = buffer.readUInt32LE(cursor + 24);
    const nameLength = buffer.readUInt16LE(cursor + 28);
    const extraLength = buffer.readUInt16LE(cursor + 30);
    const commentLength = buffer.readUInt16LE(cursor + 32);
    const localOffset = buffer.readUInt32LE(cursor + 42);
    const name = buffer.toString('utf8', cursor + 46, cursor + 46 + nameLength);
    entries.push({ name, compressedSize, uncompressedSize });
    offsets.set(name, { method, compressedSize, localOffset });
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  const read = (name: string): Buffer => {
    const entry = offsets.get(name);
    if (!entry) throw new Error(`${name} is not in ${path}`);
    const { localOffset, compressedSize, method } = entry;
    const dataStart = localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
    const data = buffer.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) return Buffer.from(data);
    if (method === 8) return inflateRawSync(data);
    throw new Error(`Unsupported zip method ${method} for ${name}`);
  };
  return { path, sizeBytes: buffer.length, entries, read };
};

const readOutput = async (outputDir: string): Promise<Omit<PackagedService, 'durationMs'>> => {
  const template = JSON.parse(
    await readFile(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8')
  ) as CloudFormationTemplate;
  const zipName = (await readdir(outputDir)).find((name) => name.endsWith('.zip'));
  if (!zipName) throw new Error(`No function artifact in ${outputDir}`);
  const zipPath = join(outputDir, zipName);
  return { template, zip: readZip(zipPath, await readFile(zipPath)), outputDir };
};

/**
 * Runs `serverless package` (osls, no AWS credentials) into a folder under the OS temp dir and
 * returns the compiled template and function artifact (default stage `dev`, region `us-east-1`, no `--param`). The
 * output is keyed on a hash of the options, `serverless.yml`, the lock file, the bundled sources, `deploy/` and
 * `member/`, so test files (and runs) share it.
 */
export const packageTemplate = async (
  options: { serviceDir?: string; stage?: string; region?: string; params?: Record<string, string> } = {}
): Promise<PackagedService> => {
  const serviceDir = options.serviceDir ?? REPO_ROOT;
  const stage = options.stage ?? 'dev';
  const region = options.region ?? 'us-east-1';
  const params = paramArguments(options.params ?? {});
  await mkdir(OUTPUT_ROOT, { recursive: true });
  const key = await hashInputs(serviceDir, stage, region, params);
  const outputDir = join(OUTPUT_ROOT, key);
  const done = join(outputDir, '.complete');

  // One `serverless package` at a time per service folder: serverless-esbuild builds in the folder's `.esbuild/`.
  const serviceLock = join(
    OUTPUT_ROOT,
    `${createHash('sha256').update(serviceDir).digest('hex').slice(0, 16)}.service.lock`
  );
  return withLock(join(OUTPUT_ROOT, `${key}.lock`), async () => {
    if (existsSync(done)) return { ...(await readOutput(outputDir)), durationMs: null };
    await rm(outputDir, { recursive: true, force: true });
    const durationMs = await withLock(serviceLock, () => runPackage(serviceDir, stage, region, params, outputDir));
    await writeFile(done, new Date().toISOString());
    return { ...(await readOutput(outputDir)), durationMs };
  });
};
