import type { LocalResponse, LocalService } from './gateway';
import { isRecord } from './isRecord';

/** Gateway prefix of CloudWatch's JSON 1.0 protocol (`X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`). */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801';

/** One sample of a metric, as a service publishes it. */
export interface MetricDatum {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
  value: number;
  time: Date;
}

type Stat = 'Sum' | 'SampleCount' | 'Average' | 'Minimum' | 'Maximum';
const STATS: readonly Stat[] = ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'];

/** One metric query of GetMetricData (MetricStat only: metric math is not implemented here). */
interface MetricQuery {
  id: string;
  label: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  period: number;
  stat: Stat;
  returnData: boolean;
}

/** "You can include as many as 500 MetricDataQuery structures in one GetMetricData operation" (API reference). */
const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

/** An error in the JSON protocol with the Query code CloudWatch's awsQueryCompatible clients read. */
const invalid = (code: string, message: string): LocalResponse => ({
  status: 400,
  headers: { 'x-amzn-ErrorType': `${code}Exception`, 'x-amzn-query-error': `${code};Sender` },
  body: { __type: `com.amazonaws.cloudwatch#${code}Exception`, message },
});

const dimensionsOf = (value: unknown): Record<string, string> | undefined => {
  if (value === undefined) return {};
  if (!Array.isArray(value)) return undefined;
  const entries: [string, string][] = [];
  for (const dimension of value) {
    if (!isRecord(dimension) || typeof dimension.Name !== 'string' || typeof dimension.Value !== 'string') {
      return undefined;
    }
    entries.push([dimension.Name, dimension.Value]);
  }
  return Object.fromEntries(entries);
};

const queryOf = (value: unknown, index: number): MetricQuery | string => {
  const where = `MetricDataQueries.member.${index + 1}`;
  if (!isRecord(value) || typeof value.Id !== 'string' || !ID_PATTERN.test(value.Id)) {
    return `${where}.Id must start with a lowercase letter and hold only letters, digits and underscores`;
  }
  if (value.Expression !== undefined) return `${where}: Expression (metric math) is not implemented by the local cloud`;
  const stat = isRecord(value.MetricStat) ? value.MetricStat : undefined;
  const metric = stat !== undefined && isRecord(stat.Metric) ? stat.Metric : undefined;
  const dimensions = dimensionsOf(metric?.Dimensions);
  if (stat === undefined || metric === undefined || typeof metric.Namespace !== 'string') {
    return `${where}: MetricStat with Metric.Namespace and Metric.MetricName is required`;
  }
  if (typeof metric.MetricName !== 'string' || dimensions === undefined) {
    return `${where}.MetricStat.Metric: MetricName and Dimensions (Name, Value) are required`;
  }
  const period = stat.Period;
  // "Valid values are 1, 5, 10, 20, 30, 60, and any multiple of 60" (MetricStat, API reference).
  if (typeof period !== 'number' || !(period % 60 === 0 || [1, 5, 10, 20, 30].includes(period)) || period <= 0) {
    return `${where}.MetricStat.Period must be 1, 5, 10, 20, 30, 60 or a multiple of 60`;
  }
  if (!(STATS as readonly unknown[]).includes(stat.Stat)) {
    return `${where}.MetricStat.Stat must be one of ${STATS.join(', ')} in the local cloud`;
  }
  return {
    id: value.Id,
    label: typeof value.Label === 'string' ? value.Label : metric.MetricName,
    namespace: metric.Namespace,
    metricName: metric.MetricName,
    dimensions,
    period,
    stat: stat.Stat as Stat,
    returnData: value.ReturnData !== false,
  };
};

const aggregate = (values: number[], stat: Stat): number => {
  switch (stat) {
    case 'SampleCount':
      return values.length;
    case 'Average':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    default:
      return values.reduce((sum, value) => sum + value, 0);
  }
};

const sameDimensions = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
};

/**
 * CloudWatch metrics of the local cloud: samples {@link put} by the emulated services (e.g. Kinesis' IncomingRecords,
 * kinesisWriteMetrics.ts), per account and region, answered by `GetMetricData` as AWS does for metric queries
 * (API reference, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html): at most
 * 500 queries, each `MetricStat` (Namespace, MetricName, exactly the given Dimensions, Period, Stat) aggregated over
 * periods that start at `StartTime` ("Start time less than 15 days ago – Round down to the nearest whole minute"),
 * samples in [StartTime, EndTime), periods without samples left out, newest first unless `ScanBy` is
 * `TimestampAscending`; `MaxDatapoints` and `NextToken` paging. Metric math (`Expression`) is refused.
 */
