import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateStreamCommand,
  type KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import type { Report } from '../../../src/report/report';
import {
  type LocalCloud,
  type LocalRequest,
  type LocalSweepResult,
  localKinesisClient,
  runLocalSweep,
  startLocalCloud,
  waitForActive,
} from '../../../tools/dev';
import { reportErrors } from '../../helpers/reportSchema';

/*
 * receivingWrites and createdBy end to end on the local cloud, which answers CloudWatch GetMetricData (IncomingRecords
 * of the writes the gateway served) and CloudTrail LookupEvents (the events its recorder emitted): the CLI's audit and
 * then the deployed sweep (handlers/sweep.ts through statemachines/sweep.asl.json) read them the same way
 * (src/audit/streamActivity.ts). AWS behaviour relied on: IncomingRecords is "the number of records successfully put"
 * (https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html); LookupEvents returns CreateStream
 * events with the caller in CloudTrailEvent's userIdentity and allows "two per second, per account, per Region"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html).
 */
const run = promisify(execFile);
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const REPO_ROOT = join(__dirname, '..', '..', '..');
const CREATOR = `arn:aws:iam::${ACCOUNT}:user/local`;
/** busy: written, unencrypted; idle: never written, unencrypted; guarded: written, encrypted. */
const STREAMS = ['busy', 'idle', 'guarded'];

const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: ACCOUNT,
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  try {
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

const byName = (report: Report) => Object.fromEntries(report.streams.map((row) => [row.streamName, row]));

describe('receivingWrites and createdBy against the local cloud', () => {
  let cloud: LocalCloud;
  let kinesis: KinesisClient;
  const lookups: { account: string; region: string; at: number }[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud({
      pipeline: false,
      createDurationMs: 200,
      updateDurationMs: 300,
      accounts: [ACCOUNT],
    });
    cloud.gateway.intercept(async (req: LocalRequest, next) => {
      if (req.operation === 'LookupEvents') lookups.push({ account: req.account, region: req.region, at: Date.now() });
      return next();
    });
    kinesis = localKinesisClient(cloud.endpoint, ACCOUNT, REGION);
    for (const name of STREAMS) await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    for (const name of STREAMS) await waitForActive(kinesis, name);
    await kinesis.send(
      new StartStreamEncryptionCommand({ StreamName: 'guarded', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' })
    );
    await waitForActive(kinesis, 'guarded');
    const data = new TextEncoder().encode('{"order":1}');
    await kinesis.send(new PutRecordCommand({ StreamName: 'busy', PartitionKey: 'a', Data: data }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'guarded', Records: [{ PartitionKey: 'a', Data: data }] }));
    await cloud.idle();
  }, 300_000);

  afterAll(async () => {
    kinesis?.destroy();
    await cloud?.stop();
  });

  it('the CLI audit: receivingWrites true for the written streams only, createdBy of the NonCompliant ones from LookupEvents', async () => {
    // Prepare
    lookups.length = 0;

    // Act
    const result = await cli('audit', '--endpoint-url', cloud.endpoint, '--region', REGION, '--format', 'json');

    // Assess
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(reportErrors(report)).toEqual([]);
    const rows = byName(report);
    expect(rows.busy).toMatchObject({
      compliance: 'NonCompliant',
      receivingWrites: true,
      severity: 'critical',
      createdBy: CREATOR,
    });
    expect(rows.idle).toMatchObject({
      compliance: 'NonCompliant',
      receivingWrites: false,
      severity: 'high',
      createdBy: CREATOR,
    });
    expect(rows.guarded).toMatchObject({
      compliance: 'Compliant',
      receivingWrites: true,
      severity: 'none',
      createdBy: null,
    });
    expect(report.notes.filter((note) => note.includes('left empty'))).toEqual([]);
    // writeGuard: no stream is tagged yet, so enforce would refuse all three, two of them receiving writes
    expect(report.writeGuard).toEqual({ setting: null, wouldRefuse: 3, wouldRefuseReceivingWrites: 2 });
    expect(lookups).toEqual([{ account: ACCOUNT, region: REGION, at: expect.any(Number) }]);
  }, 180_000);

  it('the deployed sweep reads them the same way into the report it writes', async () => {
    // Prepare
    lookups.length = 0;
    cloud.connectPipeline();

    // Act
    const swept: LocalSweepResult = await runLocalSweep(cloud, () => {}, { confirmTimeoutMs: 60_000 });

    // Assess
    expect(swept.reports).toHaveLength(1);
    const report = swept.reports[0] as Report;
    expect(reportErrors(report)).toEqual([]);
    const rows = byName(report);
    expect(rows.busy).toMatchObject({ receivingWrites: true, severity: 'critical', createdBy: CREATOR });
    expect(rows.idle).toMatchObject({ receivingWrites: false, severity: 'high', createdBy: CREATOR });
    expect(rows.guarded).toMatchObject({ compliance: 'Compliant', receivingWrites: true, createdBy: null });
    expect(report.notes.filter((note) => note.includes('left empty'))).toEqual([]);
    const perSecond = Math.max(
      0,
      ...lookups.map(({ at }) => lookups.filter((call) => call.at >= at && call.at < at + 1000).length)
    );
    expect(perSecond).toBeLessThanOrEqual(2);
    expect(lookups.length).toBeGreaterThan(0);
  }, 300_000);
});
