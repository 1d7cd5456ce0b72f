import type { LocalCloudWatch } from './cloudWatchLocal';
import type { GatewayInterceptor, LocalResponse } from './gateway';
import { isRecord } from './isRecord';
import { KINESIS_TARGET_PREFIX } from './kinesisRecorder';

/** The body of a response as JSON, whatever form the service gave it. */
const jsonOf = (body: LocalResponse['body']): unknown => {
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return body;
  try {
    return JSON.parse(body.toString());
  } catch {
    return undefined;
  }
};

/** Records a PutRecord(s) response says were accepted: 1, or `Records` less `FailedRecordCount`. */
const acceptedOf = (operation: string, response: unknown): number => {
  if (operation === 'PutRecord') return 1;
  if (!isRecord(response) || !Array.isArray(response.Records)) return 0;
  const failed = typeof response.FailedRecordCount === 'number' ? response.FailedRecordCount : 0;
  return response.Records.length - failed;
};

/** The stream a write names (`StreamName`, or `StreamARN` with its own account and region). */
const streamOf = (json: unknown, caller: { account: string; region: string }) => {
  const body = isRecord(json) ? json : {};
  if (typeof body.StreamName === 'string') return { ...caller, streamName: body.StreamName };
  const arn =
    typeof body.StreamARN === 'string'
      ? /^arn:[^:]+:kinesis:([^:]+):(\d{12}):stream\/(.+)$/.exec(body.StreamARN)
      : null;
  if (arn === null) return undefined;
  return { region: arn[1] as string, account: arn[2] as string, streamName: arn[3] as string };
};

/**
 * The stream-level CloudWatch metric Kinesis publishes for writes: `AWS/Kinesis` `IncomingRecords` (dimension
 * `StreamName`), "the number of records successfully put to the Kinesis stream" ("Monitoring the Amazon Kinesis Data
 * Streams service with Amazon CloudWatch", https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html).
 * A gateway interceptor: every PutRecord / PutRecords the gateway served successfully adds one sample of the records
 * it accepted to `cloudWatch`, in the stream's account and region. A refused write (an error) adds nothing.
 */
export const kinesisWriteMetrics =
  (cloudWatch: LocalCloudWatch): GatewayInterceptor =>
  async (req, next) => {
    const response = await next();
    const isWrite = req.operation === 'PutRecord' || req.operation === 'PutRecords';
    if (!isWrite || !req.target.startsWith(`${KINESIS_TARGET_PREFIX}.`) || response.status !== 200) return response;
    const stream = streamOf(req.json, req);
    const accepted = acceptedOf(req.operation, jsonOf(response.body));
    if (stream === undefined || accepted <= 0) return response;
    cloudWatch.put({
      account: stream.account,
      region: stream.region,
      namespace: 'AWS/Kinesis',
      metricName: 'IncomingRecords',
      dimensions: { StreamName: stream.streamName },
      value: accepted,
      time: new Date(),
    });
    return response;
  };
