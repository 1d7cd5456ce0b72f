import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailEnvelope } from './cloudTrailEvent';
import { createIdempotencyTable, DYNAMODB_TARGET_PREFIX, startDynaliteLocal } from './dynaliteLocal';
import type { BusEvent } from './eventBridgeLocal';
import { eventTime, LocalEventBridge } from './eventBridgeLocal';
import { LocalGateway } from './gateway';
import { startKinesisLocal } from './kinesisLocal';
import { createKinesisRecorder, KINESIS_TARGET_PREFIX } from './kinesisRecorder';
import { LocalKms } from './kmsLocal';
import type { FailureRecord } from './lambdaRuntime';
import { LambdaRuntime, REPO_ROOT } from './lambdaRuntime';
import { ruleFromServerless } from './ruleFromServerless';
import { LocalSsm } from './ssmLocal';
import { LocalStepFunctions } from './stepFunctionsLocal';

/** Alias of the organisation's default key in every local account. */
export const DEFAULT_KEY_ALIAS = 'alias/kinesis-auto-encrypt';
/** Alias of a team's own customer key in every local account (streams using it are Skipped). */
export const TEAM_KEY_ALIAS = 'alias/team-analytics';
/** Accounts of `npm start`. */
export const DEFAULT_ACCOUNTS = ['111111111111', '222222222222', '333333333333'] as const;

/** Options of {@link startLocalCloud}. */
export interface LocalCloudOptions {
  /** Accounts given a default and a team key in every region of `regions`. */
  accounts?: readonly string[];
  /** Default `['us-east-1']`. */
  regions?: readonly string[];
  /** CREATING → ACTIVE; default 1500 ms. */
  createDurationMs?: number;
  /** UPDATING → ACTIVE after StartStreamEncryption; default 2000 ms. */
  updateDurationMs?: number;
  /** EventBridge delivers each matching event this many times; default 1. */
  duplicateDeliveries?: number;
  /** CloudTrail delivery delay; default 0. */
  cloudTrailDelayMs?: number;
  /** Milliseconds per state machine backoff wait instead of its schedule (real seconds when omitted). */
  waitOverrideMs?: number;
  /** Milliseconds between state machine retries (the ASL's own when omitted). */
  retryIntervalMs?: number;
  /** Lambda async retry delay; default 3000 ms (Lambda: about a minute). */
  lambdaRetryDelayMs?: number;
  /** Function timeout; default 120000 ms. Powertools keeps a crashed invocation in progress this long. */
  lambdaTimeoutMs?: number;
  /** Concurrent execution environments per account/region (one invocation each); default 2. */
  lambdaMaxInstances?: number;
  /** Extra or overridden function environment variables. */
  environment?: Record<string, string>;
  /** Handler module; default `handlers/encrypt-stream.ts`. */
  handlerPath?: string;
  /** serverless.yml the rule pattern is read from; default the repository's. */
  serverlessPath?: string;
  /** Directory for logs and the failure destination; default `.local-cloud/<timestamp>`. */
  stateDir?: string;
  /** Gateway port; a free port when omitted. */
  port?: number;
  /** Start the Lambda worker of every account/region up front (default true). */
  warm?: boolean;
}

/** Keys configured in one account and region. */
export interface AccountKeys {
  account: string;
  region: string;
  defaultKeyId: string;
  teamKeyId: string;
}

