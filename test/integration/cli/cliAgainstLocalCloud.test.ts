import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { Report } from '../../../src/report/report';
import type { LocalCloud, LocalRequest } from '../../../tools/dev';
import { localKinesisClient, startLocalCloud, waitForActive } from '../../../tools/dev';
import { reportErrors } from '../../helpers/reportSchema';

/*
 * The "Done means" scenario of issue 13 against the local cloud with the pipeline disconnected (streams stay as
 * created): 30 unencrypted streams made by the AWS CLI; `audit` exits 1 and lists 30 non-compliant in report.json,
 * report.csv and report.html; `sweep` exits 0 and the AWS CLI then shows 30 ACTIVE KMS with the key; a second
 * `sweep` sends no StartStreamEncryption.
 * AWS behaviours relied on:
 * - ListStreams pages: `Limit` at most 100, `HasMoreStreams` + `ExclusiveStartStreamName`, or `NextToken` with
 *   `StreamSummaries`; 5 transactions per second per account (Kinesis API reference, "ListStreams",
 *   https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html).
 * - DescribeStreamSummary: 20 transactions per second per account (Kinesis API reference, "DescribeStreamSummary",
 *   https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html); the CLI spends at
 *   most --describe-rate of it.
 */

const run = promisify(execFile);
const ACCOUNT = '111111111111';
const STREAMS = Array.from({ length: 30 }, (_, index) => `legacy-${String(index).padStart(2, '0')}`);
const REPO_ROOT = join(__dirname, '..', '..', '..');
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: ACCOUNT,
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    // `npx kinesis-auto-encrypt` in the clone: the package's bin (bin/kinesis-auto-encrypt.mjs).
    const { stdout, stderr } = await run('npx', ['--no-install', 'kinesis-auto-encrypt', ...args], {
      cwd: REPO_ROOT,
      env,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
};

const aws = async (endpoint: string, ...args: string[]): Promise<string> =>
  (await run('aws', ['--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json', ...args], { env }))
    .stdout;

describe('kinesis-auto-encrypt against the local cloud (pipeline disconnected)', () => {
  let cloud: LocalCloud;
  let dir: string;
  const calls: { operation: string; account: string; at: number }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cli-'));
    cloud = await startLocalCloud({ pipeline: false, createDurationMs: 200, updateDurationMs: 300 });
    cloud.gateway.intercept(async (req: LocalRequest, next) => {
      calls.push({ operation: req.operation, account: req.account, at: Date.now() });
      return next();
    });
    // The AWS CLI, like an operator: at most 5 streams CREATING per account, so create in fives.
    const reader = localKinesisClient(cloud.endpoint, ACCOUNT, 'us-east-1');
    for (let index = 0; index < STREAMS.length; index += 5) {
      const batch = STREAMS.slice(index, index + 5);
      await Promise.all(
        batch.map((name) =>
          aws(cloud.endpoint, 'kinesis', 'create-stream', '--stream-name', name, '--shard-count', '1')
        )
      );
      // The next five only once these left CREATING (a condition, not a pause).
      await Promise.all(batch.map((name) => waitForActive(reader, name, 300_000)));
    }
    reader.destroy();
  }, 600_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('audit exits 1 and lists the 30 non-compliant streams in report.json, report.csv and report.html', async () => {
    // Prepare
    const out = join(dir, 'audit');
    calls.length = 0;

    // Act
    const result = await cli('audit', '--endpoint-url', cloud.endpoint, '--region', 'us-east-1', '--out', out);

    // Assess
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(reportErrors(report)).toEqual([]);
    expect(report.totals).toMatchObject({ streams: 30, nonCompliant: 30, changed: 0 });
    expect(report.streams.map(({ streamName }) => streamName)).toEqual(STREAMS);
    const csv = readFileSync(join(out, 'report.csv'), 'utf8').trim().split('\r\n');
    expect(csv.filter((line) => line.includes(',NonCompliant,'))).toHaveLength(30);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<tr class="NonCompliant"/g)).toHaveLength(30);
    expect(calls.filter(({ operation }) => operation === 'StartStreamEncryption')).toEqual([]);
    expect(result.stdout).toContain('NonCompliant');
  }, 120_000);

  it('sweep exits 0, every stream is then ACTIVE KMS with the key, and the describe rate was never exceeded', async () => {
    // Prepare
    const out = join(dir, 'sweep');
    calls.length = 0;

    // The gateway runs in this process and stamps a request when it handles it: a stall of this process bunches
    // requests that arrived over a longer span. Its longest stall bounds that error (see the window below).
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();

    // Act
    const result = await cli(
      'sweep',
      '--endpoint-url',
      cloud.endpoint,
      '--region',
      'us-east-1',
      '--out',
      out,
      '--format',
      'json',
      '--describe-rate',
      '20',
      '--concurrency',
      '16'
    );

    // Assess
    const sweepCalls = [...calls];
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.totals).toMatchObject({ streams: 30, compliant: 30, nonCompliant: 0, changed: 30, confirmed: 30 });
    const described = await Promise.all(
      STREAMS.map(async (name) =>
        JSON.parse(await aws(cloud.endpoint, 'kinesis', 'describe-stream-summary', '--stream-name', name))
      )
    );
    for (const { StreamDescriptionSummary: summary } of described) {
      expect(summary).toMatchObject({ StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
    }
    stalls.disable();
    // The client lets at most 20 start within any 1050 ms (CallRateLimiter). Stamps late by at most `stall` ms
    // put what arrived within 1050 ms into any window of 1050 - stall ms: on a quiet machine about one second.
    const stall = Math.ceil(stalls.max / 1e6);
    const window = Math.max(0, 1050 - stall);
    const describes = sweepCalls.filter(({ operation }) => operation === 'DescribeStreamSummary').map(({ at }) => at);
    const peak = Math.max(
      ...describes.map((start) => describes.filter((at) => at >= start && at < start + window).length)
    );
    expect(peak).toBeLessThanOrEqual(20);
    expect(report.peakDescribePerSecond).toBeLessThanOrEqual(20);
    expect(sweepCalls.filter(({ operation }) => operation === 'StartStreamEncryption')).toHaveLength(30);
    process.stdout.write(
      `sweep of 30: ${report.durationMs} ms, peak describes per ${window} ms at the gateway ${peak} (longest stall ${stall} ms; client per second ${report.peakDescribePerSecond}), calls ${JSON.stringify(report.apiCalls)}\n`
    );
  }, 180_000);

  it('a second sweep changes nothing: no StartStreamEncryption at the gateway', async () => {
    // Prepare
    calls.length = 0;

    // Act
    const result = await cli('sweep', '--endpoint-url', cloud.endpoint, '--region', 'us-east-1', '--format', 'json');

    // Assess
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.totals).toMatchObject({ streams: 30, compliant: 30, changed: 0 });
    expect(calls.filter(({ operation }) => operation === 'StartStreamEncryption')).toEqual([]);
  }, 120_000);
});
