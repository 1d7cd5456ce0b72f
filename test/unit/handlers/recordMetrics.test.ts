import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeStreamSummaryCommand,
  ListTagsForStreamCommand,
  ResourceNotFoundException,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { handler as encryptStream } from '../../../handlers/encrypt-stream';
import { handler as recordMetrics } from '../../../handlers/record-metrics';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import { Outcome } from '../../../src/domain/outcome';
import { METRICS_NAMESPACE, MetricName } from '../../../src/metrics/metricNames';
import type { SweepCompletedDetail } from '../../../src/sweep/sweepCompletedDetail';
import { defaultKeyPolicy } from '../../../tools/dev';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { completionEvent, completionFixture } from '../../helpers/completionFixture';
import { createStreamEvent, lambdaContext } from '../../helpers/createStreamEvent';
import { captureEmf, emfErrors, metricKeysOf, metricTotal } from '../../helpers/emfLines';
import { fakeIdempotencyTable } from '../../helpers/fakeIdempotencyTable';
import { handlerClientMocks } from '../../helpers/handlerClientMocks';
import { streamSummary } from '../../helpers/streamSummary';
import { KEY, STATE_MACHINE_ARN } from './handlerEnvironment';

const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const { kinesis, kms, sfn, events, dynamoDb, documents, reset } = handlerClientMocks();
const context = () => lambdaContext() as unknown as Context;
const OUTCOMES = Object.values(Outcome);
/** A `Sweep Completed` detail as a sweep publishes it. */
const sweepCompletedFixture: SweepCompletedDetail = {
  version: '2',
  sweepId: 'sweep-2026-12-01',
  deployment: 'account',
  startedAt: '2026-12-01T00:00:00.000Z',
  finishedAt: '2026-12-01T00:02:00.000Z',
  durationMs: 120_000,
  steps: 1,
  streamsChecked: 120,
  compliance: { compliant: 113, nonCompliant: 7, exempt: 0, notChecked: 0 },
  nonCompliantFound: 7,
  changed: 7,
  exempt: 0,
  failed: 0,
  accountRegions: [
    {
      account: '123456789012',
      region: 'eu-west-1',
      streams: 120,
      byCompliance: { compliant: 113, nonCompliant: 7, exempt: 0, notChecked: 0 },
      byOutcome: { AlreadyCompliant: 113, Confirming: 7 },
      error: null,
    },
  ],
  accountRegionsOmitted: 0,
  apiCalls: { DescribeStreamSummary: 120 },
  peakDescribePerSecond: 10,
  report: null,
};

/** The completion events the function published so far, as the bus delivers them. */
const publishedEvents = () =>
  events.commandCalls(PutEventsCommand).map((call, index) => {
    const detail = JSON.parse(call.args[0].input.Entries?.[0]?.Detail ?? '{}') as CompletionDetail;
    return completionEvent(detail, `bus-${detail.eventId}-${index}`);
  });

const countOf = (documents: Awaited<ReturnType<typeof captureEmf>>) =>
  Object.fromEntries(OUTCOMES.map((outcome) => [outcome, metricTotal(documents, outcome)]));

