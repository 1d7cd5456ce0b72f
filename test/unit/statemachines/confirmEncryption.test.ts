import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completionBase } from '../../../src/completion/completionBase';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import type { ConfirmationInput } from '../../../src/domain/confirmationInput';
import { DetailType, EVENT_SOURCE, Outcome, SETTLE_SECONDS } from '../../../src/domain/outcome';
import type { JsonValue, TaskHandler } from '../../../tools/dev';
import {
  CONFIRM_ENCRYPTION_ASL_PATH,
  LOCAL_SUBSTITUTIONS,
  loadDefinition,
  runStateMachine,
  toStatesError,
} from '../../../tools/dev';
import { PRICES } from '../../bench/costModel';
import { transitionsForPolls } from '../../bench/transitionCount';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { confirmationInputFixture } from '../../helpers/confirmationInputFixture';
import { refusedBy } from '../../helpers/publishedSchemaErrors';

const definition = loadDefinition(CONFIRM_ENCRYPTION_ASL_PATH, LOCAL_SUBSTITUTIONS);
/** The loop's first values: the workflow variables the Defaults state assigns. */
const defaults = (definition.States.Defaults as unknown as { Assign: { wait: number } }).Assign;
/** Bound when the input has no confirmTimeoutSeconds (stage parameter confirmTimeoutSeconds when deployed). */
const DEFAULT_BOUND_SECONDS = Number(LOCAL_SUBSTITUTIONS.DefaultConfirmTimeoutSeconds);
/** The longest bound the definition accepts (Evaluate's timeout rule on $waited). */
const MAX_BOUND_SECONDS = 3600;
/** The longest wait: past it the wait stops doubling (DescribeStream's Assign of $wait). */
const MAX_WAIT_SECONDS = 64;
/** Seconds of the n-th wait (1-based): doubling from the first, capped at {@link MAX_WAIT_SECONDS}. */
const waitSeconds = (n: number): number => Math.min(defaults.wait * 2 ** (n - 1), MAX_WAIT_SECONDS);
const waitedSecondsAfter = (waits: number): number =>
  Array.from({ length: waits }, (_, index) => waitSeconds(index + 1)).reduce((sum, s) => sum + s, 0);
const waitedMsAfter = (waits: number): number => waitedSecondsAfter(waits) * 1000;
/** Polls until the waits reach a bound: every poll comes after a wait. */
const pollsWithin = (boundSeconds: number): number => {
  let polls = 1;
  while (waitedSecondsAfter(polls) < boundSeconds) polls += 1;
  return polls;
};
const retriers = (stateName: string) =>
  (definition.States[stateName] as unknown as { Retry: { ErrorEquals: string[]; MaxAttempts: number }[] }).Retry;
const maxAttemptsFor = (stateName: string, error: string): number => {
  const retrier = retriers(stateName).find((r) => r.ErrorEquals.includes(error));
  if (!retrier) throw new Error(`${stateName} has no retrier for ${error}`);
  return retrier.MaxAttempts;
};

const input: ConfirmationInput = confirmationInputFixture();
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

const kept = () => jest.fn<ReturnType<TaskHandler>, Parameters<TaskHandler>>(() => ({ MessageId: 'm-1' }));

const run = async (
  describeStream: TaskHandler,
  publishCompletion: TaskHandler,
  waitTimeOverrides: Record<string, number> = { Backoff: 0 },
  probe?: TaskHandler,
  extra: { input?: Record<string, JsonValue>; keepUndelivered?: TaskHandler; tagGuard?: TaskHandler } = {}
) =>
  runStateMachine({
    definitionPath: CONFIRM_ENCRYPTION_ASL_PATH,
    substitutions: LOCAL_SUBSTITUTIONS,
    // The execution input as SfnConfirmationPort writes it: the ConfirmationInput plus its completion base.
    input: JSON.parse(
      JSON.stringify({ ...input, completion: completionBase(input), probe: probe !== undefined, ...extra.input })
    ) as JsonValue,
    taskHandlers: {
      DescribeStream: describeStream,
      PublishCompletion: publishCompletion,
      KeepUndelivered: extra.keepUndelivered ?? kept(),
      ...(probe === undefined ? {} : { ProbeRecord: probe }),
      ...(extra.tagGuard === undefined ? {} : { TagGuard: extra.tagGuard }),
    },
    waitTimeOverrides: { SettleBeforeProbe: 0, SettleBeforeTag: 0, ...waitTimeOverrides },
    retryIntervalOverrides: {
      DescribeStream: 0,
      PublishCompletion: 0,
      ProbeRecord: 0,
      KeepUndelivered: 0,
      TagGuard: 0,
    },
  }).result;

