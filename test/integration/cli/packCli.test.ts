import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import type { Report } from '../../../src/report/report';
import type { LocalCloud } from '../../../tools/dev';
import { localKinesisClients, startLocalCloud, waitForActive } from '../../../tools/dev';
import { reportErrors } from '../../helpers/reportSchema';

/*
 * Issue 23, item 1: `npm run pack-cli -- <dir>` writes kinesis-auto-encrypt-<version>.tgz; installed alone into an
 * empty prefix, offline and with an empty npm cache (so nothing can be fetched), it installs one package and no
 * dependency; its `kinesis-auto-encrypt` runs from a folder outside the repository on Node 22 with a PATH that holds
 * only that node and the system's tools (no NODE_PATH, no repository node_modules): --help, and audit and sweep
 * against the local cloud.
 */

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..', '..');
/** The repository's Node 22 (the `node` devDependency); the machine's own node may be older. */
const NODE22 = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ACCOUNT = '111111111111';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const settle = async (promise: Promise<{ stdout: string; stderr: string }>): Promise<Result> => {
  try {
    return { code: 0, ...(await promise) };
  } catch (error) {
    const { code, stdout, stderr } = error as Result;
    return { code, stdout, stderr };
  }
};

describe('the packed CLI (npm run pack-cli), installed alone', () => {
  let dir: string;
  let prefix: string;
  let outside: string;
  /** PATH, HOME and nothing of the repository. */
  let env: NodeJS.ProcessEnv;
  let tarball: string;
  let cloud: LocalCloud | undefined;

  const installed = (...args: string[]): Promise<Result> =>
    settle(
      run(join(prefix, 'bin', 'kinesis-auto-encrypt'), args, {
        cwd: outside,
        env: {
          ...env,
          AWS_ACCESS_KEY_ID: ACCOUNT,
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        timeout: 90_000,
      })
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pack-cli-'));
    prefix = join(dir, 'prefix');
    outside = join(dir, 'elsewhere');
    const nodeOnly = join(dir, 'node-bin');
    for (const folder of [prefix, outside, nodeOnly, join(dir, 'home'), join(dir, 'npm-cache')]) mkdirSync(folder);
    symlinkSync(NODE22, join(nodeOnly, 'node'));
    env = { PATH: `${nodeOnly}:/usr/bin:/bin`, HOME: join(dir, 'home'), NO_COLOR: '1' };
  });

  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm run pack-cli -- <dir> writes kinesis-auto-encrypt-<version>.tgz: package.json, README and one bundle', async () => {
    // Act
    const packed = await settle(
      run('npm', ['run', 'pack-cli', '--', join(dir, 'packed')], { cwd: REPO_ROOT, timeout: 90_000 })
    );

    // Assess
    expect({ code: packed.code, stderr: packed.code === 0 ? '' : packed.stderr }).toEqual({ code: 0, stderr: '' });
    tarball = join(dir, 'packed', `kinesis-auto-encrypt-${VERSION}.tgz`);
    expect(existsSync(tarball)).toBe(true);
    const files = (await run('tar', ['-tzf', tarball])).stdout.trim().split('\n').sort();
    // No tests, no local cloud, no sources: the manifest, the README and the bundle.
    expect(files).toEqual(['package/README.md', 'package/dist/kinesis-auto-encrypt.cjs', 'package/package.json']);
    const manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      name: 'kinesis-auto-encrypt',
      version: VERSION,
      bin: { 'kinesis-auto-encrypt': 'dist/kinesis-auto-encrypt.cjs' },
      engines: { node: '>=22' },
    });
    expect(manifest).not.toHaveProperty('private');
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies']) {
      expect(manifest).not.toHaveProperty(field);
    }
    const bundle = (
      await run('tar', ['-xzOf', tarball, 'package/dist/kinesis-auto-encrypt.cjs'], {
        maxBuffer: 16 * 1024 * 1024,
      })
    ).stdout;
    expect(bundle.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Size budget, like a Lambda bundle's: minified, zod's locales left out (scripts/packCli.ts). 800 KiB at issue 23's
    // report fields; the write guard's report and the CloudTrail/CloudWatch readers brought it to 800.3 KiB.
    expect(Buffer.byteLength(bundle)).toBeLessThan(900 * 1024);
    process.stdout.write(`pack-cli:\n${packed.stdout}\n`);
  }, 120_000);

  it('installs offline with an empty npm cache: one package, no dependency', async () => {
    // Act
    const install = await settle(
      run('npm', ['install', '--global', '--prefix', prefix, tarball, '--offline', '--no-audit', '--no-fund'], {
        cwd: outside,
        env: { ...env, npm_config_cache: join(dir, 'npm-cache') },
        timeout: 60_000,
      })
    );

    // Assess
    expect({ code: install.code, stderr: install.code === 0 ? '' : install.stderr }).toEqual({ code: 0, stderr: '' });
    expect(install.stdout).toMatch(/added 1 package\b/);
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['kinesis-auto-encrypt']);
    const installedPackage = join(prefix, 'lib', 'node_modules', 'kinesis-auto-encrypt');
    expect(readdirSync(installedPackage).sort()).toEqual(['README.md', 'dist', 'package.json']);
  }, 90_000);

  it('--help prints the usage of the repository CLI, from a folder outside the repository', async () => {
    // Prepare: the same command through the repository's launcher (bin/kinesis-auto-encrypt.mjs, tsx).
    const fromClone = await settle(
      run(NODE22, [join(REPO_ROOT, 'bin', 'kinesis-auto-encrypt.mjs'), '--help'], { cwd: REPO_ROOT })
    );

    // Act
    const help = await installed('--help');

    // Assess
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kinesis-auto-encrypt /);
    expect(help.stdout).toBe(fromClone.stdout);
  }, 60_000);

  it('audit reads the local cloud (exit 1, one stream non-compliant), sweep then encrypts it (exit 0)', async () => {
    // Prepare: an account before deployment: one stream unencrypted, one on the AWS managed key.
    cloud = await startLocalCloud({ pipeline: false, createDurationMs: 200, updateDurationMs: 300 });
    const clients = localKinesisClients(cloud.endpoint);
    const kinesis = clients.client(ACCOUNT, 'us-east-1');
    const out = join(outside, 'report');
    try {
      for (const name of ['open-stream', 'closed-stream']) {
        await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
        await waitForActive(kinesis, name);
      }
      await kinesis.send(
        new StartStreamEncryptionCommand({
          StreamName: 'closed-stream',
          EncryptionType: 'KMS',
          KeyId: 'alias/aws/kinesis',
        })
      );
      await waitForActive(kinesis, 'closed-stream');
      const where = ['--endpoint-url', cloud.endpoint, '--region', 'us-east-1'];

      // Act
      const audit = await installed('audit', ...where, '--out', out);
      const sweep = await installed('sweep', ...where, '--format', 'json');
      const { StreamDescriptionSummary: after } = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: 'open-stream' })
      );

      // Assess
      expect({ code: audit.code, stderr: audit.code === 1 ? '' : audit.stderr }).toEqual({ code: 1, stderr: '' });
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
      expect(reportErrors(report)).toEqual([]);
      expect(report.totals).toMatchObject({ streams: 2, compliant: 1, nonCompliant: 1, changed: 0 });
      expect(Object.fromEntries(report.streams.map(({ streamName, compliance }) => [streamName, compliance]))).toEqual({
        'open-stream': 'NonCompliant',
        'closed-stream': 'Compliant',
      });
      expect(readdirSync(out).sort()).toEqual(['report.csv', 'report.html', 'report.json']);
      expect({ code: sweep.code, stderr: sweep.code === 0 ? '' : sweep.stderr }).toEqual({ code: 0, stderr: '' });
      expect((JSON.parse(sweep.stdout) as Report).totals).toMatchObject({ streams: 2, changed: 1, confirmed: 1 });
      expect(after).toMatchObject({ StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
    } finally {
      clients.destroy();
    }
  }, 120_000);
});