describe('record-metrics handler', () => {
  afterEach(() => {
    reset();
  });

  it.each(OUTCOMES)('writes one valid EMF document counting a %s completion once', async (outcome) => {
    // Prepare
    const event = completionEvent(completionFixture(outcome, { encryptionType: 'NONE' }));

    // Act
    const documents = await captureEmf(() => recordMetrics(event, context()));

    // Assess: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(emfErrors(document)).toEqual([]);
    expect(countOf(documents)).toEqual(Object.fromEntries(OUTCOMES.map((name) => [name, name === outcome ? 1 : 0])));
    expect(metricKeysOf(documents)).toContain(`${METRICS_NAMESPACE}|${outcome}|service`);
    expect(documents[0]).toMatchObject({ service: 'kinesis-auto-encrypt', account: '123456789012' });
  });

  it('counts Failed again with its bounded reason', async () => {
    // Prepare
    const event = completionEvent(
      completionFixture(Outcome.Failed, {
        eventId: 'evt-timed-out',
        error: { name: 'ConfirmationTimedOut', message: 'x' },
      })
    );

    // Act
    const documents = await captureEmf(() => recordMetrics(event, context()));

    // Assess
    expect(metricTotal(documents, MetricName.Failed, ['service', 'reason'])).toBe(1);
    expect(metricTotal(documents, MetricName.LeftUnencrypted)).toBe(1);
    expect(documents.find((document) => 'reason' in document)?.reason).toBe('ConfirmationTimedOut');
  });

  it('does not count an EventBridge redelivery of the same event twice', async () => {
    // Prepare: EventBridge delivers at least once (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html)
    const event = completionEvent(completionFixture(Outcome.Skipped, { eventId: 'evt-redelivered' }));

    // Act
    const documents = await captureEmf(async () => {
      await recordMetrics(event, context());
      await recordMetrics(event, context());
    });

    // Assess
    expect(metricTotal(documents, MetricName.Skipped)).toBe(1);
  });

  it('counts a Sweep Completed event once as StreamsChecked and NonCompliantFound', async () => {
    // Prepare: the sweep's one event per run (src/completion/sweep-completed.schema.json), delivered twice
    const event = {
      id: 'bus-sweep-1',
      source: 'kinesis-auto-encrypt',
      'detail-type': 'Sweep Completed',
      detail: sweepCompletedFixture,
    };

    // Act
    const documents = await captureEmf(async () => {
      await recordMetrics(event, context());
      await recordMetrics(event, context());
    });

    // Assess
    for (const document of documents) expect(emfErrors(document)).toEqual([]);
    expect(metricTotal(documents, MetricName.StreamsChecked)).toBe(120);
    expect(metricTotal(documents, MetricName.NonCompliantFound)).toBe(7);
    expect(metricKeysOf(documents)).toContain(`${METRICS_NAMESPACE}|${MetricName.NonCompliantFound}|service`);
    expect(OUTCOMES.every((outcome) => metricTotal(documents, outcome) === 0)).toBe(true);
  });

  it.each([
    ['an outcome its detail-type does not name', { 'detail-type': 'Stream Skipped' }, {}],
    [
      'Encrypted without its confirmation',
      {},
      { timestamps: { streamCreatedAt: null, appliedAt: null, confirmedAt: null } },
    ],
    ['a field the schema does not have', {}, { extra: true }],
  ])('does not count a completion its published schema refuses: %s', async (_label, envelope, detail) => {
    // Prepare
    const valid = completionEvent(completionFixture(Outcome.Encrypted));
    const event = { ...valid, ...envelope, detail: { ...valid.detail, ...detail } };

    // Act
    const documents = await captureEmf(() => recordMetrics(event, context()));

    // Assess
    expect(completionEventErrors(event)).not.toEqual([]);
    expect(OUTCOMES.every((outcome) => metricTotal(documents, outcome) === 0)).toBe(true);
  });

  it('ignores a Sweep Completed its published schema refuses (counts missing)', async () => {
    // Prepare
    const event = {
      id: 'bus-sweep-2',
      source: 'kinesis-auto-encrypt',
      'detail-type': 'Sweep Completed',
      detail: { version: '1', sweepId: 'sweep-2', streamsChecked: 120, nonCompliantFound: 7 },
    };

    // Act
    const documents = await captureEmf(() => recordMetrics(event, context()));

    // Assess
    expect(metricTotal(documents, MetricName.StreamsChecked)).toBe(0);
  });

  it('ignores an event that is not a completion', async () => {
    // Act
    const documents = await captureEmf(() => recordMetrics({ id: 'x', detail: { outcome: 'Maybe' } }, context()));

    // Assess
    expect(metricTotal(documents, MetricName.Skipped)).toBe(0);
    expect(OUTCOMES.every((outcome) => metricTotal(documents, outcome) === 0)).toBe(true);
  });
});

describe('metrics of the function outcomes, duplicate triggers included', () => {
  beforeEach(() => {
    fakeIdempotencyTable(dynamoDb, documents);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
        Arn: KEY_ARN,
        Enabled: true,
        KeyState: 'Enabled',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyManager: 'CUSTOMER',
      },
    });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: defaultKeyPolicy('123456789012'), PolicyName: 'default' });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:x`, startDate: new Date() });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    kinesis.on(StartStreamEncryptionCommand).resolves({});
    kinesis.on(ListTagsForStreamCommand).resolves({ Tags: [], HasMoreTags: false });
  });

  afterEach(() => {
    reset();
  });

  const exemptTags = { 'kinesis-auto-encrypt:exempt': 'true', 'kinesis-auto-encrypt:exempt-reason': 'test' };
  it.each<[Outcome | 'Confirming', () => void, Record<string, unknown>]>([
    [
      Outcome.AlreadyCompliant,
      () => kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary(STREAM_ARN, 'ACTIVE', 'KMS', KEY)),
      {},
    ],
    [
      Outcome.Skipped,
      () =>
        kinesis
          .on(DescribeStreamSummaryCommand)
          .rejects(new ResourceNotFoundException({ message: 'Stream orders not found', $metadata: {} })),
      {},
    ],
    [
      Outcome.Exempt,
      () => kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary(STREAM_ARN, 'ACTIVE')),
      { requestParameters: { streamName: 'orders', shardCount: 1, tags: exemptTags } },
    ],
    [
      Outcome.Failed,
      () => {
        kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary(STREAM_ARN, 'ACTIVE'));
        kms
          .on(DescribeKeyCommand)
          .resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, Enabled: false, KeyState: 'Disabled' } });
      },
      {},
    ],
    [Outcome.Rejected, () => undefined, { eventTime: 'yesterday' }],
    // Handed to the state machine: its completion event (Encrypted, Skipped or Failed) is counted then.
    ['Confirming', () => kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary(STREAM_ARN, 'ACTIVE')), {}],
  ])('a trigger ending %s delivered twice is counted once', async (outcome, prepare, detail) => {
    // Prepare
    prepare();
    const trigger = createStreamEvent({ eventId: `evt-twice-${outcome}`, detail });

    // Act
    const first = await encryptStream(trigger, context());
    await encryptStream(trigger, context());
    const documents = await captureEmf(async () => {
      for (const event of publishedEvents()) await recordMetrics(event, context());
    });

    // Assess
    expect(first.outcome).toBe(outcome);
    expect(countOf(documents)).toEqual(Object.fromEntries(OUTCOMES.map((name) => [name, name === outcome ? 1 : 0])));
  });
});
