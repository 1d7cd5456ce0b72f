import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BusEvent,
  BusRule,
  CloudTrailEnvelope,
  FailureRecord,
  LocalStepFunctions,
} from '@kinesis-auto-encrypt/local-cloud';
import {
  applyInputTransformer,
  CLOUDTRAIL_TARGET_PREFIX,
  CLOUDWATCH_TARGET_PREFIX,
  CloudTrailHolds,
  type CloudTrailMatch,
  cachedStreamSummaries,
  createIdempotencyTable,
  createKinesisRecorder,
  DYNAMODB_TARGET_PREFIX,
  KINESIS_TARGET_PREFIX,
  KinesisTagIndex,
  KMS_TARGET_PREFIX,
  kinesisWriteMetrics,
  LambdaRuntime,
  LocalCloudTrail,
  LocalCloudWatch,
  LocalEventBridge,
  LocalGateway,
  LocalKms,
  LocalSsm,
  LocalSts,
  localAccount,
  localTagging,
  ShutdownSteps,
  SSM_TARGET_PREFIX,
  startDynaliteLocal,
  startKinesisLocal,
  TAGGING_TARGET_PREFIX,
} from '@kinesis-auto-encrypt/local-cloud';
import { type AccountKeys, DEFAULT_ACCOUNTS, LocalAccounts } from './accountKeys';
import { confirmEncryptionStepFunctions } from './confirmEncryptionTasks';
import { functionEnvironment, IDEMPOTENCY_TABLE } from './functionEnvironment';
import type { LocalCloudOptions } from './localCloudOptions';
import { ownRoleArns, sessionAccessKeyId } from './localRoles';
import { metricTotals } from './metricTotals';
import { deployOrganisation, HUB_BUS_NAME, type Organisation, organisationOf, orgEnvironment } from './orgCloud';
import { REPO_ROOT } from './repoRoot';
import { ruleFromServerless } from './ruleFromServerless';
import { writeGuardAuthorizers } from './writeGuardScp';

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
  /** Local STS (AssumeRole of the member roles in org mode). */
  sts: LocalSts;
  /** The organisation in org mode. */
  org?: Organisation;
  /** Lambda failure destination. */
  failures: FailureRecord[];
  /** Powertools JSON logs of the handler. */
  logFile: string;
  /** Logs (EMF) of recordMetrics, the function every completion event goes to (deploy/monitoring.yml). */
  metricsLogFile: string;
  /** Totals of the EMF metrics both functions wrote so far (tools/dev/metricTotals.ts). */
  metricTotals(): Record<string, number>;
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
  holdCloudTrail(match: CloudTrailMatch): Promise<CloudTrailEnvelope>;
  /** Resolves once CloudTrail, EventBridge, Lambda and Step Functions have nothing in flight. */
  idle(): Promise<void>;
  /** Connects the pipeline's rule (started with `pipeline: false`); no-op when connected. */
  connectPipeline(): void;
  stop(): Promise<void>;
}

/** Every function runs from the repository root with a session of the pipeline's function role. */
export const functionProcess = {
  cwd: REPO_ROOT,
  accessKeyIdFor: (account: string): string => sessionAccessKeyId(account, 'function'),
} as const;

/** Completion events (source `kinesis-auto-encrypt`) are recognised by this source. */
export const isCompletionEvent = (event: BusEvent): boolean => event.source === 'kinesis-auto-encrypt';

