import type { InvocationRecord, LocalKeyConfig } from '../../../tools/dev';
import {
  applyInputTransformer,
  awsJsonError,
  type InputTransformer,
  injectFault,
  KMS_TARGET_PREFIX,
  type LocalRequest,
  ruleFromServerless,
  waitForActive,
} from '../../../tools/dev';
import { type Harness, startHarness } from '../local/harness';
import { countFaultFigures, eventIdOf, printFaultFigures, recordFaultFigures } from './faultFigures';

const REGION = 'us-east-1';
const DYNAMODB = 'DynamoDB_20120810';
const START_EXECUTION = 'AWSStepFunctions.StartExecution';
const DESCRIBE_STREAM_SUMMARY = 'Kinesis_20131202.DescribeStreamSummary';

const RULE_INPUT = ruleFromServerless().inputTransformer as InputTransformer;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns a value (not `undefined`). */
const until = async <T>(what: string, read: () => T | undefined, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
};

/** Starts a harness that also keeps every Lambda attempt and every gateway request. */
const startFaultHarness = async (
  options: Parameters<typeof startHarness>[0]
): Promise<{ harness: Harness; invocations: InvocationRecord[]; requests: LocalRequest[] }> => {
  const harness = await startHarness(options);
  const invocations: InvocationRecord[] = [];
  const requests: LocalRequest[] = [];
  harness.cloud.lambda.on('invocation', (record: InvocationRecord) => invocations.push(record));
  harness.cloud.gateway.intercept(async (req, next) => {
    requests.push(req);
    return next();
  });
  return { harness, invocations, requests };
};

/** State machine executions started for a CreateStream event. */
const executionsOf = (harness: Harness, eventId: string | null | undefined) =>
  [...harness.cloud.stepFunctions.executions.values()].filter(
    ({ input }) => (JSON.parse(input) as { eventId?: string }).eventId === eventId
  );

/** Interceptors and faults a test added; removed after each test. */
const removeFaults: (() => void)[] = [];

afterEach(() => {
  for (const remove of removeFaults.splice(0)) remove();
});

afterAll(() => {
  printFaultFigures();
});

