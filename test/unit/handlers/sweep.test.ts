import './sweepEnvironment';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeStreamSummaryCommand,
  ListStreamsCommand,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, GetKeyPolicyCommand, NotFoundException } from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../handlers/sweep';
import type { Report } from '../../../src/report/report';
import type { SweepCompletedDetail } from '../../../src/sweep/sweepCompletedDetail';
import { lambdaContext } from '../../helpers/createStreamEvent';
import { fakeIdempotencyTable } from '../../helpers/fakeIdempotencyTable';
import { handlerClientMocks } from '../../helpers/handlerClientMocks';
import { usableKeyMetadata } from '../../helpers/kmsKeyMetadata';
import { streamSummary } from '../../helpers/streamSummary';
import { KEY } from './handlerEnvironment';

const { kinesis, kms, sfn, events, dynamoDb, documents, reset } = handlerClientMocks();
const s3 = mockClient(S3Client);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const cloudWatch = mockClient(CloudWatchClient);
const cloudTrail = mockClient(CloudTrailClient);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const arnOf = (name: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
const STREAMS = ['orders', 'payments', 'clicks'];
/** A customer managed key whose policy serves another account only: the pre-flight judges it unusable here. */
const FOREIGN_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'kms:*', Resource: '*' },
  ],
});

const context = () => lambdaContext(ACCOUNT, REGION, 900_000) as unknown as Context;
const sweepCompleted = (): SweepCompletedDetail[] =>
  events
    .commandCalls(PutEventsCommand)
    .map(({ args }) => args[0].input.Entries?.[0])
    .filter((entry) => entry?.DetailType === 'Sweep Completed')
    .map((entry) => JSON.parse(entry?.Detail ?? '{}') as SweepCompletedDetail);
/** The report.json the last step wrote to the sweep bucket. */
const writtenReport = (): Report => {
  const put = s3.commandCalls(PutObjectCommand).find(({ args }) => String(args[0].input.Key).endsWith('report.json'));
  return JSON.parse(String(put?.args[0].input.Body)) as Report;
};
/** A CloudTrail CreateStream event as LookupEvents returns it (CloudTrailEvent: the record as a JSON string). */
const createStreamEvent = (streamName: string, caller: string) => ({
  EventName: 'CreateStream',
  CloudTrailEvent: JSON.stringify({
    eventName: 'CreateStream',
    userIdentity: { arn: caller },
    requestParameters: { streamName },
  }),
});