/** Starts kinesis-local (behind the CloudTrail recorder), dynalite, KMS, SSM, EventBridge and Step Functions. */
const startEmulators = async (
  options: LocalCloudOptions,
  stateDir: string,
  steps: ShutdownSteps,
  holds: CloudTrailHolds
) => {
  const [kinesis, dynalite] = await Promise.all([
    startKinesisLocal({
      createDurationMs: options.createDurationMs ?? 1500,
      updateDurationMs: options.updateDurationMs ?? 2000,
      logFile: join(stateDir, 'kinesis-local.log'),
      ...(options.shardLimit !== undefined && { shardLimit: options.shardLimit }),
    }),
    startDynaliteLocal(),
  ]);
  steps.add(
    () => kinesis.stop(),
    () => dynalite.stop()
  );
  const org = options.org === undefined ? undefined : organisationOf(options.org);
  if (options.writeGuard === true && org === undefined) {
    throw new Error(
      'writeGuard needs org: writeGuard=enforce needs deployment=org (the SCP exempts the pipeline roles by name)'
    );
  }
  const gateway = new LocalGateway({
    port: options.port,
    ...(org !== undefined &&
      options.writeGuard === true && { authorizers: writeGuardAuthorizers(org.memberRoleName, org.hubRegion) }),
  });
  const endpoint = await gateway.start();
  steps.add(() => gateway.stop());

  const bus = new LocalEventBridge({
    duplicateDeliveries: options.duplicateDeliveries ?? 1,
    onTargetError: (error) => console.error('EventBridge target failed:', error),
  });
  // Event history (LookupEvents) keeps every event CloudTrail delivers, a held one too.
  const trail = new LocalCloudTrail();
  const recorder = createKinesisRecorder({
    upstream: kinesis.endpoint,
    deliveryDelayMs: options.cloudTrailDelayMs ?? 0,
    onEvent: (envelope) => {
      trail.record(envelope.detail);
      if (!holds.take(envelope)) bus.publish(envelope);
    },
  });
  // IncomingRecords of every write the gateway served (GetMetricData).
  const cloudWatch = new LocalCloudWatch();
  gateway.intercept(kinesisWriteMetrics(cloudWatch));
  // Every stream's tags as Kinesis took them: tag:GetResources answers from this index, as AWS's does.
  const tagIndex = new KinesisTagIndex();
  gateway.intercept(tagIndex.interceptor());
  steps.add(() => recorder.stop());
  const kms = new LocalKms();
  const ssm = new LocalSsm();
  const sts = new LocalSts();
  const { stepFunctions } = confirmEncryptionStepFunctions({
    endpoint,
    org: options.org !== undefined,
    ...(options.waitOverrideMs !== undefined && { waitTimeOverrides: { Backoff: options.waitOverrideMs } }),
    ...(options.retryIntervalMs !== undefined && {
      retryIntervalOverrides: { DescribeStream: options.retryIntervalMs, PublishCompletion: options.retryIntervalMs },
    }),
  });
  steps.add(() => stepFunctions.stop());

  // kinesis-local spends milliseconds of CPU on each call: unchanged ACTIVE summaries are answered from the last one.
  gateway.register(KINESIS_TARGET_PREFIX, cachedStreamSummaries(recorder.service));
  gateway.register(DYNAMODB_TARGET_PREFIX, dynalite.service);
  gateway.register(KMS_TARGET_PREFIX, kms.service);
  gateway.register(SSM_TARGET_PREFIX, ssm.service);
  gateway.register('AWSEvents', bus.service);
  gateway.register('AWSStepFunctions', stepFunctions.service);
  gateway.registerQuery('sts', sts.service);
  gateway.registerRest('account', localAccount());
  gateway.register(TAGGING_TARGET_PREFIX, localTagging(tagIndex));
  gateway.register(CLOUDTRAIL_TARGET_PREFIX, trail.service);
  gateway.register(CLOUDWATCH_TARGET_PREFIX, cloudWatch.service);
  await createIdempotencyTable(endpoint, IDEMPOTENCY_TABLE);
  return { gateway, endpoint, recorder, bus, kms, ssm, stepFunctions, sts };
};

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
  const steps = new ShutdownSteps();
  const holds = new CloudTrailHolds();
  try {
    const rule = ruleFromServerless(options.serverlessPath);
    const { gateway, endpoint, recorder, bus, kms, ssm, stepFunctions, sts } = await startEmulators(
      options,
      stateDir,
      steps,
      holds
    );
    const org = options.org === undefined ? undefined : organisationOf(options.org);
    const environment = functionEnvironment({
      ...(org && orgEnvironment(org)),
      ...(options.writeGuard === true && { WRITE_GUARD: 'enforce' }),
      ...options.environment,
    });
    const lambda = new LambdaRuntime({
      ...functionProcess,
      endpoint,
      handlerPath: options.handlerPath ?? join(REPO_ROOT, 'handlers', 'encrypt-stream.ts'),
      functionName: 'kinesis-auto-encrypt-local-encryptStream',
      environment,
      environmentFor: (account, region) => ({
        STATE_MACHINE_ARN: stepFunctions.stateMachineArn(account, region),
        OWN_ROLE_ARNS: ownRoleArns(account, region),
      }),
      logFile,
      failureFile,
      timeoutMs: options.lambdaTimeoutMs ?? 120_000,
      retryDelayMs: options.lambdaRetryDelayMs ?? 3000,
      ...(options.lambdaMaxInstances !== undefined && { maxInstances: options.lambdaMaxInstances }),
    });
    steps.add(() => lambda.stop());
    // recordMetrics: every completion event, as the CompletionMetricsRule of deploy/monitoring.yml.
    const metricsLogFile = join(stateDir, 'metrics.log');
    const metricsLambda = new LambdaRuntime({
      ...functionProcess,
      endpoint,
      handlerPath: join(REPO_ROOT, 'handlers', 'record-metrics.ts'),
      functionName: 'kinesis-auto-encrypt-local-recordMetrics',
      environment: { POWERTOOLS_SERVICE_NAME: environment.POWERTOOLS_SERVICE_NAME ?? 'kinesis-auto-encrypt' },
      logFile: metricsLogFile,
      maxInstances: 1,
    });
    steps.add(() => metricsLambda.stop());
    bus.addRule({
      name: 'kinesis-auto-encrypt-local-completion-metrics',
      pattern: { source: ['kinesis-auto-encrypt'] },
      // On the completion bus: the hub bus in org mode (deploy/monitoring.yml completionBusRef).
      eventBusName: org === undefined ? rule.eventBus : HUB_BUS_NAME,
      target: (event, meta) => metricsLambda.invokeAsync(meta.account, meta.region, event),
    });

    const accounts = new LocalAccounts(kms);
    const pipelineRule: BusRule = {
      name: `kinesis-auto-encrypt-local-${rule.functionName}`,
      pattern: rule.pattern,
      eventBusName: rule.eventBus,
      // Any account/region a client uses gets its keys on first use.
      target: (event, meta) => {
        accounts.add(meta.account, meta.region);
        const input = rule.inputTransformer === undefined ? event : applyInputTransformer(rule.inputTransformer, event);
        return lambda.invokeAsync(meta.account, meta.region, input);
      },
    };
    // Disconnected: the state of an account before deployment (the CLI's and the sweep's starting point).
    let connected = org === undefined && options.pipeline !== false;
    if (org !== undefined) deployOrganisation(org, { bus, sts, lambda, accounts, rule });
    else if (connected) bus.addRule(pipelineRule);
    for (const account of org === undefined ? (options.accounts ?? DEFAULT_ACCOUNTS) : []) {
      for (const region of options.regions ?? ['us-east-1']) accounts.add(account, region);
    }
    if ((org !== undefined || options.pipeline !== false) && (options.warm ?? true)) {
      // One function in the hub in org mode, else one per account and region.
      const functions = org === undefined ? accounts.list : [{ account: org.hubAccount, region: org.hubRegion }];
      await Promise.all(functions.map(({ account, region }) => lambda.warm(account, region)));
    }

    return {
      endpoint,
      gateway,
      bus,
      kms,
      ssm,
      stepFunctions,
      sts,
      ...(org !== undefined && { org }),
      accounts: accounts.list,
      lambda,
      failures: lambda.failures,
      logFile,
      metricsLogFile,
      metricTotals: () => metricTotals([logFile, metricsLogFile]),
      failureFile,
      stateDir,
      environment,
      addAccount: async (account, region) => accounts.add(account, region),
      connectPipeline: () => {
        if (org === undefined && !connected) bus.addRule(pipelineRule);
        connected = true;
      },
      holdCloudTrail: (match) => holds.hold(match),
      idle: async () => {
        for (let round = 0; round < 3; round++) {
          await recorder.idle();
          await bus.idle();
          await lambda.idle();
          await stepFunctions.idle();
          await metricsLambda.idle();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      stop: () => steps.run(),
    };
  } catch (error) {
    await steps.run();
    throw error;
  }
};
