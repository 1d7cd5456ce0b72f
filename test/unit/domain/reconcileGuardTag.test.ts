import { RetryableError } from '../../../src/domain/errors';
import { AccessDeniedError, KeyProblem, KeyUnusableError, ThrottledError } from '../../../src/domain/failures';
import type { KeyFacts } from '../../../src/domain/keyCheck';
import { reconcile } from '../../../src/domain/reconcile';
import type { Mode } from '../../../src/domain/streamPolicy';
import type { StreamRequest } from '../../../src/domain/streamRequest';
import type { StreamState } from '../../../src/domain/streamState';
import { GUARD_TAG_KEY, type WriteGuard } from '../../../src/domain/writeGuard';
import type { FakeKeyApplications } from '../../fakes/fakeKeyApplications';
import { fakeReconcileWorld, KEY, KEY_ARN, ORDERS_REQUEST, TEAM_KEY_ARN } from '../../fakes/fakeReconcileWorld';
import { FakeStreams } from '../../fakes/fakeStreams';

const request: StreamRequest = { ...ORDERS_REQUEST, trigger: 'TagsChanged' };
const active = (encryptionType = 'NONE', keyId?: string): StreamState => ({ status: 'ACTIVE', encryptionType, keyId });
const guardTag = (value: string) => ({ [GUARD_TAG_KEY]: value });

/** One stream with these tags, the pipeline's ports as fakes, and the write guard as given. */
const world = (
  stream: StreamState,
  tags: Record<string, string>,
  options: { writeGuard?: WriteGuard; mode?: Mode; keys?: Record<string, KeyFacts | Error> } = {}
) => {
  const world = fakeReconcileWorld(new FakeStreams([stream], [], tags), {
    ...(options.writeGuard !== undefined && { writeGuard: options.writeGuard }),
    ...(options.mode !== undefined && { policy: { mode: options.mode } }),
    ...(options.keys !== undefined && { keys: options.keys }),
  });
  /** What the reconcile waited, each wait recorded before the calls that follow it. */
  const sleeps: number[] = [];
  world.deps.sleep = async (ms) => {
    sleeps.push(ms);
    world.streams.calls.push(`sleep ${ms}`);
  };
  return { ...world, sleeps };
};

/** 23 key applications in the last hours: the reserve of 2 is all that is left. */
const spentBudget = (applications: FakeKeyApplications) =>
  applications.byStream.set(
    request.streamArn,
    Array.from({ length: 23 }, (_, index) => ({
      at: new Date(Date.parse('2026-12-01T08:00:02.000Z') - (index + 1) * 60_000).toISOString(),
      keyId: 'alias/x',
      eventId: `other-${index}`,
      by: 'arn:aws:iam::123456789012:user/someone',
    }))
  );

