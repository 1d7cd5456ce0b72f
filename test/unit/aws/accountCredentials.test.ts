import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AccountCredentials } from '../../../src/aws/accountCredentials';
import { RetryableError } from '../../../src/domain/errors';
import { AccountUnreachableError, ThrottledError } from '../../../src/domain/failures';

// STS AssumeRole (API reference https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html):
// RoleSessionName 2-64 characters of [\w+=,.@-]; credentials expire after DurationSeconds (default 3600).
const HOUR_MS = 3_600_000;
const START = new Date('2026-12-01T10:00:00Z');
const sts = mockClient(STSClient);

const issued = (expiresInMs = HOUR_MS, key = 'ASIAMEMBER') => ({
  Credentials: {
    AccessKeyId: key,
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date(Date.now() + expiresInMs),
  },
});
const stsError = (name: string) =>
  new STSServiceException({ name, $fault: 'client', message: `${name} from test`, $metadata: {} });
/** Waits of the AccessDenied retries, recorded instead of slept. */
let slept: number[] = [];
const credentialsOf = () =>
  new AccountCredentials(new STSClient({ region: 'us-east-1' }), {
    partition: 'aws',
    roleName: 'member-role',
    sleep: async (ms) => {
      slept.push(ms);
    },
  });

describe('AccountCredentials', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });

  afterEach(() => {
    jest.useRealTimers();
    sts.reset();
    slept = [];
  });

  it('retries an AccessDenied with backoff: the role of an account being onboarded becomes assumable', async () => {
    // Prepare: StackSets creates the member role in an operation that may still run when the account's first trigger
    // arrives, and a new role is assumable only once IAM has propagated it (eventual consistency:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(stsError('AccessDenied'))
      .rejectsOnce(stsError('AccessDenied'))
      .resolves(issued());
    const credentials = credentialsOf();

    // Act
    const result = await credentials.credentialsFor('222222222222', 'e1');

    // Assess
    expect(result.accessKeyId).toBe('ASIAMEMBER');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 3);
    expect(slept).toEqual([1_000, 2_000]);
  });

  it('gives up after a bounded number of AccessDenied retries (7 s of waits), then the account is unreachable', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(stsError('AccessDenied'));
    const credentials = credentialsOf();

    // Act
    const result = credentials.credentialsFor('222222222222', 'e1');

    // Assess
    await expect(result).rejects.toBeInstanceOf(AccountUnreachableError);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 4);
    expect(slept).toEqual([1_000, 2_000, 4_000]);
  });

  it('does not wait on a permanent refusal other than AccessDenied (RegionDisabledException)', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(stsError('RegionDisabledException'));
    const credentials = credentialsOf();

    // Act
    const result = credentials.credentialsFor('222222222222', 'e1');

    // Assess
    await expect(result).rejects.toBeInstanceOf(AccountUnreachableError);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(slept).toEqual([]);
  });

  it('assumes the member role once for many concurrent callers of one account', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => issued());
    const credentials = credentialsOf();

    // Act
    const all = await Promise.all(
      Array.from({ length: 25 }, (_, i) => credentials.credentialsFor('222222222222', `event-${i}`))
    );

    // Assess
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::222222222222:role/member-role',
    });
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['ASIAMEMBER']));
  });

  it('assumes once per account: two accounts, two sessions', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => issued());
    const credentials = credentialsOf();

    // Act
    await Promise.all(['222222222222', '333333333333', '222222222222'].map((a) => credentials.credentialsFor(a, 'e')));

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      'arn:aws:iam::222222222222:role/member-role',
      'arn:aws:iam::333333333333:role/member-role',
    ]);
  });

  it.each([
    [HOUR_MS - 5 * 60_000 - 1_000, 1],
    [HOUR_MS - 5 * 60_000, 2],
    [HOUR_MS + 60_000, 2],
  ])(
    'after %i ms of a 1-hour session it has assumed the role %i time(s) (renewal 5 min before expiry)',
    async (elapsedMs, calls) => {
      // Prepare
      sts
        .on(AssumeRoleCommand)
        .callsFakeOnce(async () => issued(HOUR_MS, 'ASIAFIRST'))
        .callsFake(async () => issued(HOUR_MS, 'ASIASECOND'));
      const credentials = credentialsOf();
      await credentials.credentialsFor('222222222222', 'first');

      // Act
      jest.setSystemTime(START.getTime() + elapsedMs);
      const later = await credentials.credentialsFor('222222222222', 'later');

      // Assess
      expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, calls);
      expect(later.accessKeyId).toBe(calls === 1 ? 'ASIAFIRST' : 'ASIASECOND');
    }
  );

  it.each([
    ['b2e9d0c4-7a15-4f3e-9c2d-5e8f1a6b3c70', 'kinesis-auto-encrypt@b2e9d0c4-7a15-4f3e-9c2d-5e8f1a6b3c70'],
    ['x'.repeat(128), `kinesis-auto-encrypt@${'x'.repeat(43)}`],
    ['a b/c', 'kinesis-auto-encrypt@a-b-c'],
  ])('names the session after the pipeline and event %s', async (eventId, sessionName) => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves(issued());

    // Act
    await credentialsOf().credentialsFor('222222222222', eventId);

    // Assess
    const name = sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleSessionName;
    expect(name).toBe(sessionName);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });

  it('shares a failure with the callers in flight, then tries again for the next event', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejectsOnce(stsError('RegionDisabledException')).resolves(issued());
    const credentials = credentialsOf();

    // Act
    const first = await Promise.allSettled([1, 2, 3].map(() => credentials.credentialsFor('222222222222', 'e1')));
    const next = await credentials.credentialsFor('222222222222', 'e2');

    // Assess
    expect(first.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(next.accessKeyId).toBe('ASIAMEMBER');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
  });

  // AssumeRole errors: AccessDenied (role missing or trust policy refuses the caller), RegionDisabledException ("STS is
  // not activated in the requested region for the account", https://docs.aws.amazon.com/botocore/latest/reference/services/sts/client/exceptions/RegionDisabledException.html),
  // Throttling (Query protocol code; @smithy/core THROTTLING_ERROR_CODES).
  it.each([
    [
      'AccessDenied',
      AccountUnreachableError,
      false,
      /account 222222222222: sts:AssumeRole of arn:aws:iam::222222222222:role\/member-role was denied/,
    ],
    ['RegionDisabledException', AccountUnreachableError, false, /STS is not activated in the hub's region/],
    [
      'Throttling',
      ThrottledError,
      true,
      /sts:AssumeRole of arn:aws:iam::222222222222:role\/member-role failed transiently/,
    ],
    ['InternalFailure', RetryableError, true, /failed transiently/],
  ] as const)('translates STS %s into %p (retryable %s)', async (code, type, retryable, message) => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(stsError(code));

    // Act
    const failure = await credentialsOf()
      .credentialsFor('222222222222', 'e')
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(type);
    expect(failure).toMatchObject({ retryable, code, message: expect.stringMatching(message) });
    expect((failure as Error).cause).toBeInstanceOf(STSServiceException);
  });

  it('refuses an answer without credentials (retryable)', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({});

    // Act
    const failure = credentialsOf().credentialsFor('222222222222', 'e');

    // Assess
    await expect(failure).rejects.toThrow(RetryableError);
  });
});