describe('sweep handler (one account, keyPolicyCheck=warn)', () => {
  beforeEach(() => {
    fakeIdempotencyTable(dynamoDb, documents);
    kinesis.on(ListStreamsCommand).resolves({
      StreamNames: STREAMS,
      StreamSummaries: STREAMS.map((name) => ({
        StreamName: name,
        StreamARN: arnOf(name),
        StreamStatus: 'ACTIVE',
        StreamCreationTimestamp: new Date('2026-01-01T00:00:00Z'),
      })),
      HasMoreStreams: false,
    });
    kinesis
      .on(DescribeStreamSummaryCommand)
      .callsFake(async ({ StreamARN, StreamName }: { StreamARN?: string; StreamName?: string }) =>
        streamSummary(StreamARN ?? arnOf(StreamName ?? ''), 'ACTIVE')
      );
    kinesis.on(StartStreamEncryptionCommand).resolves({});
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: usableKeyMetadata(KEY_ARN),
    });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: FOREIGN_POLICY });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    s3.on(PutObjectCommand).resolves({});
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
  });

  afterEach(() => {
    reset();
    s3.reset();
    tagging.reset();
    cloudWatch.reset();
    cloudTrail.reset();
  });

  it("honours the deployment's keyPolicyCheck: warn applies the key the policy check doubts (logged), as the pipeline would", async () => {
    // Act
    const result = await handler({ step: 0, executionName: 'sweep-warn' }, context());

    // Assess
    expect(result).toMatchObject({ done: true });
    expect(kinesis.commandCalls(StartStreamEncryptionCommand).map(({ args }) => args[0].input)).toEqual(
      STREAMS.map((name) => expect.objectContaining({ StreamARN: arnOf(name), KeyId: KEY }))
    );
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, STREAMS.length);
    expect(sweepCompleted()).toEqual([expect.objectContaining({ changed: STREAMS.length, failed: 0 })]);
  });

  it('checks the default key once before listing: a missing key ends the sweep with one error, no stream listed', async () => {
    // Prepare
    kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: `Alias ${KEY} is not found.`, $metadata: {} }));

    // Act
    const result = await handler({ step: 0, executionName: 'sweep-missing-key' }, context());

    // Assess
    expect(result).toMatchObject({ done: true });
    expect(kinesis).not.toHaveReceivedCommand(ListStreamsCommand);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
    expect(kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 1);
    const [detail] = sweepCompleted();
    expect(sweepCompleted()).toHaveLength(1);
    expect(detail).toMatchObject({ streamsChecked: 0, failed: 0 });
    expect(detail?.accountRegions).toEqual([
      {
        account: ACCOUNT,
        region: REGION,
        streams: 0,
        byOutcome: {},
        byCompliance: { compliant: 0, exempt: 0, nonCompliant: 0, notChecked: 0 },
        error: expect.stringContaining(KEY),
      },
    ]);
    expect(detail?.accountRegions[0]?.error).toContain('(from stage parameter kmsKeyId)');
  });

  // receivingWrites and createdBy as the CLI reads them (src/audit/streamActivity.ts): GetMetricData IncomingRecords
  // Sum over the 24 h before the sweep started, LookupEvents EventName CreateStream for NonCompliant streams only.
  it('reads IncomingRecords and the CreateStream callers once at the end: receivingWrites, severity and createdBy in the report', async () => {
    // Prepare
    cloudWatch.on(GetMetricDataCommand).callsFake(async ({ MetricDataQueries = [] }) => ({
      MetricDataResults: MetricDataQueries.map(
        ({ Id, MetricStat }: { Id: string; MetricStat: { Metric: { Dimensions: { Value: string }[] } } }) => ({
          Id,
          Values: MetricStat.Metric.Dimensions[0]?.Value === 'orders' ? [12] : [],
        })
      ),
    }));
    cloudTrail.on(LookupEventsCommand).resolves({
      Events: [createStreamEvent('orders', 'arn:aws:iam::123456789012:user/alice'), createStreamEvent('gone', 'x')],
    });

    // Act
    const result = await handler({ step: 0, executionName: 'sweep-activity' }, context());

    // Assess
    expect(result).toMatchObject({ done: true });
    const rows = Object.fromEntries(writtenReport().streams.map((row) => [row.streamName, row]));
    expect(rows.orders).toMatchObject({
      receivingWrites: true,
      severity: 'critical',
      createdBy: 'arn:aws:iam::123456789012:user/alice',
    });
    expect(rows.payments).toMatchObject({ receivingWrites: false, severity: 'high', createdBy: null });
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    const [query] = cloudWatch.commandCalls(GetMetricDataCommand).map(({ args }) => args[0].input);
    expect(Number(query?.EndTime) - Number(query?.StartTime)).toBe(86_400_000);
    expect(query?.MetricDataQueries?.map(({ MetricStat }) => MetricStat?.Stat)).toEqual(['Sum', 'Sum', 'Sum']);
    expect(cloudTrail.commandCalls(LookupEventsCommand)[0]?.args[0].input.LookupAttributes).toEqual([
      { AttributeKey: 'EventName', AttributeValue: 'CreateStream' },
    ]);
    expect(writtenReport().notes.filter((text) => text.includes('left empty'))).toEqual([]);
  });

  it('a refused GetMetricData and LookupEvents leave receivingWrites and createdBy empty with one note each, never a failed sweep', async () => {
    // Prepare
    const denied = (action: string) =>
      Object.assign(new Error(`User is not authorized to perform: ${action}`), { name: 'AccessDeniedException' });
    cloudWatch.on(GetMetricDataCommand).rejects(denied('cloudwatch:GetMetricData'));
    cloudTrail.on(LookupEventsCommand).rejects(denied('cloudtrail:LookupEvents'));

    // Act
    const result = await handler({ step: 0, executionName: 'sweep-refused' }, context());

    // Assess
    expect(result).toMatchObject({ done: true });
    const report = writtenReport();
    expect(report.streams.map(({ receivingWrites, createdBy }) => [receivingWrites, createdBy])).toEqual(
      STREAMS.map(() => [null, null])
    );
    expect(report.notes.filter((text) => text.includes('left empty'))).toEqual([
      expect.stringMatching(/^receivingWrites left empty: CloudWatch GetMetricData .*AccessDeniedException/),
      expect.stringMatching(/^createdBy left empty: CloudTrail LookupEvents .*AccessDeniedException/),
    ]);
    expect(sweepCompleted()).toEqual([expect.objectContaining({ changed: STREAMS.length, failed: 0 })]);
  });
});
