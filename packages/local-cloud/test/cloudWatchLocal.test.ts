import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  CreateStreamCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  CLOUDWATCH_TARGET_PREFIX,
  createKinesisRecorder,
  KINESIS_TARGET_PREFIX,
  type KinesisLocal,
  kinesisWriteMetrics,
  LocalCloudWatch,
  LocalGateway,
  startKinesisLocal,
} from '../src/index';

/*
 * GetMetricData as the CloudWatch API reference describes it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html): MetricStat queries
 * (Namespace, MetricName, Dimensions, Period, Stat), "as many as 500" per call, results by query Id with Timestamps
 * and Values, periods without data omitted, TimestampDescending by default; MaxDatapoints and NextToken paging.
 * Kinesis' IncomingRecords is "the number of records successfully put to the Kinesis stream", dimension StreamName,
 * statistic Sum (https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html): the gateway counts
 * the records each PutRecord / PutRecords it served accepted, in the stream's account and region.
 */
const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const DAY = 86_400;

const incomingRecords = (id: string, streamName: string, period = DAY, stat = 'Sum'): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/Kinesis',
      MetricName: 'IncomingRecords',
      Dimensions: [{ Name: 'StreamName', Value: streamName }],
    },
    Period: period,
    Stat: stat,
  },
});

describe('the local CloudWatch answers GetMetricData', () => {
  const gateway = new LocalGateway();
  const cloudWatch = new LocalCloudWatch();
  let kinesisLocal: KinesisLocal;
  let recorder: ReturnType<typeof createKinesisRecorder>;
  const clients: { destroy(): void }[] = [];
  const client = <T extends { destroy(): void }>(made: T): T => {
    clients.push(made);
    return made;
  };
  const where = (account: string) => ({
    endpoint: gateway.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: account, secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
  let kinesis: KinesisClient;
  let metrics: CloudWatchClient;
  let started: Date;

  beforeAll(async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'local-cloud-')), 'kinesis.log');
    kinesisLocal = await startKinesisLocal({ createDurationMs: 50, updateDurationMs: 50, logFile });
    recorder = createKinesisRecorder({ upstream: kinesisLocal.endpoint, onEvent: () => {} });
    gateway.register(KINESIS_TARGET_PREFIX, recorder.service);
    gateway.register(CLOUDWATCH_TARGET_PREFIX, cloudWatch.service);
    gateway.intercept(kinesisWriteMetrics(cloudWatch));
    await gateway.start();
    kinesis = client(new KinesisClient(where(ACCOUNT)));
    metrics = client(new CloudWatchClient({ ...where(ACCOUNT), maxAttempts: 1 }));
    started = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    for (const name of ['orders', 'quiet']) {
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
    }
    const data = new TextEncoder().encode('x');
    await kinesis.send(new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'a', Data: data }));
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'orders',
        Records: [1, 2, 3].map((n) => ({ PartitionKey: `k${n}`, Data: data })),
      })
    );
    // A write refused by Kinesis (no such stream) is not a record put.
    await kinesis.send(new PutRecordCommand({ StreamName: 'missing', PartitionKey: 'a', Data: data })).catch(() => {});
  }, 120_000);

  afterAll(async () => {
    for (const made of clients) made.destroy();
    recorder.stop();
    await kinesisLocal.stop();
    await gateway.stop();
  });

  it('sums the records PutRecord and PutRecords accepted per stream over the period', async () => {
    // Prepare
    const end = new Date();

    // Act
    const answer = await metrics.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          incomingRecords('orders', 'orders'),
          incomingRecords('quiet', 'quiet'),
          incomingRecords('missing', 'missing'),
        ],
        StartTime: new Date(end.getTime() - DAY * 1000),
        EndTime: new Date(end.getTime() + 1000),
      })
    );

    // Assess
    const byId = Object.fromEntries((answer.MetricDataResults ?? []).map((result) => [result.Id, result.Values]));
    expect(byId).toEqual({ orders: [4], quiet: [], missing: [] });
    expect(answer.NextToken).toBeUndefined();
  });

  it.each([
    { stat: 'SampleCount', expected: [2] },
    { stat: 'Maximum', expected: [3] },
    { stat: 'Average', expected: [2] },
  ])('aggregates with $stat', async ({ stat, expected }) => {
    // Act
    const answer = await metrics.send(
      new GetMetricDataCommand({
        MetricDataQueries: [incomingRecords('orders', 'orders', DAY, stat)],
        StartTime: started,
        EndTime: new Date(Date.now() + 60_000),
      })
    );

    // Assess
    expect(answer.MetricDataResults?.[0]?.Values).toEqual(expected);
    expect(answer.MetricDataResults?.[0]?.Timestamps).toEqual([started]);
  });

  it('leaves out a window without writes, and another account', async () => {
    // Prepare
    const other = client(new CloudWatchClient(where(OTHER_ACCOUNT)));
    const query = { MetricDataQueries: [incomingRecords('orders', 'orders')] };

    // Act
    const before = await metrics.send(
      new GetMetricDataCommand({ ...query, StartTime: new Date(started.getTime() - 2 * DAY * 1000), EndTime: started })
    );
    const elsewhere = await other.send(
      new GetMetricDataCommand({ ...query, StartTime: started, EndTime: new Date(Date.now() + 60_000) })
    );

    // Assess
    expect(before.MetricDataResults?.[0]?.Values).toEqual([]);
    expect(elsewhere.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('pages with MaxDatapoints and NextToken', async () => {
    // Prepare: one datapoint per second-long period for each of the two writes' periods, at most 1 per page
    const input = {
      MetricDataQueries: [incomingRecords('orders', 'orders', 1, 'Sum')],
      StartTime: started,
      EndTime: new Date(Date.now() + 60_000),
      MaxDatapoints: 1,
    };

    // Act
    const values: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await metrics.send(new GetMetricDataCommand({ ...input, ...(token && { NextToken: token }) }));
      values.push(...(page.MetricDataResults ?? []).flatMap((result) => result.Values ?? []));
      token = page.NextToken;
      pages += 1;
    } while (token !== undefined && pages < 10);

    // Assess
    expect(values.reduce((sum, value) => sum + value, 0)).toBe(4);
    expect(pages).toBe(values.length);
  });

  it.each([
    { title: 'no query', input: { MetricDataQueries: [] }, error: 'InvalidParameterValueException' },
    {
      title: 'over 500 queries',
      input: { MetricDataQueries: Array.from({ length: 501 }, (_, n) => incomingRecords(`s${n}`, 'orders')) },
      error: 'InvalidParameterValueException',
    },
    {
      title: 'an Id that starts with a digit',
      input: { MetricDataQueries: [incomingRecords('0orders', 'orders')] },
      error: 'InvalidParameterValueException',
    },
    {
      title: 'a period of 90 s',
      input: { MetricDataQueries: [incomingRecords('orders', 'orders', 90)] },
      error: 'InvalidParameterValueException',
    },
    {
      title: 'metric math',
      input: { MetricDataQueries: [{ Id: 'total', Expression: 'SUM(METRICS())' }] },
      error: 'InvalidParameterValueException',
    },
  ])('refuses $title with $error', async ({ input, error }) => {
    // Act
    const refused = metrics.send(
      new GetMetricDataCommand({ ...input, StartTime: started, EndTime: new Date(started.getTime() + 60_000) })
    );

    // Assess
    await expect(refused).rejects.toMatchObject({ name: error });
  });
});
