import { RetryableError } from '../../../src/domain/errors';
import {
  AccessDeniedError,
  KeyProblem,
  KeyUnusableError,
  LimitExceededError,
  StreamBusyError,
  ThrottledError,
} from '../../../src/domain/failures';
import { reconcile } from '../../../src/domain/reconcile';
import type { StreamState } from '../../../src/domain/streamState';
import { fakeReconcileWorld, KEY, KEY_ARN, ORDERS_REQUEST } from '../../fakes/fakeReconcileWorld';
import { FakeStreams } from '../../fakes/fakeStreams';

const request = ORDERS_REQUEST;
const state = (status: string, encryptionType = 'NONE', keyId?: string): StreamState => ({
  status,
  encryptionType,
  keyId,
});

/** Ports wired around one stream; every port is an in-memory fake. */
const world = (reads: (StreamState | undefined | Error)[], applies: (Error | undefined)[] = []) =>
  fakeReconcileWorld(new FakeStreams(reads, applies));

describe('reconcile', () => {
  it('applies the desired key once to an unencrypted stream and hands over to confirmation', async () => {
    // Prepare
    const { deps, streams, ledger, confirmations, reports } = world([state('ACTIVE')]);

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result).toEqual({
      outcome: 'Confirming',
      reason: 'encryption applied; confirmation started',
      // Not yet on its key: NonCompliant until the state machine confirms it.
      compliance: 'NonCompliant',
      streamArn: request.streamArn,
      executionName: 'e-1',
    });
    expect(streams.applies).toBe(1);
    expect(ledger.records.get('e-1')).toEqual({
      eventId: 'e-1',
      streamArn: request.streamArn,
      keyId: KEY,
      appliedAt: '2026-12-01T08:00:02.000Z',
    });
    expect(confirmations.started.get('e-1')).toMatchObject({
      keyId: KEY,
      applyLatencyMs: 2000,
      eventBusName: 'governance',
      probe: false,
    });
    expect(reports.reports).toEqual([]);
  });

  it('waits out CREATING, then applies', async () => {
    // Prepare
    const { deps, streams } = world([state('CREATING'), state('CREATING'), state('ACTIVE')]);

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(streams.calls.filter((call) => call.startsWith('wait'))).toHaveLength(1);
    expect(streams.applies).toBe(1);
  });

  it('throws a retryable error when the stream is still CREATING when time runs out', async () => {
    // Prepare
    const { deps, streams, reports } = world([state('CREATING')]);

    // Act & Assess
    await expect(reconcile(request, { ...deps, maxWaitSeconds: 3 })).rejects.toThrow(/still CREATING/);
    expect(streams.applies).toBe(0);
    expect(reports.reports).toEqual([]);
  });

  // A stream gone or being deleted is not judged: compliance NotChecked.
  it.each<[string, StreamState | undefined, string, string]>([
    ['the same key', state('ACTIVE', 'KMS', KEY), 'AlreadyCompliant', 'Compliant'],
    ['the same key by its ARN', state('ACTIVE', 'KMS', KEY_ARN), 'AlreadyCompliant', 'Compliant'],
    ['a team key', state('ACTIVE', 'KMS', 'alias/team'), 'Skipped', 'Compliant'],
    ['DELETING', state('DELETING'), 'Skipped', 'NotChecked'],
    ['no stream', undefined, 'Skipped', 'NotChecked'],
  ])('makes no call and reports when the stream has %s', async (_label, read, outcome, compliance) => {
    // Prepare
    const { deps, streams, reports } = world([read]);

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe(outcome);
    expect(streams.applies).toBe(0);
    expect(reports.reports).toEqual([expect.objectContaining({ outcome, compliance, keyId: KEY, request })]);
  });

  it('confirms the recorded key instead of applying again after a crash', async () => {
    // Prepare
    const { deps, streams, ledger, confirmations } = world([state('ACTIVE', 'KMS', KEY_ARN)]);
    await ledger.put({
      eventId: 'e-1',
      streamArn: request.streamArn,
      keyId: KEY_ARN,
      appliedAt: '2026-12-01T08:00:01.000Z',
    });

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(streams.applies).toBe(0);
    expect(confirmations.started.get('e-1')).toMatchObject({ keyId: KEY_ARN, appliedAt: '2026-12-01T08:00:01.000Z' });
  });

  it('decides again after the stream turned busy, and applies once it settled', async () => {
    // Prepare
    const { deps, streams } = world(
      [state('ACTIVE'), state('UPDATING'), state('ACTIVE')],
      [new StreamBusyError(request.streamArn)]
    );

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(streams.applies).toBe(2);
  });

  it.each([
    [
      'a disabled key',
      new KeyUnusableError(KEY, KeyProblem.Disabled, 'KMS key is disabled', { code: 'KMSDisabledException' }),
      'KMSDisabledException',
    ],
    [
      'the key budget',
      new LimitExceededError('Kinesis limit reached', { code: 'LimitExceededException' }),
      'LimitExceededException',
    ],
    [
      'a missing permission',
      new AccessDeniedError('kinesis:StartStreamEncryption', request.streamArn, { code: 'AccessDeniedException' }),
      'AccessDeniedException',
    ],
  ])('publishes Failed and returns (no retry) on %s', async (_label, failure, code) => {
    // Prepare
    const { deps, streams, reports, confirmations } = world([state('ACTIVE')], [failure]);

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Failed');
    expect(streams.applies).toBe(1);
    expect(confirmations.started.size).toBe(0);
    expect(reports.reports).toEqual([
      expect.objectContaining({ outcome: 'Failed', error: { name: code, message: failure.message } }),
    ]);
  });

  it('drops the cached key verdict when Kinesis reports the key unusable', async () => {
    // Prepare
    const { deps, keys } = world([state('ACTIVE')], [new KeyUnusableError(KEY, KeyProblem.Disabled, 'disabled')]);
    await reconcile(request, deps);
    const describedBefore = keys.described.length;

    // Act
    await reconcile(request, { ...deps, streams: new FakeStreams([state('ACTIVE')]) });

    // Assess
    expect(keys.described.length).toBe(describedBefore + 1);
  });

  it.each([
    ['throttling after the SDK retries', new ThrottledError('StartStreamEncryption')],
    ['a service error', new RetryableError('InternalFailure')],
    ['an unexpected error', new TypeError('bug')],
  ])('throws (so the trigger comes back) on %s, without reporting', async (_label, failure) => {
    // Prepare
    const { deps, reports } = world([state('ACTIVE')], [failure]);

    // Act & Assess
    await expect(reconcile(request, deps)).rejects.toThrow(RetryableError);
    expect(reports.reports).toEqual([]);
  });

  it('fails without applying when the key is not usable', async () => {
    // Prepare
    const { deps, streams, reports } = fakeReconcileWorld(new FakeStreams([state('ACTIVE')]), {
      defaultKey: 'alias/missing',
      keys: {
        'alias/missing': new KeyUnusableError(
          'alias/missing',
          KeyProblem.NotFound,
          'KMS key alias/missing does not exist'
        ),
      },
      keyTtlMs: 0,
    });

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result).toMatchObject({ outcome: 'Failed', reason: 'KMS key alias/missing does not exist; not applied' });
    expect(streams.applies).toBe(0);
    expect(reports.reports).toHaveLength(1);
  });

  it('reports Failed when the confirmation cannot start for a permanent reason, after applying once', async () => {
    // Prepare
    const { deps, streams, confirmations, reports } = world([state('ACTIVE')]);
    confirmations.failWith = new AccessDeniedError(
      'states:StartExecution',
      'arn:aws:states:eu-west-1:123456789012:stateMachine:m'
    );

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Failed');
    expect(streams.applies).toBe(1);
    expect(reports.reports[0]?.reason).toMatch(/^Encryption applied, but its confirmation could not start/);
  });

  it("waits out the IaC grace and reports the owner's key truthfully, with no apply", async () => {
    // Prepare: Terraform applies alias/team while the pipeline waits
    const { deps, streams, reports } = world([state('ACTIVE'), state('ACTIVE', 'KMS', 'alias/team')]);
    const slept: number[] = [];

    // Act
    const result = await reconcile(
      { ...request, iacEngine: 'Terraform' },
      { ...deps, maxWaitSeconds: 300, sleep: async (ms) => void slept.push(ms) }
    );

    // Assess
    expect(slept).toEqual([120_000]);
    expect(result.outcome).toBe('Skipped');
    expect(streams.applies).toBe(0);
    expect(reports.reports[0]).toMatchObject({ outcome: 'Skipped', state: { keyId: 'alias/team' } });
  });

  it('applies after the IaC grace when the engine did not encrypt', async () => {
    // Prepare
    const { deps, streams } = world([state('ACTIVE')]);

    // Act
    const result = await reconcile(
      { ...request, iacEngine: 'Terraform' },
      { ...deps, maxWaitSeconds: 300, sleep: async () => {} }
    );

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(streams.applies).toBe(1);
  });

  it('skips, without a call, an event about an earlier stream of the same name (deleted and created again)', async () => {
    // Prepare: the stream read was created an hour after the event's CreateStream
    const { deps, streams, reports } = world([{ ...state('ACTIVE'), createdAt: '2026-12-01T09:00:00.000Z' }]);

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Skipped');
    expect(result.reason).toMatch(/^Superseded/);
    expect(streams.applies).toBe(0);
    expect(reports.reports).toHaveLength(1);
  });

  it('records its own application before the call and keeps the reserve of the daily key budget', async () => {
    // Prepare: 22 applications by others in the last hours → 3 left, 2 kept in reserve → 1 may be spent
    const { deps, streams, applications, reports } = world([state('ACTIVE')]);
    const others = Array.from({ length: 22 }, (_, index) => ({
      at: new Date(Date.parse('2026-12-01T08:00:02.000Z') - (index + 1) * 60_000).toISOString(),
      keyId: 'alias/x',
      eventId: `other-${index}`,
      by: 'arn:aws:iam::123456789012:user/someone',
    }));
    applications.byStream.set(request.streamArn, others);

    // Act
    const first = await reconcile(request, deps);
    const second = await reconcile(
      { ...request, eventId: 'e-2' },
      { ...deps, streams: new FakeStreams([state('ACTIVE')]) }
    );

    // Assess
    expect(first.outcome).toBe('Confirming');
    expect(streams.applies).toBe(1);
    expect(applications.byStream.get(request.streamArn)).toHaveLength(23);
    expect(second.outcome).toBe('Failed');
    expect(reports.reports[0]?.reason).toMatch(
      /^Key budget: 23 of 25 key applications used on this stream in the last 24 h/
    );
    expect(reports.reports[0]?.error?.name).toBe('KeyBudgetReserved');
  });

  it("counts another caller's StartStreamEncryption in the stream's key budget", async () => {
    // Prepare
    const { deps, applications } = world([state('ACTIVE', 'KMS', 'alias/team')]);
    const trigger = {
      ...request,
      eventId: 'their-call',
      trigger: 'StartStreamEncryption' as const,
      actor: 'arn:aws:iam::123456789012:role/team',
      appliedKeyId: 'alias/team',
    };

    // Act
    const result = await reconcile(trigger, deps);

    // Assess
    expect(result.outcome).toBe('Skipped');
    expect(applications.byStream.get(request.streamArn)).toEqual([
      { at: request.eventTime, keyId: 'alias/team', eventId: 'their-call', by: 'arn:aws:iam::123456789012:role/team' },
    ]);
  });

  it('throws when the report cannot be delivered, so nothing is lost', async () => {
    // Prepare
    const { deps, reports } = world([state('ACTIVE', 'KMS', KEY)]);
    reports.failWith = new AccessDeniedError('events:PutEvents', 'governance');

    // Act & Assess
    await expect(reconcile(request, deps)).rejects.toThrow(AccessDeniedError);
  });
});
