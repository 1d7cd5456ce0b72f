import { execFileSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../../src/completion/completion-event.schema.json';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import type { ConfirmationInput } from '../../../src/domain/confirmationInput';
import { DetailType, EVENT_SOURCE, Outcome, SETTLE_SECONDS } from '../../../src/domain/outcome';
import type { JsonValue, TaskHandler } from '../../../src/local/stateMachineRunner';
import { CONFIRM_ENCRYPTION_ASL_PATH, loadDefinition, runStateMachine } from '../../../src/local/stateMachineRunner';
import { toStatesError } from '../../../src/local/toStatesError';

const definition = loadDefinition(CONFIRM_ENCRYPTION_ASL_PATH);
const loop = (
  definition.States.Init as unknown as { Result: { scheduleSeconds: number[]; scheduleMs: number[]; length: number } }
).Result;
const retriers = (stateName: string) =>
  (definition.States[stateName] as unknown as { Retry: { ErrorEquals: string[]; MaxAttempts: number }[] }).Retry;
const maxAttemptsFor = (stateName: string, error: string): number => {
  const retrier = retriers(stateName).find((r) => r.ErrorEquals.includes(error));
  if (!retrier) throw new Error(`${stateName} has no retrier for ${error}`);
  return retrier.MaxAttempts;
};
const waitedMsAfter = (waits: number): number => loop.scheduleMs.slice(0, waits).reduce((sum, ms) => sum + ms, 0);

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validateEvent = ajv.compile(schema);

const input: ConfirmationInput = {
  eventId: 'd3b07384-d9a7-4e3b-8c5f-3a1e2f4b5c6d',
  streamArn: 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders',
  streamName: 'orders',
  account: '111122223333',
  region: 'eu-west-1',
  keyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  eventBusName: 'governance',
  streamCreatedAt: '2025-03-01T10:00:00Z',
  appliedAt: '2025-03-01T10:00:01.250Z',
  applyLatencyMs: 1250,
  probe: false,
};
const otherKey = 'arn:aws:kms:eu-west-1:111122223333:key/ffffffff-0000-1111-2222-333333333333';

type Seen = { StreamStatus: string; EncryptionType: string; KeyId?: string };
const summary = (seen: Seen): JsonValue => ({
  StreamDescriptionSummary: {
    StreamName: input.streamName,
    StreamARN: input.streamArn,
    RetentionPeriodHours: 24,
    OpenShardCount: 1,
    ...seen,
  },
});
const encrypted: Seen = { StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: input.keyId };
const updating: Seen = { StreamStatus: 'UPDATING', EncryptionType: 'NONE' };

const sdkError = (name: string, message = `${name} from the service`): Error =>
  Object.assign(new Error(message), { name });

/** Serves DescribeStream from a queue of answers (the last one repeats); each answer is a summary or an error. */
const describeFrom = (answers: (Seen | Error)[]) =>
  jest.fn<ReturnType<TaskHandler>, Parameters<TaskHandler>>(() => {
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) throw toStatesError('Kinesis', answer);
    return summary(answer as Seen);
  });
const published = () =>
  jest.fn<ReturnType<TaskHandler>, Parameters<TaskHandler>>(() => ({
    FailedEntryCount: 0,
    Entries: [{ EventId: '11111111-2222-3333-4444-555555555555' }],
  }));

const run = async (
  describeStream: TaskHandler,
  publishCompletion: TaskHandler,
  waitTimeOverrides: Record<string, number> = { Backoff: 0 },
  probe?: TaskHandler
) =>
  runStateMachine({
    definitionPath: CONFIRM_ENCRYPTION_ASL_PATH,
    input: { ...input, probe: probe !== undefined } as unknown as JsonValue,
    taskHandlers: {
      DescribeStream: describeStream,
      PublishCompletion: publishCompletion,
      ...(probe === undefined ? {} : { ProbeRecord: probe }),
    },
    waitTimeOverrides: { SettleBeforeProbe: 0, ...waitTimeOverrides },
    retryIntervalOverrides: { DescribeStream: 0, PublishCompletion: 0, ProbeRecord: 0 },
  }).result;