describe('reconcile keeps the guard tag kinesis-auto-encrypt:encrypted (write guard)', () => {
  it.each([
    {
      case: 'AlreadyCompliant without the tag: set to the key ARN (from the pre-flight DescribeKey)',
      stream: active('KMS', KEY),
      tags: {},
      outcome: 'AlreadyCompliant',
      calls: [`tag ${request.streamArn} ${JSON.stringify(guardTag(KEY_ARN))}`],
      guard: { status: 'Set', value: KEY_ARN, error: null },
    },
    {
      case: 'AlreadyCompliant with the tag: no call',
      stream: active('KMS', KEY),
      tags: guardTag(KEY_ARN),
      outcome: 'AlreadyCompliant',
      calls: [],
      guard: { status: 'Present', value: KEY_ARN, error: null },
    },
    {
      case: 'AlreadyCompliant with a forged value: overwritten with the key ARN',
      stream: active('KMS', KEY),
      tags: guardTag('forged'),
      outcome: 'AlreadyCompliant',
      calls: [`tag ${request.streamArn} ${JSON.stringify(guardTag(KEY_ARN))}`],
      guard: { status: 'Set', value: KEY_ARN, error: null },
    },
    {
      case: "a team's key left alone (alias): set to that key's ARN (DescribeKey)",
      stream: active('KMS', 'alias/team'),
      tags: {},
      outcome: 'Skipped',
      calls: [`tag ${request.streamArn} ${JSON.stringify(guardTag(TEAM_KEY_ARN))}`],
      guard: { status: 'Set', value: TEAM_KEY_ARN, error: null },
    },
    {
      case: 'Exempt with the tag: removed',
      stream: active('NONE'),
      tags: { ...guardTag(KEY_ARN), 'kinesis-auto-encrypt:exempt': 'true' },
      outcome: 'Exempt',
      calls: [`untag ${request.streamArn} ${JSON.stringify([GUARD_TAG_KEY])}`],
      guard: { status: 'Removed', value: null, error: null },
    },
  ])('$case', async ({ stream, tags, outcome, calls, guard }) => {
    // Prepare
    const { deps, streams, reports } = world(stream, tags, { writeGuard: 'enforce' });

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe(outcome);
    expect(streams.tagCalls).toEqual(calls);
    expect(reports.reports).toHaveLength(1);
    expect(reports.reports[0]?.guardTag).toEqual(guard);
  });

  it('removes a stale tag from a decrypted stream before applying, and asks the state machine to tag it again', async () => {
    // Prepare: StopStreamEncryption under writeGuard=prepare leaves the tag on an unencrypted stream
    const { deps, streams, confirmations } = world(active('NONE'), guardTag(KEY_ARN), { writeGuard: 'prepare' });

    // Act
    const result = await reconcile({ ...request, trigger: 'StopStreamEncryption' }, deps);

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(streams.calls.filter((call) => /^(tag|untag|apply) /.test(call))).toEqual([
      `untag ${request.streamArn} ${JSON.stringify([GUARD_TAG_KEY])}`,
      `apply ${request.streamArn} ${KEY}`,
    ]);
    expect(confirmations.started.get('e-1')).toMatchObject({ keyId: KEY, writeGuard: 'prepare', keyArn: KEY_ARN });
  });

  it('removes the tag when the stream stays unencrypted (Failed: key budget kept in reserve)', async () => {
    // Prepare
    const { deps, streams, reports, applications } = world(active('NONE'), guardTag(KEY_ARN), {
      writeGuard: 'enforce',
    });
    spentBudget(applications);

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Failed');
    expect(streams.applies).toBe(0);
    expect(streams.tagCalls).toEqual([`untag ${request.streamArn} ${JSON.stringify([GUARD_TAG_KEY])}`]);
    expect(reports.reports[0]?.guardTag).toEqual({ status: 'Removed', value: null, error: null });
  });

  it.each<{ case: string; keyId: string; keys: Record<string, Error>; value: string }>([
    { case: 'a key ARN: as it is, no DescribeKey', keyId: TEAM_KEY_ARN, keys: {}, value: TEAM_KEY_ARN },
    {
      case: 'an alias whose DescribeKey is refused: the alias ARN',
      keyId: 'alias/other-team',
      keys: {
        'alias/other-team': new KeyUnusableError('alias/other-team', KeyProblem.AccessDenied, 'no kms:DescribeKey'),
      },
      value: 'arn:aws:kms:eu-west-1:123456789012:alias/other-team',
    },
    {
      case: 'a key id whose DescribeKey is refused: the key ARN in the stream account and region',
      keyId: '1234abcd-12ab-34cd-56ef-12345678eeee',
      keys: {
        '1234abcd-12ab-34cd-56ef-12345678eeee': new KeyUnusableError(
          'x',
          KeyProblem.AccessDenied,
          'no kms:DescribeKey'
        ),
      },
      value: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-12345678eeee',
    },
  ])("tags a stream on a team's key left alone with its ARN: $case", async ({ keyId, keys, value }) => {
    // Prepare
    const { deps, streams } = world(active('KMS', keyId), {}, { writeGuard: 'enforce', keys });

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('Skipped');
    expect(streams.tagCalls).toEqual([`tag ${request.streamArn} ${JSON.stringify(guardTag(value))}`]);
  });

  it.each([
    { case: 'AlreadyCompliant', stream: active('KMS', KEY), tags: {} },
    { case: "a team's key left alone", stream: active('KMS', 'alias/team'), tags: {} },
    { case: 'a forged tag on an unencrypted stream', stream: active('NONE'), tags: guardTag('forged') },
    {
      case: 'Exempt with the tag',
      stream: active('NONE'),
      tags: { ...guardTag(KEY_ARN), 'kinesis-auto-encrypt:exempt': 'true' },
    },
  ])(
    'makes no tag call and asks for none with writeGuard off, unset, or in audit mode: $case',
    async ({ stream, tags }) => {
      // Prepare
      const runs = [
        world(stream, tags, { writeGuard: 'off' }),
        world(stream, tags),
        world(stream, tags, { writeGuard: 'enforce', mode: 'audit' }),
      ];

      // Act
      await Promise.all(runs.map(({ deps }) => reconcile(request, deps)));

      // Assess
      for (const { streams, reports, confirmations } of runs) {
        expect(streams.tagCalls).toEqual([]);
        expect(reports.reports[0]?.guardTag).toBeUndefined();
        for (const input of confirmations.started.values()) {
          expect(input).not.toHaveProperty('writeGuard');
          expect(input).not.toHaveProperty('keyArn');
        }
      }
    }
  );

  // Records written up to 5 s after a stream turns ACTIVE with KMS may be stored unencrypted ("it can take up to 5
  // seconds after the stream is in an ACTIVE status before all records written to the stream are encrypted",
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html): a key someone else applied
  // may be milliseconds old, so the tag that opens the stream to writes waits the 5 s settle after the stream was read
  // ACTIVE with KMS. The sweep finds streams encrypted long ago and does not wait.
  it.each([
    { case: 'AlreadyCompliant on CreateStream', trigger: 'CreateStream', stream: active('KMS', KEY), waits: [5000] },
    {
      case: "a team's key on StartStreamEncryption",
      trigger: 'StartStreamEncryption',
      stream: active('KMS', 'alias/team'),
      waits: [5000],
    },
    { case: 'AlreadyCompliant found by the sweep', trigger: 'Sweep', stream: active('KMS', KEY), waits: [] },
  ] as const)('waits the 5 s settle before it sets the tag: $case', async ({ trigger, stream, waits }) => {
    // Prepare
    const { deps, streams, sleeps } = world(stream, {}, { writeGuard: 'enforce' });

    // Act
    await reconcile({ ...request, trigger }, deps);

    // Assess
    expect(sleeps).toEqual(waits);
    const tagged = streams.calls.findIndex((call) => call.startsWith('tag '));
    expect(tagged).toBeGreaterThanOrEqual(0);
    expect(streams.calls.slice(0, tagged).filter((call) => call.startsWith('sleep'))).toEqual(
      waits.map((ms) => `sleep ${ms}`)
    );
  });

  it('does not wait when the tag is already there', async () => {
    // Prepare
    const { deps, sleeps } = world(active('KMS', KEY), guardTag(KEY_ARN), { writeGuard: 'enforce' });

    // Act
    await reconcile({ ...request, trigger: 'CreateStream' }, deps);

    // Assess
    expect(sleeps).toEqual([]);
  });

  it('reports a refused tag call in the completion and keeps the outcome', async () => {
    // Prepare: e.g. the SCP of an earlier deployment refuses the role
    const { deps, streams, reports } = world(active('KMS', KEY), {}, { writeGuard: 'enforce' });
    streams.tagFailures.push(
      new AccessDeniedError('kinesis:AddTagsToStream', request.streamArn, { code: 'AccessDeniedException' })
    );

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result.outcome).toBe('AlreadyCompliant');
    expect(reports.reports[0]?.guardTag).toEqual({
      status: 'Failed',
      value: KEY_ARN,
      error: { name: 'AccessDeniedException', message: expect.stringContaining('kinesis:AddTagsToStream') },
    });
  });

  it('brings the trigger back when the tag call stays throttled after the SDK retries', async () => {
    // Prepare
    const { deps, streams, reports } = world(active('KMS', KEY), {}, { writeGuard: 'enforce' });
    streams.tagFailures.push(new ThrottledError('AddTagsToStream'));

    // Act
    const run = reconcile(request, deps);

    // Assess
    await expect(run).rejects.toBeInstanceOf(RetryableError);
    await expect(run).rejects.toThrow(/Guard tag kinesis-auto-encrypt:encrypted: AddTagsToStream failed transiently/);
    expect(reports.reports).toEqual([]);
  });
});