type Entry = {
  Source: string;
  DetailType: string;
  Detail: CompletionDetail;
  EventBusName: string;
  Resources: string[];
};
/**
 * The one event published, as EventBridge delivers it (envelope fields the test can know); every outcome path's
 * event must parse with the completion schema (zod, as record-metrics parses it) and its published JSON Schema.
 */
const publishedEvent = (publish: jest.Mock) => {
  expect(publish).toHaveBeenCalledTimes(1);
  const { Entries } = publish.mock.calls[0]![0] as { Entries: Entry[] };
  expect(Entries).toHaveLength(1);
  const [entry] = Entries as [Entry];
  expect(entry.EventBusName).toBe(input.eventBusName);
  // Like the Lambda's events: rules filtering on `resources` match workflow-published events too.
  expect(entry.Resources).toEqual([input.streamArn]);
  const event = { source: entry.Source, 'detail-type': entry.DetailType, detail: entry.Detail };
  expect(completionEventErrors(event)).toEqual([]);
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

  it.each(['aws', 'aws-cn', 'aws-us-gov'])('is a valid ASL definition in partition %s (asl-validator)', (partition) => {
    // Prepare: the definition as CloudFormation deploys it, DefinitionSubstitutions filled
    const cli = require.resolve('asl-validator/dist/bin/asl-validator.js');
    const resolved = join(mkdtempSync(join(tmpdir(), 'asl-')), 'confirm-encryption.asl.json');
    const substitutions = { ...LOCAL_SUBSTITUTIONS, Partition: partition };
    writeFileSync(resolved, JSON.stringify(loadDefinition(CONFIRM_ENCRYPTION_ASL_PATH, substitutions)));

    // Act
    const output = execFileSync(process.execPath, [cli, '--json-path', resolved], { encoding: 'utf8' });

    // Assess
    expect(output).toContain('is valid');
  });

  it('waits 1 s first, doubling up to 64 s, with a default bound of at least 15 minutes and polls capped', () => {
    // Prepare
    const waits = Array.from({ length: 10 }, (_, index) => waitSeconds(index + 1));

    // Act
    const pollsAtDefault = pollsWithin(DEFAULT_BOUND_SECONDS);
    const pollsAtMost = pollsWithin(MAX_BOUND_SECONDS);

    // Assess
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 64, 64, 64]);
    expect(DEFAULT_BOUND_SECONDS).toBeGreaterThanOrEqual(15 * 60);
    expect(definition.TimeoutSeconds).toBeGreaterThan(MAX_BOUND_SECONDS + 300);
    expect(pollsAtDefault).toBeLessThanOrEqual(25);
    expect(pollsAtMost).toBeLessThanOrEqual(62);
  });

  it.each([
    { case: 'a detail-type of another outcome', change: { 'detail-type': DetailType.Failed } },
    { case: 'another source', change: { source: 'someone-else' } },
    { case: 'a missing field', change: { detail: { streamKeyId: undefined } } },
    { case: 'Encrypted without confirmedAt', change: { detail: { timestamps: { confirmedAt: null } } } },
    { case: 'Encrypted carrying an error', change: { detail: { error: { name: 'X', message: 'y' } } } },
    { case: 'an unknown outcome', change: { detail: { outcome: 'Maybe' } } },
  ])('the zod schema and the published JSON Schema refuse an Encrypted event with $case', async ({ change }) => {
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
    const errors = completionEventErrors(changed);

    // Assess
    expect(refusedBy(errors)).toEqual(['json', 'zod']);
  });

  // Issue 20, item 6: the compliance of every path is a fact of the last read, apart from the outcome.
  it.each<{
    path: string;
    answers: (Seen | Error)[];
    probe?: TaskHandler;
    input?: Record<string, JsonValue>;
    outcome: Outcome;
    compliance: string;
    error: string | null;
  }>([
    {
      path: 'confirmed',
      answers: [updating, encrypted],
      outcome: Outcome.Encrypted,
      compliance: 'Compliant',
      error: null,
    },
    {
      path: 'confirmed by a probe record',
      answers: [encrypted],
      probe: () => ({ ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'KMS' }),
      outcome: Outcome.Encrypted,
      compliance: 'Compliant',
      error: null,
    },
    {
      path: 'stream deleted',
      answers: [sdkError('ResourceNotFoundException')],
      outcome: Outcome.Skipped,
      compliance: 'NotChecked',
      error: null,
    },
    {
      path: 'stream DELETING after an UPDATING poll',
      answers: [updating, { StreamStatus: 'DELETING', EncryptionType: 'NONE' }],
      outcome: Outcome.Skipped,
      compliance: 'NotChecked',
      error: null,
    },
    {
      path: "the owner's key applied after ours, other keys accepted",
      answers: [{ StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: otherKey }],
      outcome: Outcome.Skipped,
      compliance: 'Compliant',
      error: null,
    },
    {
      path: "the owner's key applied after ours, other keys not accepted",
      answers: [{ StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: otherKey }],
      input: { otherKeyCompliance: 'NonCompliant' },
      outcome: Outcome.Skipped,
      compliance: 'NonCompliant',
      error: null,
    },
    {
      path: 'ACTIVE without encryption',
      answers: [{ StreamStatus: 'ACTIVE', EncryptionType: 'NONE' }],
      outcome: Outcome.Failed,
      compliance: 'NonCompliant',
      error: 'EncryptionMismatch',
    },
    {
      path: 'timed out',
      answers: [updating],
      outcome: Outcome.Failed,
      compliance: 'NonCompliant',
      error: 'ConfirmationTimedOut',
    },
    {
      path: 'DescribeStream denied',
      answers: [sdkError('AccessDeniedException')],
      outcome: Outcome.Failed,
      compliance: 'NotChecked',
      error: 'Kinesis.AccessDeniedException',
    },
    {
      path: 'the probe record refused (on the key)',
      answers: [encrypted],
      probe: () => {
        throw toStatesError('Kinesis', sdkError('KMSAccessDeniedException'));
      },
      outcome: Outcome.Failed,
      compliance: 'Compliant',
      error: 'Kinesis.KmsAccessDeniedException',
    },
    {
      path: 'the probe record not encrypted',
      answers: [encrypted],
      probe: () => ({ ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'NONE' }),
      outcome: Outcome.Failed,
      compliance: 'NonCompliant',
      error: 'ProbeNotEncrypted',
    },
  ])('publishes $outcome, $compliance ($path) as an event its schema accepts (zod and JSON Schema)', async (path) => {
    // Prepare
    const publish = published();

    // Act
    await run(describeFrom([...path.answers]), publish, { Backoff: 0 }, path.probe, {
      input: { confirmTimeoutSeconds: 60, ...path.input },
    });

    // Assess
    const { Entries } = publish.mock.calls[0]![0] as { Entries: Entry[] };
    const [entry] = Entries as [Entry];
    const event = { source: entry.Source, 'detail-type': entry.DetailType, detail: entry.Detail };
    expect(event.detail).toMatchObject({
      outcome: path.outcome,
      compliance: path.compliance,
      error: path.error === null ? null : { name: path.error },
    });
    expect(completionEventErrors(event)).toEqual([]);
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
      version: '3',
      outcome: Outcome.Encrypted,
      compliance: 'Compliant',
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
      // The window of unencrypted writes: until confirmation plus the settle time.
      exposureMs: input.applyLatencyMs + waitedMsAfter(1) + SETTLE_SECONDS * 1000,
      trigger: input.trigger,
      desiredKeyId: input.keyId,
      actor: null,
      policy: input.policy,
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
    expect(Date.now() - started).toBeGreaterThanOrEqual(waitedMsAfter(1));
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
    { case: 'another key', answers: [{ StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: otherKey }] },
    {
      case: 'another key after an UPDATING poll',
      answers: [updating, { StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: otherKey }],
    },
  ])(
    "publishes Skipped and succeeds when the stream is ACTIVE with $case (its owner's key, applied after ours)",
    async ({ answers }) => {
      // Prepare: Terraform / CloudFormation / CDK apply StartStreamEncryption themselves once the stream is ACTIVE
      // (issue 10 item 3); a later StartStreamEncryption replaces our key. StartStreamEncryption:
      // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html
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
        streamStatus: 'ACTIVE',
        encryptionType: 'KMS',
        streamKeyId: otherKey,
        timeToEncryptedMs: null,
        error: null,
        timestamps: { confirmedAt: null },
      });
      expect(event.detail.reason).toBe(
        `Stream ${input.streamName} is ACTIVE with another KMS key (${otherKey}) applied after ours (expected ${input.keyId}): left as its owner set it`
      );
      expect(result).toEqual({ status: 'SUCCEEDED', output: { detailType: DetailType.Skipped, detail: event.detail } });
    }
  );

  it.each([
    { case: 'no encryption', seen: { StreamStatus: 'ACTIVE', EncryptionType: 'NONE' } as Seen },
    { case: 'KMS but no KeyId', seen: { StreamStatus: 'ACTIVE', EncryptionType: 'KMS' } as Seen },
  ])('publishes Failed, then fails the execution, when the stream is ACTIVE with $case', async ({ seen }) => {
    // Prepare: DescribeStream's Assign merges the answer over nulls, so an absent KeyId reads null and Active's
    // first Condition sends it to Failed (Choice Rules (JSONata), https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html)
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

  it('publishes Failed naming the last status when the bound passes, then fails the execution', async () => {
    // Prepare
    const describe = describeFrom([{ StreamStatus: 'UPDATING', EncryptionType: 'KMS', KeyId: input.keyId }]);
    const publish = published();
    const confirmTimeoutSeconds = 300;
    const waits = pollsWithin(confirmTimeoutSeconds);

    // Act
    const result = await run(describe, publish, { Backoff: 0 }, undefined, { input: { confirmTimeoutSeconds } });

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

  it('keeps the completion in the undelivered queue, then fails CompletionUndelivered, when PublishCompletion keeps failing', async () => {
    // Prepare
    const maxAttempts = maxAttemptsFor('PublishCompletion', 'EventBridge.ThrottlingException');
    const describe = describeFrom([encrypted]);
    const publish = published();
    publish.mockImplementation(() => {
      throw toStatesError('EventBridge', sdkError('ThrottlingException', 'Rate exceeded'));
    });
    const keep = kept();
    // sqs:sendMessage optimised integration, MessageBody from a path (https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html)

    // Act
    const result = await run(describe, publish, { Backoff: 0 }, undefined, { keepUndelivered: keep });

    // Assess
    expect(publish).toHaveBeenCalledTimes(maxAttempts + 1);
    expect(keep).toHaveBeenCalledTimes(1);
    const [[{ QueueUrl, MessageBody }]] = keep.mock.calls as unknown as [
      [{ QueueUrl: string; MessageBody: Record<string, unknown> }],
    ];
    expect(QueueUrl).toBe(LOCAL_SUBSTITUTIONS.UndeliveredQueueUrl);
    expect(MessageBody).toMatchObject({
      ...inputFields,
      eventBusName: input.eventBusName,
      completion: { detailType: DetailType.Encrypted, detail: { outcome: Outcome.Encrypted, ...inputFields } },
      publishError: { Error: 'EventBridge.ThrottlingException', Cause: 'Rate exceeded' },
    });
    const undelivered = {
      source: EVENT_SOURCE,
      'detail-type': DetailType.Encrypted,
      detail: (MessageBody.completion as { detail: CompletionDetail }).detail,
    };
    expect(completionEventErrors(undelivered)).toEqual([]);
    expect(result).toEqual({ status: 'FAILED', error: 'CompletionUndelivered', cause: 'Rate exceeded' });
  });

  it('fails CompletionLost when the undelivered queue refuses the completion too', async () => {
    // Prepare
    const publish = published();
    publish.mockImplementation(() => {
      throw toStatesError('EventBridge', sdkError('ResourceNotFoundException', 'Event bus governance does not exist.'));
    });
    const keep = jest.fn<ReturnType<TaskHandler>, Parameters<TaskHandler>>(() => {
      throw toStatesError('SQS', sdkError('QueueDoesNotExist', 'The specified queue does not exist.'));
    });

    // Act
    const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, undefined, { keepUndelivered: keep });

    // Assess
    expect(publish).toHaveBeenCalledTimes(1);
    expect(keep).toHaveBeenCalledTimes(1 + 3);
    expect(result).toEqual({ status: 'FAILED', error: 'CompletionLost', cause: 'The specified queue does not exist.' });
  });

  describe('confirmation bound (confirmTimeoutSeconds)', () => {
    it('keeps polling a slow update past five minutes and publishes Encrypted with the default bound', async () => {
      // Prepare: UPDATING for about ten minutes of waits, then encrypted
      const updatingPolls = pollsWithin(600);
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
    });

    it.each([
      { case: 'the input bound', confirmTimeoutSeconds: 60, bound: 60 },
      {
        case: 'the default bound when the input has none',
        confirmTimeoutSeconds: undefined,
        bound: DEFAULT_BOUND_SECONDS,
      },
      { case: 'at most 3600 s', confirmTimeoutSeconds: 86_400, bound: MAX_BOUND_SECONDS },
      { case: 'the first poll when the bound is not a number', confirmTimeoutSeconds: 'soon', bound: 0 },
    ])('times out after $case', async ({ confirmTimeoutSeconds, bound }) => {
      // Prepare
      const describe = describeFrom([updating]);
      const publish = published();
      const extraInput: Record<string, JsonValue> =
        confirmTimeoutSeconds === undefined ? {} : { confirmTimeoutSeconds };

      // Act
      const result = await run(describe, publish, { Backoff: 0 }, undefined, { input: extraInput });

      // Assess
      expect(describe).toHaveBeenCalledTimes(pollsWithin(bound));
      const { detail } = publishedEvent(publish);
      expect(detail).toMatchObject({ outcome: Outcome.Failed, error: { name: 'ConfirmationTimedOut' } });
      expect(detail.reason).toContain(
        `after ${pollsWithin(bound)} backoff waits totalling ${waitedMsAfter(pollsWithin(bound))} ms`
      );
      expect(result.status).toBe('FAILED');
    });

    it('keeps a typical stream (confirmed within 3 polls) at or below $0.001 of Standard transitions', async () => {
      // Prepare: Step Functions Standard bills each state transition (test/bench/costModel.ts)
      const polls = 3;

      // Act
      const transitions = await transitionsForPolls(polls);

      // Assess
      expect(transitions * PRICES.sfnStandardTransition).toBeLessThanOrEqual(0.001);
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
        'Kinesis.KmsAccessDeniedException',
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

    it('retries the probe once KMS throttles it (Kinesis.KmsThrottlingException), then confirms', async () => {
      // Prepare
      const probe = putRecord({ EncryptionType: 'KMS' });
      probe.mockImplementationOnce(() => {
        throw toStatesError('Kinesis', sdkError('KMSThrottlingException', 'Rate exceeded for KMS'));
      });
      const publish = published();

      // Act
      const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, probe);

      // Assess
      expect(probe).toHaveBeenCalledTimes(2);
      expect(publishedEvent(publish).detail.outcome).toBe(Outcome.Encrypted);
      expect(result.status).toBe('SUCCEEDED');
    });

    it.each([
      { case: 'probe is false', input: { probe: false } },
      { case: 'the input has no probe field', input: { probe: undefined } },
    ])('writes no record unless asked ($case)', async ({ input: probeInput }) => {
      // Prepare: no ProbeRecord handler, so a probe would fail the run
      const publish = published();

      // Act
      const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, undefined, {
        input: probeInput as Record<string, JsonValue>,
      });

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(publishedEvent(publish).detail.outcome).toBe('Encrypted');
    });
  });

  describe('write guard: the tag kinesis-auto-encrypt:encrypted after confirmation and the settle', () => {
    const KEY_ARN = input.keyId;
    const guardInput = (writeGuard: string) => ({ writeGuard, keyArn: KEY_ARN });
    const tagged = () => jest.fn<ReturnType<TaskHandler>, Parameters<TaskHandler>>(() => ({}));
    const kmsProbe = () => ({ ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'KMS' });

    it.each([
      { writeGuard: 'prepare', probe: false },
      { writeGuard: 'enforce', probe: false },
      { writeGuard: 'enforce', probe: true },
    ])(
      'tags an Encrypted stream with the key ARN before publishing (writeGuard $writeGuard, probe $probe)',
      async ({ writeGuard, probe }) => {
        // Prepare
        const tag = tagged();
        const publish = published();

        // Act
        const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, probe ? kmsProbe : undefined, {
          input: guardInput(writeGuard),
          tagGuard: tag,
        });

        // Assess: AddTagsToStream (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_AddTagsToStream.html)
        expect(tag).toHaveBeenCalledTimes(1);
        expect(tag.mock.calls[0]?.[0]).toEqual({
          StreamARN: input.streamArn,
          Tags: { 'kinesis-auto-encrypt:encrypted': KEY_ARN },
        });
        expect(tag.mock.invocationCallOrder[0]).toBeLessThan(publish.mock.invocationCallOrder[0] as number);
        const { detail } = publishedEvent(publish);
        expect(detail).toMatchObject({
          outcome: Outcome.Encrypted,
          guardTag: { status: 'Set', value: KEY_ARN, error: null },
        });
        expect(result.status).toBe('SUCCEEDED');
      }
    );

    it.each<{ case: string; extraInput: Record<string, JsonValue> }>([
      { case: 'writeGuard off', extraInput: { writeGuard: 'off', keyArn: KEY_ARN } },
      { case: 'no writeGuard in the input', extraInput: {} },
    ])('does not tag when $case', async ({ extraInput }) => {
      // Prepare: no TagGuard handler: reaching the Task would fail the run (States.Runtime)
      const publish = published();

      // Act
      const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, undefined, { input: extraInput });

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      const { detail } = publishedEvent(publish);
      expect(detail.outcome).toBe(Outcome.Encrypted);
      expect(detail).not.toHaveProperty('guardTag');
    });

    it.each<{ path: string; answers: Seen[]; probe?: TaskHandler; outcome: Outcome }>([
      {
        path: "the owner's key applied after ours",
        answers: [{ StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: otherKey }],
        outcome: Outcome.Skipped,
      },
      {
        path: 'ACTIVE without encryption',
        answers: [{ StreamStatus: 'ACTIVE', EncryptionType: 'NONE' }],
        outcome: Outcome.Failed,
      },
      {
        path: 'the probe record not encrypted',
        answers: [encrypted],
        probe: () => ({ ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'NONE' }),
        outcome: Outcome.Failed,
      },
    ])(
      'does not tag when the outcome is $outcome ($path), even with writeGuard enforce',
      async ({ answers, probe, outcome }) => {
        // Prepare
        const tag = tagged();
        const publish = published();

        // Act
        await run(describeFrom([...answers]), publish, { Backoff: 0 }, probe, {
          input: guardInput('enforce'),
          tagGuard: tag,
        });

        // Assess
        expect(tag).not.toHaveBeenCalled();
        expect(publishedEvent(publish).detail).toMatchObject({ outcome });
      }
    );

    it('waits the settle seconds before tagging, unless the probe already waited them', async () => {
      // Prepare: a 1 s settle in the completion base; SettleBeforeTag not overridden
      const completion = { ...completionBase(input), settleSeconds: 1 };
      const timed = async (probe?: TaskHandler) => {
        const started = Date.now();
        await run(describeFrom([encrypted]), published(), { Backoff: 0, SettleBeforeTag: undefined as never }, probe, {
          input: { ...guardInput('enforce'), completion: completion as unknown as JsonValue },
          tagGuard: tagged(),
        });
        return Date.now() - started;
      };

      // Act
      const withoutProbe = await timed();
      const afterProbe = await timed(kmsProbe);

      // Assess
      expect(withoutProbe).toBeGreaterThanOrEqual(1000);
      expect(afterProbe).toBeLessThan(1000);
    });

    it.each([
      { error: 'AccessDeniedException', message: 'denied by a service control policy', calls: 1 },
      { error: 'InvalidArgumentException', message: 'bad tag value', calls: 1 },
      {
        error: 'LimitExceededException',
        message: 'Rate exceeded',
        calls: 1 + maxAttemptsFor('TagGuard', 'Kinesis.LimitExceededException'),
      },
    ])(
      'records a tag call failing with $error in the completion and still publishes Encrypted',
      async ({ error, message, calls }) => {
        // Prepare
        const tag = jest.fn<ReturnType<TaskHandler>, Parameters<TaskHandler>>(() => {
          throw toStatesError('Kinesis', sdkError(error, message));
        });
        const publish = published();

        // Act
        const result = await run(describeFrom([encrypted]), publish, { Backoff: 0 }, undefined, {
          input: guardInput('enforce'),
          tagGuard: tag,
        });

        // Assess
        expect(tag).toHaveBeenCalledTimes(calls);
        const { detail } = publishedEvent(publish);
        expect(detail).toMatchObject({
          outcome: Outcome.Encrypted,
          error: null,
          guardTag: { status: 'Failed', value: KEY_ARN, error: { name: `Kinesis.${error}`, message } },
        });
        expect(result.status).toBe('SUCCEEDED');
      }
    );

    it('retries a throttled tag call, then records it Set', async () => {
      // Prepare: AddTagsToStream allows five calls per second per account
      const tag = tagged();
      tag.mockImplementationOnce(() => {
        throw toStatesError('Kinesis', sdkError('LimitExceededException', 'Rate exceeded'));
      });
      const publish = published();

      // Act
      await run(describeFrom([encrypted]), publish, { Backoff: 0 }, undefined, {
        input: guardInput('prepare'),
        tagGuard: tag,
      });

      // Assess
      expect(tag).toHaveBeenCalledTimes(2);
      expect(publishedEvent(publish).detail).toMatchObject({ guardTag: { status: 'Set', value: KEY_ARN } });
    });
  });
});