type Entry = { Source: string; DetailType: string; Detail: CompletionDetail; EventBusName: string };
/** The one event published, as EventBridge delivers it (envelope fields the test can know). */
const publishedEvent = (publish: jest.Mock) => {
  expect(publish).toHaveBeenCalledTimes(1);
  const { Entries } = publish.mock.calls[0][0] as { Entries: Entry[] };
  expect(Entries).toHaveLength(1);
  const [entry] = Entries as [Entry];
  expect(entry.EventBusName).toBe(input.eventBusName);
  const event = { source: entry.Source, 'detail-type': entry.DetailType, detail: entry.Detail };
  expect(validateEvent(event) ? [] : validateEvent.errors).toEqual([]);
  return event;
};

const inputFields = {
  eventId: input.eventId,
  streamArn: input.streamArn,
  streamName: input.streamName,
  account: input.account,
  region: input.region,
  keyId: input.keyId,
};

describe('confirm-encryption state machine', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('is a valid ASL definition (asl-validator)', () => {
    // Prepare
    const cli = require.resolve('asl-validator/dist/bin/asl-validator.js');

    // Act
    const output = execFileSync(process.execPath, [cli, '--json-path', CONFIRM_ENCRYPTION_ASL_PATH], {
      encoding: 'utf8',
    });

    // Assess
    expect(output).toContain('is valid');
  });

  it('uses a growing backoff schedule of about five minutes, with ms parallel to seconds', () => {
    // Prepare
    const { scheduleSeconds, scheduleMs } = loop;

    // Act
    const totalSeconds = scheduleSeconds.reduce((sum, s) => sum + s, 0);

    // Assess
    expect(scheduleMs).toEqual(scheduleSeconds.map((s) => s * 1000));
    expect(loop.length).toBe(scheduleSeconds.length);
    expect(scheduleSeconds).toEqual([...scheduleSeconds].sort((a, b) => a - b));
    expect(totalSeconds).toBeGreaterThanOrEqual(270);
    expect(totalSeconds).toBeLessThanOrEqual(330);
  });

  it.each([
    { case: 'a detail-type of another outcome', change: { 'detail-type': DetailType.Failed } },
    { case: 'another source', change: { source: 'someone-else' } },
    { case: 'a missing field', change: { detail: { streamKeyId: undefined } } },
    { case: 'Encrypted without confirmedAt', change: { detail: { timestamps: { confirmedAt: null } } } },
    { case: 'Encrypted carrying an error', change: { detail: { error: { name: 'X', message: 'y' } } } },
    { case: 'an unknown outcome', change: { detail: { outcome: 'Maybe' } } },
  ])('schema rejects an Encrypted event with $case', async ({ change }) => {
    // Prepare
    const publish = published();
    await run(describeFrom([encrypted]), publish);
    const event = publishedEvent(publish);
    const changed = JSON.parse(
      JSON.stringify({
        ...event,
        ...change,
        detail: {
          ...event.detail,
          ...change.detail,
          timestamps: { ...event.detail.timestamps, ...change.detail?.timestamps },
        },
      })
    );

    // Act
    const valid = validateEvent(changed);

    // Assess
    expect(valid).toBe(false);
  });

  it('publishes Encrypted when the first poll (after the first backoff) sees ACTIVE + KMS + the key', async () => {
    // Prepare
    const describe = describeFrom([encrypted]);
    const publish = published();
    const before = new Date().toISOString();

    // Act
    const result = await run(describe, publish);

    // Assess
    const after = new Date().toISOString();
    expect(describe).toHaveBeenCalledTimes(1);
    expect(describe).toHaveBeenCalledWith({ StreamARN: input.streamArn });
    const event = publishedEvent(publish);
    expect(event.source).toBe(EVENT_SOURCE);
    expect(event['detail-type']).toBe(DetailType.Encrypted);
    expect(event.detail).toEqual({
      version: '1',
      outcome: Outcome.Encrypted,
      reason: expect.stringContaining(input.keyId),
      ...inputFields,
      streamStatus: 'ACTIVE',
      encryptionType: 'KMS',
      streamKeyId: input.keyId,
      timestamps: {
        streamCreatedAt: input.streamCreatedAt,
        appliedAt: input.appliedAt,
        confirmedAt: expect.any(String),
      },
      timeToEncryptedMs: input.applyLatencyMs + waitedMsAfter(1),
      settleSeconds: SETTLE_SECONDS,
      error: null,
    });
    expect(event.detail.timestamps.confirmedAt! >= before).toBe(true);
    expect(event.detail.timestamps.confirmedAt! <= after).toBe(true);
    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: { detailType: DetailType.Encrypted, detail: event.detail },
    });
  });

  it.each([1, 4, 7])(
    'polls through %i UPDATING answers, then publishes Encrypted with the waits summed',
    async (updatingPolls) => {
      // Prepare
      const describe = describeFrom([...Array<Seen>(updatingPolls).fill(updating), encrypted]);
      const publish = published();

      // Act
      const result = await run(describe, publish);

      // Assess
      expect(describe).toHaveBeenCalledTimes(updatingPolls + 1);
      const { detail } = publishedEvent(publish);
      expect(detail.outcome).toBe(Outcome.Encrypted);
      expect(detail.timeToEncryptedMs).toBe(input.applyLatencyMs + waitedMsAfter(updatingPolls + 1));
      expect(result.status).toBe('SUCCEEDED');
    }
  );

  it('waits the scheduled seconds in Backoff', async () => {
    // Prepare
    const describe = describeFrom([updating, encrypted]);
    const publish = published();
    const started = Date.now();

    // Act
    const result = await run(describe, publish, {});

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(loop.scheduleMs[0]!);
    expect(result.status).toBe('SUCCEEDED');
  });

  it('reads KeyId as null once it disappears from a later answer', async () => {
    // Prepare
    const describe = describeFrom([
      { StreamStatus: 'UPDATING', EncryptionType: 'KMS', KeyId: input.keyId },
      { StreamStatus: 'ACTIVE', EncryptionType: 'NONE' },
    ]);
    const publish = published();

    // Act
    await run(describe, publish);

    // Assess
    const { detail } = publishedEvent(publish);
    expect(detail).toMatchObject({ outcome: Outcome.Failed, encryptionType: 'NONE', streamKeyId: null });
  });

  it.each([1, 2])('retries DescribeStream throttled %i time(s), then publishes Encrypted', async (throttles) => {
    // Prepare
    const describe = describeFrom([
      ...Array.from({ length: throttles }, () => sdkError('LimitExceededException', 'Rate exceeded')),
      encrypted,
    ]);
    const publish = published();

    // Act
    const result = await run(describe, publish);

    // Assess
    expect(describe).toHaveBeenCalledTimes(throttles + 1);
    const { detail } = publishedEvent(publish);
    expect(detail.outcome).toBe(Outcome.Encrypted);
    expect(detail.timeToEncryptedMs).toBe(input.applyLatencyMs + waitedMsAfter(1));
    expect(result.status).toBe('SUCCEEDED');
  });

  it('publishes Failed with the error once DescribeStream stays throttled past its retries', async () => {
    // Prepare
    const maxAttempts = maxAttemptsFor('DescribeStream', 'Kinesis.LimitExceededException');
    const describe = describeFrom([sdkError('LimitExceededException', 'Rate exceeded')]);
    const publish = published();

    // Act
    const result = await run(describe, publish);

    // Assess
    expect(describe).toHaveBeenCalledTimes(maxAttempts + 1);
    const { detail } = publishedEvent(publish);
    expect(detail.outcome).toBe(Outcome.Failed);
    expect(detail.error).toEqual({ name: 'Kinesis.LimitExceededException', message: 'Rate exceeded' });
    expect(result).toEqual({ status: 'FAILED', error: 'Failed', cause: detail.reason });
  });

  it.each([
    {
      case: 'DescribeStream answers ResourceNotFound (stream deleted)',
      answers: [sdkError('ResourceNotFoundException')],
      streamStatus: null,
      reasonHas: 'Kinesis.ResourceNotFoundException',
    },
    {
      case: 'the stream is deleted after an UPDATING poll',
      answers: [updating, sdkError('ResourceNotFoundException')],
      streamStatus: 'UPDATING',
      reasonHas: 'no longer exists',
    },
    {
      case: 'the stream is DELETING',
      answers: [{ StreamStatus: 'DELETING', EncryptionType: 'NONE' }],
      streamStatus: 'DELETING',
      reasonHas: 'DELETING',
    },
  ])('publishes Skipped and succeeds when $case', async ({ answers, streamStatus, reasonHas }) => {
    // Prepare
    const describe = describeFrom([...answers]);
    const publish = published();

    // Act
    const result = await run(describe, publish);

    // Assess
    const event = publishedEvent(publish);
    expect(event['detail-type']).toBe(DetailType.Skipped);
    expect(event.detail).toMatchObject({
      outcome: Outcome.Skipped,
      ...inputFields,
      streamStatus,
      timeToEncryptedMs: null,
      error: null,
      timestamps: { confirmedAt: null },
    });
    expect(event.detail.reason).toContain(reasonHas);
    expect(result.status).toBe('SUCCEEDED');
  });

  it.each([
    { case: 'another key', seen: { StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: otherKey } },
    { case: 'no encryption', seen: { StreamStatus: 'ACTIVE', EncryptionType: 'NONE' } },
  ])('publishes Failed, then fails the execution, when the stream is ACTIVE with $case', async ({ seen }) => {
    // Prepare
    const describe = describeFrom([seen]);
    const publish = published();

    // Act
    const result = await run(describe, publish);

    // Assess
    const event = publishedEvent(publish);
    expect(event['detail-type']).toBe(DetailType.Failed);
    expect(event.detail).toMatchObject({
      outcome: Outcome.Failed,
      ...inputFields,
      streamStatus: 'ACTIVE',
      encryptionType: seen.EncryptionType,
      streamKeyId: seen.KeyId ?? null,
      timeToEncryptedMs: null,
      error: { name: 'EncryptionMismatch' },
    });
    expect(event.detail.reason).toContain(seen.EncryptionType);
    expect(event.detail.reason).toContain(String(seen.KeyId ?? null));
    expect(result).toEqual({ status: 'FAILED', error: 'Failed', cause: event.detail.reason });
  });

  it('publishes Failed naming the last status when the schedule runs out, then fails the execution', async () => {
    // Prepare
    const describe = describeFrom([{ StreamStatus: 'UPDATING', EncryptionType: 'KMS', KeyId: input.keyId }]);
    const publish = published();
    const waits = loop.scheduleSeconds.length;

    // Act
    const result = await run(describe, publish);

    // Assess: every poll comes after a backoff
    expect(describe).toHaveBeenCalledTimes(waits);
    const event = publishedEvent(publish);
    expect(event.detail).toMatchObject({
      outcome: Outcome.Failed,
      streamStatus: 'UPDATING',
      streamKeyId: input.keyId,
      error: { name: 'ConfirmationTimedOut' },
    });
    expect(event.detail.reason).toContain('StreamStatus UPDATING');
    expect(event.detail.reason).toContain(`${waitedMsAfter(waits)} ms`);
    expect(result).toEqual({ status: 'FAILED', error: 'Failed', cause: event.detail.reason });
  });

  it('publishes Failed carrying the error when DescribeStream fails otherwise', async () => {
    // Prepare
    const describe = describeFrom([sdkError('AccessDeniedException', 'not authorized')]);
    const publish = published();

    // Act
    const result = await run(describe, publish);

    // Assess
    expect(describe).toHaveBeenCalledTimes(1);
    const { detail } = publishedEvent(publish);
    expect(detail.error).toEqual({ name: 'Kinesis.AccessDeniedException', message: 'not authorized' });
    expect(detail.reason).toContain('Kinesis.AccessDeniedException');
    expect(result).toEqual({ status: 'FAILED', error: 'Failed', cause: detail.reason });
  });

  it.each(['ThrottlingException', 'EventBridge.FailedEntry'])(
    'retries PublishCompletion after one %s',
    async (errorName) => {
      // Prepare
      const describe = describeFrom([encrypted]);
      const publish = published();
      publish.mockImplementationOnce(() => {
        throw toStatesError('EventBridge', sdkError(errorName));
      });

      // Act
      const result = await run(describe, publish);

      // Assess
      expect(publish).toHaveBeenCalledTimes(2);
      expect(publish.mock.calls[1]).toEqual(publish.mock.calls[0]);
      expect(result.status).toBe('SUCCEEDED');
    }
  );

  it('fails the execution when PublishCompletion keeps failing', async () => {
    // Prepare
    const maxAttempts = maxAttemptsFor('PublishCompletion', 'EventBridge.ThrottlingException');
    const describe = describeFrom([encrypted]);
    const publish = published();
    publish.mockImplementation(() => {
      throw toStatesError('EventBridge', sdkError('ThrottlingException', 'Rate exceeded'));
    });

    // Act
    const result = await run(describe, publish);

    // Assess
    expect(publish).toHaveBeenCalledTimes(maxAttempts + 1);
    expect(result).toEqual({
      status: 'FAILED',
      error: 'EventBridge.ThrottlingException',
      cause: 'Rate exceeded',
    });
  });

  describe('opt-in probe', () => {
    const putRecord = (answer: { EncryptionType: string } | Error) =>
      jest.fn<ReturnType<TaskHandler>, Parameters<TaskHandler>>(() => {
        if (answer instanceof Error) throw toStatesError('Kinesis', answer);
        return { ShardId: 'shardId-000000000000', SequenceNumber: '4959', ...answer };
      });

    it('confirms with a probe record whose PutRecord response shows KMS', async () => {
      // Prepare
      const probe = putRecord({ EncryptionType: 'KMS' });
      const publish = published();

      // Act
      const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, probe);

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(probe).toHaveBeenCalledTimes(1);
      expect(probe.mock.calls[0]?.[0]).toEqual({
        StreamARN: input.streamArn,
        PartitionKey: 'kinesis-auto-encrypt-probe',
        Data: Buffer.from('kinesis-auto-encrypt probe').toString('base64'),
      });
      expect(publishedEvent(publish).detail).toMatchObject({ outcome: 'Encrypted' });
    });

    it.each([
      ['returns EncryptionType NONE', { EncryptionType: 'NONE' }, 'ProbeNotEncrypted', /returned EncryptionType NONE/],
      [
        'is denied by KMS',
        sdkError('KMSAccessDeniedException'),
        'Kinesis.KMSAccessDeniedException',
        /Probe PutRecord .* failed/,
      ],
    ])('fails when the probe %s', async (_label, answer, errorName, reason) => {
      // Prepare
      const publish = published();

      // Act
      const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, putRecord(answer));

      // Assess
      expect(result.status).toBe('FAILED');
      const { detail } = publishedEvent(publish);
      expect(detail).toMatchObject({ outcome: 'Failed', error: { name: errorName } });
      expect(detail.reason).toMatch(reason);
    });

    it('writes no record unless asked', async () => {
      // Prepare
      const publish = published();

      // Act
      const result = await run(describeFrom([encrypted]), publish);

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(publishedEvent(publish).detail.outcome).toBe('Encrypted');
    });
  });
});
