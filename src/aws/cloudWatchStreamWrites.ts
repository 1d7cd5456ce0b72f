import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { StreamWritesPort } from '../domain/ports';

/**
 * GetMetricData takes at most 500 metric queries per call ("can retrieve as many as 500 different metrics in a
 * single request, with a total of as many as 100,800 data points":
 * https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/get-metric-data.html).
 */
const METRIC_QUERIES_PER_CALL = 500;
const DAY_SECONDS = 86_400;

const queryOf = (streamName: string, index: number): MetricDataQuery => ({
  Id: `s${index}`,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/Kinesis',
      MetricName: 'IncomingRecords',
      Dimensions: [{ Name: 'StreamName', Value: streamName }],
    },
    Period: DAY_SECONDS,
    Stat: 'Sum',
  },
  ReturnData: true,
});

/** {@link StreamWritesPort} on CloudWatch: one GetMetricData per 500 streams (all pages), one 24 h Sum each. */
export class CloudWatchStreamWrites implements StreamWritesPort {
  public constructor(private readonly client: CloudWatchClient) {}

  public async receivingWrites(streamNames: readonly string[], end: Date): Promise<Map<string, boolean>> {
    const found = new Map<string, boolean>(streamNames.map((name) => [name, false]));
    const start = new Date(end.getTime() - DAY_SECONDS * 1000);
    for (let first = 0; first < streamNames.length; first += METRIC_QUERIES_PER_CALL) {
      const batch = streamNames.slice(first, first + METRIC_QUERIES_PER_CALL);
      let nextToken: string | undefined;
      do {
        const page = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch.map(queryOf),
            StartTime: start,
            EndTime: end,
            ...(nextToken !== undefined && { NextToken: nextToken }),
          })
        );
        for (const result of page.MetricDataResults ?? []) {
          const name = batch[Number(result.Id?.slice(1))];
          if (name === undefined) continue;
          const total = (result.Values ?? []).reduce((sum, value) => sum + value, 0);
          if (total > 0) found.set(name, true);
        }
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
    }
    return found;
  }
}
