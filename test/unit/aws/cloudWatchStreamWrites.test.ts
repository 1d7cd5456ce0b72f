import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchStreamWrites } from '../../../src/aws/cloudWatchStreamWrites';

const cloudwatch = mockClient(CloudWatchClient);
const END = new Date('2026-12-07T12:00:00.000Z');

describe('CloudWatchStreamWrites', () => {
  beforeEach(() => cloudwatch.reset());

  it('asks IncomingRecords (AWS/Kinesis, StreamName) summed over the 24 h before the end, one query per stream', async () => {
    // Prepare
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 's0', Values: [12] },
        { Id: 's1', Values: [0] },
        { Id: 's2', Values: [] },
      ],
    });

    // Act
    const found = await new CloudWatchStreamWrites(new CloudWatchClient({})).receivingWrites(['a', 'b', 'c'], END);

    // Assess
    expect(Object.fromEntries(found)).toEqual({ a: true, b: false, c: false });
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input as GetMetricDataCommandInput;
    expect(input.StartTime).toEqual(new Date('2026-12-06T12:00:00.000Z'));
    expect(input.EndTime).toEqual(END);
    expect(input.MetricDataQueries?.[0]).toEqual({
      Id: 's0',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/Kinesis',
          MetricName: 'IncomingRecords',
          Dimensions: [{ Name: 'StreamName', Value: 'a' }],
        },
        Period: 86_400,
        Stat: 'Sum',
      },
      ReturnData: true,
    });
  });

  it.each([
    [1, [1]],
    [500, [500]],
    [501, [500, 1]],
    [1200, [500, 500, 200]],
  ])('%d streams: GetMetricData calls of %j queries (at most 500 a call)', async (count, sizes) => {
    // Prepare
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const names = Array.from({ length: count }, (_, i) => `stream-${i}`);

    // Act
    const found = await new CloudWatchStreamWrites(new CloudWatchClient({})).receivingWrites(names, END);

    // Assess
    expect(found.size).toBe(count);
    expect(
      cloudwatch.commandCalls(GetMetricDataCommand).map(({ args }) => args[0].input.MetricDataQueries?.length)
    ).toEqual(sizes);
  });

  it('follows NextToken: a stream whose data points come on the second page is receiving writes', async () => {
    // Prepare
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 's0', Values: [] }], NextToken: 't' })
      .resolvesOnce({ MetricDataResults: [{ Id: 's1', Values: [3] }] });

    // Act
    const found = await new CloudWatchStreamWrites(new CloudWatchClient({})).receivingWrites(['a', 'b'], END);

    // Assess
    expect(Object.fromEntries(found)).toEqual({ a: false, b: true });
    expect(cloudwatch).toHaveReceivedNthCommandWith(2, GetMetricDataCommand, { NextToken: 't' });
  });

  it('throws when GetMetricData is refused (the caller leaves the field empty)', async () => {
    // Prepare
    cloudwatch.on(GetMetricDataCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    // Act
    const read = new CloudWatchStreamWrites(new CloudWatchClient({})).receivingWrites(['a'], END);

    // Assess
    await expect(read).rejects.toThrow('denied');
  });
});