describe('fault: 1,000 concurrent deliveries of one event', () => {
  const ACCOUNT = '510000000001';
  let harness: Harness;
  let invocations: InvocationRecord[];

  beforeAll(async () => {
    // Duplicates that find the first delivery in progress are retried 4 s later (bounded: 2 retries).
    ({ harness, invocations } = await startFaultHarness({ accounts: [ACCOUNT], lambdaRetryDelayMs: 4_000 }));
    // Both instances warm: duplicates run while the first delivery is still in progress.
    await harness.cloud.lambda.warm(ACCOUNT, REGION, 2);
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('applies once, publishes one completion event and ends every delivery', async () => {
    // Prepare
    const deliveries = 1_000;
    harness.cloud.bus.duplicateDeliveries = deliveries;

    // Act
    await harness.createStream(ACCOUNT, REGION, 'thousand');
    const completion = await harness.completionFor(ACCOUNT, REGION, 'thousand', 60_000);
    await harness.cloud.idle();

    // Assess
    const figures = recordFaultFigures(
      countFaultFigures(harness, invocations, {
        scenario: '1,000 concurrent deliveries of one event',
        names: ['thousand'],
        injected: 0,
      })
    );
    // The CreateStream's deliveries (the pipeline's own StartStreamEncryption is delivered 1,000 times too, Ignored).
    const created = invocations.filter(({ event }) => eventIdOf(event) === completion.detail.eventId);
    const requestIds = new Set(created.map(({ result }) => result.requestId));
    const succeeded = new Set(created.filter(({ result }) => result.ok).map(({ result }) => result.requestId));
    const retriedErrors = new Set(
      created.filter(({ result }) => !result.ok).map(({ result }) => !result.ok && result.error.errorType)
    );
    expect(completion.detail.outcome).toBe('Encrypted');
    expect(figures).toMatchObject({
      deliveries,
      applies: 1,
      completions: 1,
      failureDestination: 0,
      lost: 0,
      held: deliveries - 1,
    });
    expect(requestIds.size).toBe(deliveries);
    expect(succeeded.size).toBe(deliveries);
    expect([...retriedErrors].filter((type) => type !== 'IdempotencyAlreadyInProgressError')).toEqual([]);
    expect(executionsOf(harness, completion.detail.eventId)).toHaveLength(1);
    expect(harness.cloud.failures).toEqual([]);
  }, 90_000);
});

describe('fault: idempotency store (DynamoDB) unavailable', () => {
  const ACCOUNT = '520000000002';
  let harness: Harness;
  let invocations: InvocationRecord[];
  let requests: LocalRequest[];

  beforeAll(async () => {
    ({ harness, invocations, requests } = await startFaultHarness({ accounts: [ACCOUNT], lambdaRetryDelayMs: 500 }));
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('fails before touching the stream, keeps the event on the failure destination and redrives it exactly once', async () => {
    // Prepare
    const outage = injectFault(harness.cloud.gateway, {
      target: DYNAMODB,
      errorType: 'ServiceUnavailable',
      status: 503,
    });
    removeFaults.push(outage.clear);

    // Act
    await harness.createStream(ACCOUNT, REGION, 'outage');
    const failure = await until('the failure destination', () =>
      harness.cloud.failures.find(({ requestPayload }) => eventIdOf(requestPayload) !== undefined)
    );
    await harness.cloud.idle();
    const duringOutage = requests.filter(({ account, target }) => account === ACCOUNT && !target.startsWith(DYNAMODB));
    const summaryDuringOutage = await harness.streamSummary(ACCOUNT, REGION, 'outage');
    outage.clear();
    const firstRedrive = await harness.cloud.lambda.redrive(failure);
    const completion = await harness.completionFor(ACCOUNT, REGION, 'outage');
    await harness.cloud.idle();
    const secondRedrive = await harness.cloud.lambda.redrive(failure);
    await harness.cloud.idle();

    // Assess
    const [created] = harness.cloudTrailFor('outage', 'CreateStream');
    const figures = recordFaultFigures(
      countFaultFigures(harness, invocations, {
        scenario: 'DynamoDB unavailable, then redrive twice',
        names: ['outage'],
        injected: outage.injected,
        redriven: 2,
      })
    );
    // The failure destination keeps what the function received: the event through the rule's input transformer.
    expect(failure.requestPayload).toEqual(applyInputTransformer(RULE_INPUT, created));
    expect(JSON.stringify(failure.requestPayload)).not.toMatch(/sourceIPAddress|accessKeyId|principalId/);
    expect(failure.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(duringOutage.map(({ target }) => target)).toEqual(['Kinesis_20131202.CreateStream']);
    expect(summaryDuringOutage).toMatchObject({ EncryptionType: 'NONE' });
    expect(outage.injected).toBeGreaterThanOrEqual(3);
    expect(firstRedrive.ok).toBe(true);
    expect(secondRedrive.ok).toBe(true);
    expect(completion.detail).toMatchObject({ outcome: 'Encrypted', eventId: created?.detail.eventID });
    expect(figures).toMatchObject({
      deliveries: 3,
      retries: 2,
      applies: 1,
      completions: 1,
      failureDestination: 1,
      held: 1,
      lost: 0,
    });
  }, 90_000);
});

describe('fault: worker crash after StartStreamEncryption, before the state machine started', () => {
  const ACCOUNT = '530000000003';
  let harness: Harness;
  let invocations: InvocationRecord[];

  beforeAll(async () => {
    // Powertools keeps a crashed invocation in progress for the function timeout (6 s); the
    // second retry (≥ 8 s later) always finds it expired, like Lambda's 1 + 2 minute retries do.
    // One instance: the kill ends the crashing invocation only, not the pipeline's own (Ignored) apply event.
    ({ harness, invocations } = await startFaultHarness({
      accounts: [ACCOUNT],
      lambdaTimeoutMs: 6_000,
      lambdaRetryDelayMs: 4_000,
      lambdaMaxInstances: 1,
    }));
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('confirms on the Lambda retry without applying again', async () => {
    // Prepare
    const client = harness.client(ACCOUNT, REGION);
    const held = harness.cloud.holdCloudTrail(
      (event) => event.detail.eventName === 'CreateStream' && event.detail.requestParameters?.streamName === 'crash'
    );
    await harness.createStream(ACCOUNT, REGION, 'crash');
    const createEvent = await held;
    // With a 6 s timeout the handler waits for no CREATING stream: deliver the event once ACTIVE.
    await waitForActive(client, 'crash');
    let crashed = false;
    let killed = 0;
    // The first StartExecution kills the worker that sent it; the call never reaches Step Functions.
    removeFaults.push(
      harness.cloud.gateway.intercept(async (req, next) => {
        if (req.target !== START_EXECUTION || req.account !== ACCOUNT || crashed) return next();
        crashed = true;
        killed = await harness.cloud.lambda.kill(ACCOUNT, REGION);
        return awsJsonError('InternalFailure', 'worker crashed', 500);
      })
    );

    // Act
    harness.cloud.bus.publish(createEvent);
    const completion = await harness.completionFor(ACCOUNT, REGION, 'crash', 60_000);
    await harness.cloud.idle();

    // Assess
    const figures = recordFaultFigures(
      countFaultFigures(harness, invocations, {
        scenario: 'Worker killed after apply, before StartExecution',
        names: ['crash'],
        injected: killed,
      })
    );
    const attempts = invocations.filter(({ event }) => eventIdOf(event) === createEvent.detail.eventID);
    expect(killed).toBe(1);
    expect(attempts[0]?.result).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    expect(attempts.at(-1)?.result.ok).toBe(true);
    expect(completion.detail).toMatchObject({ outcome: 'Encrypted', eventId: createEvent.detail.eventID });
    expect(figures).toMatchObject({ deliveries: 1, applies: 1, completions: 1, failureDestination: 0, lost: 0 });
    expect(figures.retries).toBeGreaterThanOrEqual(1);
    expect(executionsOf(harness, createEvent.detail.eventID)).toHaveLength(1);
    expect(await harness.streamSummary(ACCOUNT, REGION, 'crash')).toMatchObject({
      EncryptionType: 'KMS',
      KeyId: completion.detail.keyId,
    });
  }, 90_000);
});

describe('fault: KMS keys and throttled dependencies', () => {
  const ACCOUNT = '540000000004';
  const PARAMETER = '/kinesis-auto-encrypt/local/default-kms-key-id';
  let harness: Harness;
  let invocations: InvocationRecord[];

  beforeAll(async () => {
    ({ harness, invocations } = await startFaultHarness({
      accounts: [ACCOUNT],
      lambdaRetryDelayMs: 1_000,
      // Each case changes the SSM parameter or the key: no cached parameter or key verdict.
      environment: { POWERTOOLS_LOG_LEVEL: 'WARN', KEY_CHECK_TTL_SECONDS: '0', SSM_MAX_AGE_SECONDS: '0' },
    }));
    const keys: (LocalKeyConfig & { aliases: string[] })[] = [
      { aliases: ['alias/disabled'], keyState: 'Disabled' },
      { aliases: ['alias/asymmetric'], keyUsage: 'SIGN_VERIFY', keySpec: 'RSA_2048' },
      { aliases: ['alias/pending-deletion'], keyState: 'PendingDeletion' },
    ];
    for (const key of keys) harness.cloud.kms.addKey({ ...key, account: ACCOUNT, region: REGION });
  }, 60_000);

  afterEach(() => {
    harness.cloud.ssm.deleteParameter(PARAMETER);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it.each([
    { name: 'key-disabled', alias: 'alias/disabled', reason: /state is Disabled/ },
    { name: 'key-asymmetric', alias: 'alias/asymmetric', reason: /usage is SIGN_VERIFY.*spec is RSA_2048/ },
    { name: 'key-pending-deletion', alias: 'alias/pending-deletion', reason: /state is PendingDeletion/ },
    { name: 'key-missing', alias: 'alias/does-not-exist', reason: /does not exist \(KMS NotFoundException\)/ },
  ])('$name: Failed with the reason, nothing applied, stream left unencrypted', async ({ name, alias, reason }) => {
    // Prepare
    harness.cloud.ssm.setParameter(PARAMETER, alias);

    // Act
    await harness.createStream(ACCOUNT, REGION, name);
    const completion = await harness.completionFor(ACCOUNT, REGION, name);
    await harness.cloud.idle();

    // Assess
    const figures = recordFaultFigures(
      countFaultFigures(harness, invocations, { scenario: `Default key ${alias.slice(6)}`, names: [name], injected: 0 })
    );
    // A key problem never makes an unencrypted stream anything but NonCompliant (issue 20, item 6).
    expect(completion.detail).toMatchObject({ outcome: 'Failed', compliance: 'NonCompliant', keyId: alias });
    expect(completion.detail.reason).toMatch(reason);
    expect(figures).toMatchObject({
      deliveries: 1,
      retries: 0,
      applies: 0,
      completions: 1,
      failureDestination: 0,
      lost: 0,
    });
    expect(await harness.streamSummary(ACCOUNT, REGION, name)).toMatchObject({ EncryptionType: 'NONE' });
  });

  it.each([
    { name: 'kms-internal-3', errorType: 'KMSInternalException', count: 3, lambdaRetries: 0 },
    { name: 'kms-throttled-3', errorType: 'ThrottlingException', count: 3, lambdaRetries: 0 },
    { name: 'kms-internal-6', errorType: 'KMSInternalException', count: 6, lambdaRetries: 1 },
  ])(
    '$name: KMS DescribeKey fails $count times ($errorType) → still Encrypted',
    async ({ name, errorType, count, lambdaRetries }) => {
      // Prepare
      const fault = injectFault(harness.cloud.gateway, {
        target: KMS_TARGET_PREFIX,
        account: ACCOUNT,
        count,
        errorType,
      });
      removeFaults.push(fault.clear);

      // Act
      await harness.createStream(ACCOUNT, REGION, name);
      const completion = await harness.completionFor(ACCOUNT, REGION, name);
      await harness.cloud.idle();

      // Assess
      const { injected } = fault;
      const figures = recordFaultFigures(
        countFaultFigures(harness, invocations, {
          scenario: `KMS DescribeKey ${errorType} ×${count}`,
          names: [name],
          injected,
        })
      );
      expect(injected).toBe(count);
      expect(completion.detail.outcome).toBe('Encrypted');
      expect(figures).toMatchObject({
        deliveries: 1,
        retries: lambdaRetries,
        applies: 1,
        completions: 1,
        failureDestination: 0,
        lost: 0,
      });
    }
  );

  it.each([
    { name: 'sfn-throttled-3', count: 3, lambdaRetries: 0 },
    { name: 'sfn-throttled-6', count: 6, lambdaRetries: 1 },
  ])(
    '$name: StartExecution throttled $count times → still Encrypted, applied once',
    async ({ name, count, lambdaRetries }) => {
      // Prepare
      const throttle = injectFault(harness.cloud.gateway, {
        target: START_EXECUTION,
        account: ACCOUNT,
        count,
        errorType: 'ThrottlingException',
      });
      removeFaults.push(throttle.clear);

      // Act
      await harness.createStream(ACCOUNT, REGION, name);
      const completion = await harness.completionFor(ACCOUNT, REGION, name);
      await harness.cloud.idle();

      // Assess
      const figures = recordFaultFigures(
        countFaultFigures(harness, invocations, {
          scenario: `StartExecution ThrottlingException ×${count}`,
          names: [name],
          injected: throttle.injected,
        })
      );
      expect(throttle.injected).toBe(count);
      expect(completion.detail.outcome).toBe('Encrypted');
      expect(figures).toMatchObject({
        deliveries: 1,
        retries: lambdaRetries,
        applies: 1,
        completions: 1,
        failureDestination: 0,
        lost: 0,
      });
      expect(executionsOf(harness, completion.detail.eventId)).toHaveLength(1);
    }
  );

  it('stream stuck in UPDATING after the apply: Failed (not confirmed) once the backoff schedule is spent', async () => {
    // Prepare
    let stuck = 0;
    let applied = false;
    removeFaults.push(
      harness.cloud.gateway.intercept(async (req, next) => {
        const response = await next();
        const arn = (req.json as { StreamARN?: string } | undefined)?.StreamARN ?? '';
        if (req.target === 'Kinesis_20131202.StartStreamEncryption' && arn.endsWith('/stuck')) applied = true;
        if (req.target !== DESCRIBE_STREAM_SUMMARY || !applied || !arn.endsWith('/stuck') || response.status !== 200)
          return response;
        const body = JSON.parse(String(response.body)) as { StreamDescriptionSummary: Record<string, unknown> };
        body.StreamDescriptionSummary.StreamStatus = 'UPDATING';
        stuck++;
        return { ...response, body };
      })
    );

    // Act
    await harness.createStream(ACCOUNT, REGION, 'stuck');
    const completion = await harness.completionFor(ACCOUNT, REGION, 'stuck', 60_000);
    await harness.cloud.idle();

    // Assess
    const figures = recordFaultFigures(
      countFaultFigures(harness, invocations, {
        scenario: 'Stream never leaves UPDATING',
        names: ['stuck'],
        injected: stuck,
      })
    );
    expect(completion.detail.outcome).toBe('Failed');
    expect(completion.detail.reason).toMatch(/not confirmed after \d+ backoff waits/);
    expect(completion.detail.streamStatus).toBe('UPDATING');
    expect(stuck).toBeGreaterThan(1);
    expect(figures).toMatchObject({ deliveries: 1, applies: 1, completions: 1, failureDestination: 0, lost: 0 });
  });
});