/** A running local cloud. */
export interface LocalCloud {
  /** Gateway URL for every service. */
  endpoint: string;
  /** The gateway itself: interceptors and injected faults (e.g. DynamoDB unavailable). */
  gateway: LocalGateway;
  accounts: AccountKeys[];
  bus: LocalEventBridge;
  kms: LocalKms;
  ssm: LocalSsm;
  lambda: LambdaRuntime;
  stepFunctions: LocalStepFunctions;
  /** Lambda failure destination. */
  failures: FailureRecord[];
  /** Powertools JSON logs of the handler. */
  logFile: string;
  failureFile: string;
  stateDir: string;
  /** Function environment shared by every account (STATE_MACHINE_ARN is per account). */
  environment: Record<string, string>;
  /** Adds an account/region with a default and a team key (idempotent). */
  addAccount(account: string, region: string): Promise<AccountKeys>;
  /**
   * Withholds the next CloudTrail event that `match` accepts (it is not put on the bus);
   * resolves with it. Publish it later with `bus.publish` to simulate a late delivery.
   */
  holdCloudTrail(match: (event: CloudTrailEnvelope) => boolean): Promise<CloudTrailEnvelope>;
  /** Resolves once CloudTrail, EventBridge, Lambda and Step Functions have nothing in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Completion events (source `kinesis-auto-encrypt`) are recognised by this source. */
export const isCompletionEvent = (event: BusEvent): boolean => event.source === 'kinesis-auto-encrypt';

/**
 * Starts the whole local cloud: gateway, kinesis-local with its CloudTrail recorder, dynalite,
 * KMS, SSM, EventBridge with the project rule from serverless.yml, the Lambda runtime and
 * Step Functions. `stop()` stops every child process.
 */
export const startLocalCloud = async (options: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const stateDir = options.stateDir ?? join(REPO_ROOT, '.local-cloud', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, 'lambda.log');
  const failureFile = join(stateDir, 'failures.jsonl');
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // keep stopping the rest
      }
    }
  };

  try {
    const rule = ruleFromServerless(options.serverlessPath);
    const accounts: AccountKeys[] = [];
    const [kinesis, dynalite] = await Promise.all([
      startKinesisLocal({
        createDurationMs: options.createDurationMs ?? 1500,
        updateDurationMs: options.updateDurationMs ?? 2000,
        logFile: join(stateDir, 'kinesis-local.log'),
      }),
      startDynaliteLocal(),
    ]);
    stops.push(
      () => kinesis.stop(),
      () => dynalite.stop()
    );

    const gateway = new LocalGateway({ port: options.port });
    const endpoint = await gateway.start();
    stops.push(() => gateway.stop());

    const bus = new LocalEventBridge({
      duplicateDeliveries: options.duplicateDeliveries ?? 1,
      onTargetError: (error) => console.error('EventBridge target failed:', error),
    });
    const holds: { match: (event: CloudTrailEnvelope) => boolean; resolve: (event: CloudTrailEnvelope) => void }[] = [];
    const recorder = createKinesisRecorder({
      upstream: kinesis.endpoint,
      deliveryDelayMs: options.cloudTrailDelayMs ?? 0,
      onEvent: (envelope) => {
        const hold = holds.find(({ match }) => match(envelope));
        if (hold !== undefined) {
          holds.splice(holds.indexOf(hold), 1);
          hold.resolve(envelope);
          return;
        }
        bus.publish(envelope);
      },
    });
    stops.push(() => recorder.stop());

    const kms = new LocalKms();
    const ssm = new LocalSsm();
    const stepFunctions = new LocalStepFunctions({
      endpoint,
      ...(options.waitOverrideMs !== undefined && { waitTimeOverrides: { Backoff: options.waitOverrideMs } }),
      ...(options.retryIntervalMs !== undefined && {
        retryIntervalOverrides: { DescribeStream: options.retryIntervalMs, PublishCompletion: options.retryIntervalMs },
      }),
    });
    stops.push(() => stepFunctions.stop());

    gateway.register(KINESIS_TARGET_PREFIX, recorder.service);
    gateway.register(DYNAMODB_TARGET_PREFIX, dynalite.service);
    gateway.register('TrentService', kms.service);
    gateway.register('AmazonSSM', ssm.service);
    gateway.register('AWSEvents', bus.service);
    gateway.register('AWSStepFunctions', stepFunctions.service);

    const tableName = 'kinesis-auto-encrypt-local-idempotency';
    await createIdempotencyTable(endpoint, tableName);
    const environment: Record<string, string> = {
      DEFAULT_KMS_KEY_ID: DEFAULT_KEY_ALIAS,
      KMS_KEY_SSM_PARAMETER: '/kinesis-auto-encrypt/local/default-kms-key-id',
      IDEMPOTENCY_TABLE_NAME: tableName,
      EVENT_BUS_NAME: 'default',
      OVERRIDE_FOREIGN_KEYS: 'false',
      CREATING_WAIT_SECONDS: '90',
      POWERTOOLS_SERVICE_NAME: 'kinesis-auto-encrypt',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...options.environment,
    };
    const lambda = new LambdaRuntime({
      endpoint,
      handlerPath: options.handlerPath,
      environment,
      environmentFor: (account, region) => ({ STATE_MACHINE_ARN: stepFunctions.stateMachineArn(account, region) }),
      logFile,
      failureFile,
      timeoutMs: options.lambdaTimeoutMs ?? 120_000,
      retryDelayMs: options.lambdaRetryDelayMs ?? 3000,
      ...(options.lambdaMaxInstances !== undefined && { maxInstances: options.lambdaMaxInstances }),
    });
    stops.push(() => lambda.stop());

    bus.addRule({
      name: `kinesis-auto-encrypt-local-${rule.functionName}`,
      pattern: rule.pattern,
      eventBusName: rule.eventBus,
      // Any account/region a client uses gets its keys on first use.
      target: async (event, meta) => {
        await addAccount(meta.account, meta.region);
        return lambda.invokeAsync(meta.account, meta.region, event);
      },
    });
    const addAccount = async (account: string, region: string): Promise<AccountKeys> => {
      const known = accounts.find((keys) => keys.account === account && keys.region === region);
      if (known !== undefined) return known;
      const defaultKeyId = kms.addKey({
        account,
        region,
        aliases: [DEFAULT_KEY_ALIAS],
        description: 'Organisation default key for Kinesis streams',
      });
      const teamKeyId = kms.addKey({ account, region, aliases: [TEAM_KEY_ALIAS], description: "A team's own key" });
      const keys: AccountKeys = { account, region, defaultKeyId, teamKeyId };
      accounts.push(keys);
      return keys;
    };
    for (const account of options.accounts ?? DEFAULT_ACCOUNTS) {
      for (const region of options.regions ?? ['us-east-1']) await addAccount(account, region);
    }
    if (options.warm ?? true) {
      await Promise.all(accounts.map(({ account, region }) => lambda.warm(account, region)));
    }

    const idle = async (): Promise<void> => {
      for (let round = 0; round < 3; round++) {
        await recorder.idle();
        await bus.idle();
        await lambda.idle();
        await stepFunctions.idle();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    return {
      endpoint,
      gateway,
      accounts,
      bus,
      kms,
      ssm,
      lambda,
      stepFunctions,
      failures: lambda.failures,
      logFile,
      failureFile,
      stateDir,
      environment,
      addAccount,
      holdCloudTrail: (match) => new Promise((resolve) => holds.push({ match, resolve })),
      idle,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

export { eventTime };
