import type { InvocationRecord } from '../../../tools/dev';
import { injectFault } from '../../../tools/dev';
import { type Harness, startHarness } from '../local/harness';

const REGION = 'us-east-1';
const ACCOUNT = '530000000003';
const START_STREAM_ENCRYPTION = 'Kinesis_20131202.StartStreamEncryption';

const eventIdOf = (event: unknown): string | undefined =>
  (event as { detail?: { eventID?: string } } | undefined)?.detail?.eventID;

/**
 * A permanent failure ends with its Failed event after one invocation (Lambda does not retry a returned
 * result); a transient one throws, Lambda retries it twice and keeps it on the failure destination
 * (Lambda asynchronous invocation: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 * Kinesis error names of StartStreamEncryption:
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html#API_StartStreamEncryption_Errors
 */
describe('retry paths: permanent failures end once, transient ones come back', () => {
  let harness: Harness;
  const invocations: InvocationRecord[] = [];
  let removeFault: (() => void) | undefined;

  beforeAll(async () => {
    harness = await startHarness({ accounts: [ACCOUNT], lambdaRetryDelayMs: 300 });
    harness.cloud.lambda.on('invocation', (record: InvocationRecord) => invocations.push(record));
  }, 60_000);

  afterEach(() => {
    removeFault?.();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const attemptsOf = (eventId: string | undefined) => invocations.filter(({ event }) => eventIdOf(event) === eventId);

  it.each([
    ['KMSDisabledException', 400],
    ['AccessDeniedException', 400],
    ['InvalidArgumentException', 400],
  ])(
    '%s: invoked once, one Failed event, nothing on the failure destination',
    async (errorType, status) => {
      // Prepare
      const name = `permanent-${errorType}`;
      removeFault = injectFault(harness.cloud.gateway, {
        target: START_STREAM_ENCRYPTION,
        account: ACCOUNT,
        errorType,
        status,
      }).clear;

      // Act
      await harness.createStream(ACCOUNT, REGION, name);
      const completion = await harness.completionFor(ACCOUNT, REGION, name);
      await harness.cloud.idle();

      // Assess
      expect(completion.detail).toMatchObject({ outcome: 'Failed', error: { name: errorType } });
      expect(harness.completionsFor(name)).toHaveLength(1);
      expect(attemptsOf(completion.detail.eventId ?? undefined)).toHaveLength(1);
      expect(
        harness.cloud.failures.filter(({ requestPayload }) => eventIdOf(requestPayload) === completion.detail.eventId)
      ).toEqual([]);
    },
    60_000
  );

  it('a transient failure that never clears: retried twice, then kept on the failure destination, no event', async () => {
    // Prepare
    const name = 'transient-internal';
    removeFault = injectFault(harness.cloud.gateway, {
      target: START_STREAM_ENCRYPTION,
      account: ACCOUNT,
      errorType: 'InternalFailure',
      status: 500,
    }).clear;

    // Act
    await harness.createStream(ACCOUNT, REGION, name);
    const deadline = Date.now() + 60_000;
    while (harness.cloudTrailFor(name, 'CreateStream').length === 0)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const eventId = eventIdOf(harness.cloudTrailFor(name, 'CreateStream')[0]);
    while (!harness.cloud.failures.some(({ requestPayload }) => eventIdOf(requestPayload) === eventId)) {
      if (Date.now() > deadline) throw new Error('the event never reached the failure destination');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await harness.cloud.idle();

    // Assess
    const failure = harness.cloud.failures.find(({ requestPayload }) => eventIdOf(requestPayload) === eventId);
    expect(failure?.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(attemptsOf(eventId)).toHaveLength(3);
    expect(harness.completionsFor(name)).toEqual([]);
  }, 90_000);
});