export class LocalCloudWatch {
  readonly #data: MetricDatum[] = [];

  /** Adds one sample. */
  public put(datum: MetricDatum): void {
    this.#data.push(datum);
  }

  /** The CloudWatch service: `GetMetricData`; any other operation is `UnknownOperationException`. */
  public readonly service: LocalService = async (req) => {
    if (req.operation !== 'GetMetricData') {
      return invalid('UnknownOperation', `The local CloudWatch does not implement ${req.operation}`);
    }
    const body = isRecord(req.json) ? req.json : {};
    const raw = Array.isArray(body.MetricDataQueries) ? body.MetricDataQueries : [];
    if (raw.length === 0 || raw.length > MAX_QUERIES) {
      return invalid('InvalidParameterValue', `MetricDataQueries must hold 1 to ${MAX_QUERIES} queries`);
    }
    const queries: MetricQuery[] = [];
    for (const [index, value] of raw.entries()) {
      const query = queryOf(value, index);
      if (typeof query === 'string') return invalid('InvalidParameterValue', query);
      queries.push(query);
    }
    if (new Set(queries.map(({ id }) => id)).size !== queries.length) {
      return invalid('InvalidParameterValue', 'The values for parameter id in MetricDataQueries are not unique');
    }
    if (typeof body.StartTime !== 'number' || typeof body.EndTime !== 'number' || body.StartTime >= body.EndTime) {
      return invalid(
        'InvalidParameterValue',
        'StartTime and EndTime are required and StartTime must be before EndTime'
      );
    }
    const start = Math.floor(body.StartTime / 60) * 60_000;
    const end = body.EndTime * 1000;
    const max = typeof body.MaxDatapoints === 'number' ? body.MaxDatapoints : MAX_DATAPOINTS;
    const ascending = body.ScanBy === 'TimestampAscending';
    const offset = typeof body.NextToken === 'string' ? Number(body.NextToken) : 0;
    if (!Number.isInteger(offset) || offset < 0) return invalid('InvalidNextToken', 'The NextToken is not valid');
    const samples = this.#data.filter(
      (datum) =>
        datum.account === req.account &&
        datum.region === req.region &&
        datum.time.getTime() >= start &&
        datum.time.getTime() < end
    );
    // Every datapoint of every query, in query order; a page takes MaxDatapoints of them from the offset.
    const flat = queries
      .filter((query) => query.returnData)
      .flatMap((query): { query: MetricQuery; time: number | undefined; value: number }[] => {
        const buckets = new Map<number, number[]>();
        for (const datum of samples) {
          if (datum.namespace !== query.namespace || datum.metricName !== query.metricName) continue;
          if (!sameDimensions(datum.dimensions, query.dimensions)) continue;
          const periodMs = query.period * 1000;
          const bucket = start + Math.floor((datum.time.getTime() - start) / periodMs) * periodMs;
          buckets.set(bucket, [...(buckets.get(bucket) ?? []), datum.value]);
        }
        const times = [...buckets.keys()].sort((a, b) => (ascending ? a - b : b - a));
        return times.length === 0
          ? [{ query, time: undefined, value: 0 }]
          : times.map((time) => ({ query, time, value: aggregate(buckets.get(time) ?? [], query.stat) }));
      });
    const points = flat.filter(({ time }) => time !== undefined);
    const page = new Set(points.slice(offset, offset + max));
    const results = [];
    for (const query of queries.filter(({ returnData }) => returnData)) {
      const own = flat.filter((point) => point.query === query);
      const shown = own.filter((point) => page.has(point));
      // The first page lists every query (those without data with no values); later pages those with values.
      if (shown.length === 0 && offset > 0) continue;
      results.push({
        Id: query.id,
        Label: query.label,
        Timestamps: shown.map(({ time }) => (time ?? 0) / 1000),
        Values: shown.map(({ value }) => value),
        StatusCode: own.some((point) => point.time !== undefined && points.indexOf(point) >= offset + max)
          ? 'PartialData'
          : 'Complete',
      });
    }
    const next = offset + max < points.length ? { NextToken: String(offset + max) } : {};
    return { status: 200, body: { MetricDataResults: results, Messages: [], ...next } };
  };
}
