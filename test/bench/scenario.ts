import { statSync } from 'node:fs';
import { CreateStreamCommand, DeleteStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CompletionDetail } from '../../src/completion/completionDetail';
import type { BusEvent, InvocationRecord, LocalCloud, LocalExecution } from '../../tools/dev';
import { isCompletionEvent } from '../../tools/dev';
import { BENCH_USER_AGENT, type CallCounter, type CallRecord, peakPerSecond } from './callCounter';
import { transitionsForPolls } from './transitionCount';

/** AWS limits the bench creates streams within. */
const CREATE_STREAM_TPS = 5;
export const MAX_CREATING_PER_ACCOUNT = 5;
export const REGION = 'us-east-1';
/** Accounts a load is spread over at most (bounds local memory): an account is reused ten waves (about 50 s) later, long after its earlier streams are done. */
export const ACCOUNT_POOL = 10;

/** One load: streams, each in an account; `paced` respects the per-account limits over time. */
export interface ScenarioPlan {
  id: string;
  label: string;
  /** `region` defaults to {@link REGION}; names are unique within a plan. */
  streams: { account: string; name: string; region?: string }[];
  /** Both keep ≤ 5 CreateStream/s per account and ≤ 5 CREATING; `concurrent` does not wait for each response. */
  mode: 'concurrent' | 'paced';
  duplicateDeliveries: number;
  /** Leave the streams after their completion (default: deleted, kinesis-local's shard limit is global). */
  keepStreams?: boolean;
}

/** Per-stream measurement. */
interface StreamMeasure {
  account: string;
  name: string;
  outcome: string;
  completions: number;
  createStartAt: number;
  deliveredAt: number;
  completedAt: number;
  measuredMs: number;
  floorMs: number;
  overheadMs: number;
  /** StartStreamEncryption − end of CREATING: how late the handler saw ACTIVE. */
  applyLagMs: number;
  /** Completion − (StartStreamEncryption + update): how late the state machine confirmed. */
  confirmLagMs: number;
  applies: number;
  describesLambda: number;
  describesStepFunctions: number;
  startExecutions: number;
  putEvents: number;
  lambdaInvocations: number;
  lambdaBilledMs: number;
  executionMs: number;
  transitions: number;
}

/** Aggregates of one scenario. */
export interface ScenarioResult {
  plan: ScenarioPlan;
  accounts: number;
  streams: StreamMeasure[];
  missing: string[];
  wallMs: number;
  createLimitRetries: number;
  overheadMs: { p50: number; p95: number; max: number };
  ratio: { p50: number; p95: number; max: number };
  applyLagMs: { p50: number; p95: number };
  confirmLagMs: { p50: number; p95: number };
  floorMs: { min: number; max: number };
  applies: { min: number; max: number };
  /** Most DescribeStreamSummary calls in one second in any one account. */
  peakDescribeTps: number;
  perStream: {
    describesLambda: number;
    describesStepFunctions: number;
    startExecutions: number;
    putEvents: number;
    dynamoWrites: number;
    dynamoReads: number;
    kmsRequests: number;
    lambdaInvocations: number;
    lambdaBilledMs: number;
    executionMs: number;
    transitions: number;
    logBytes: number;
  };
  outcomes: Record<string, number>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile. */
export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

const mean = (values: number[]): number =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const DYNAMO_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** Kinesis client of the bench itself (its user agent marks its calls). */
export const benchClient = (endpoint: string, account: string, region: string = REGION): KinesisClient =>
  new KinesisClient({
    endpoint,
    region,
    credentials: { accessKeyId: account, secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
    customUserAgent: BENCH_USER_AGENT,
    maxAttempts: 1,
  });

export const keyOf = (account: string, name: string): string => `${account}/${name}`;

const streamOfCloudTrail = (event: BusEvent): string | undefined => {
  const parameters = event.detail.requestParameters as { streamName?: string } | null | undefined;
  return parameters?.streamName;
};

/**
 * Runs one load on a started local cloud: creates the streams, and measures each from the
 * delivery of its CloudTrail CreateStream event to its completion event, plus every AWS call.
 */
export const runScenario = async (
  cloud: LocalCloud,
  counter: CallCounter,
  plan: ScenarioPlan,
  durations: { createMs: number; updateMs: number },
  log: (line: string) => void = () => undefined
): Promise<ScenarioResult> => {
  const wanted = new Set(plan.streams.map(({ account, name }) => keyOf(account, name)));
  const accounts = [...new Set(plan.streams.map(({ account }) => account))];
  const delivered = new Map<string, number>();
  const completed = new Map<string, { at: number; outcome: string; count: number }>();
  const invocations = new Map<string, { count: number; billedMs: number }>();

  const onEvent = (event: BusEvent): void => {
    const now = Date.now();
    if (
      event.source === 'aws.kinesis' &&
      event.detail.eventName === 'CreateStream' &&
      event.detail.errorCode === undefined
    ) {
      const key = keyOf(event.account, streamOfCloudTrail(event) ?? '');
      if (wanted.has(key) && !delivered.has(key)) delivered.set(key, now);
    } else if (isCompletionEvent(event)) {
      const detail = event.detail as unknown as CompletionDetail;
      const key = keyOf(detail.account ?? '', detail.streamName ?? '');
      if (!wanted.has(key)) return;
      const seen = completed.get(key);
      if (seen === undefined) completed.set(key, { at: now, outcome: detail.outcome, count: 1 });
      else seen.count++;
    }
  };
  const onInvocation = (record: InvocationRecord): void => {
    const event = record.event as BusEvent;
    const name = streamOfCloudTrail(event);
    if (name === undefined) return;
    // The stream's account: the event's (the hub function of an organisation serves every member).
    const key = keyOf(event.account ?? record.account, name);
    if (!wanted.has(key)) return;
    const entry = invocations.get(key) ?? { count: 0, billedMs: 0 };
    entry.count++;
    entry.billedMs += Math.ceil(record.result.durationMs);
    invocations.set(key, entry);
  };

  counter.reset();
  cloud.bus.duplicateDeliveries = plan.duplicateDeliveries;
  const logBytesBefore = statSync(cloud.logFile).size;
  cloud.bus.on('event', onEvent);
  cloud.lambda.on('invocation', onInvocation);
  const regionOf = new Map(plan.streams.map(({ account, name, region }) => [keyOf(account, name), region ?? REGION]));
  const clients = new Map<string, KinesisClient>();
  const clientFor = (account: string, name: string): KinesisClient => {
    const region = regionOf.get(keyOf(account, name)) ?? REGION;
    let client = clients.get(`${account}/${region}`);
    if (client === undefined) {
      client = benchClient(cloud.endpoint, account, region);
      clients.set(`${account}/${region}`, client);
    }
    return client;
  };
  const started = Date.now();
  let createLimitRetries = 0;

  const create = async (account: string, name: string): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await clientFor(account, name).send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
        return;
      } catch (error) {
        // Counted and reported: a rejected CreateStream skews kinesis-local's CREATING timer.
        const creatingLimit =
          (error as Error).name === 'LimitExceededException' && /concurrently/.test((error as Error).message);
        if (!creatingLimit || attempt > 600) throw error;
        createLimitRetries++;
        await sleep(200);
      }
    }
  };

  const deletions: Promise<unknown>[] = [];
  const onCompletion = (event: BusEvent): void => {
    if (!isCompletionEvent(event)) return;
    const detail = event.detail as unknown as CompletionDetail;
    const key = keyOf(detail.account ?? '', detail.streamName ?? '');
    if (plan.keepStreams === true || !wanted.has(key) || (completed.get(key)?.count ?? 0) > 1) return;
    // kinesis-local's shard limit counts every account: free the shard once the stream is done.
    const client = clientFor(detail.account ?? '', detail.streamName ?? '');
    deletions.push(
      sleep(1000)
        .then(() => client.send(new DeleteStreamCommand({ StreamName: detail.streamName ?? '' })))
        .catch(() => undefined)
    );
  };
  cloud.bus.on('event', onCompletion);
  try {
    // AWS: ≤ 5 CreateStream/s and ≤ 5 CREATING per account. kinesis-local counts CREATING across all
    // accounts (and schedules ACTIVE even for a rejected CreateStream), so the bench never sends one
    // it would reject: at most 5 streams CREATING in the whole emulator.
    const creating: number[] = [];
    const perAccount = new Map<string, number[]>();
    const slotMs = durations.createMs + 150;
    for (const { account, name } of plan.streams) {
      const mine = perAccount.get(account) ?? [];
      perAccount.set(account, mine);
      for (;;) {
        const now = Date.now();
        const inSecond = mine.filter((t) => now - t < 1000);
        const busy = creating.filter((t) => now - t < slotMs);
        if (inSecond.length < CREATE_STREAM_TPS && busy.length < MAX_CREATING_PER_ACCOUNT) break;
        const waits = [
          ...(inSecond.length >= CREATE_STREAM_TPS ? [Math.min(...inSecond) + 1000 - now] : []),
          ...(busy.length >= MAX_CREATING_PER_ACCOUNT ? [Math.min(...busy) + slotMs - now] : []),
        ];
        await sleep(Math.max(5, Math.max(...waits)));
      }
      const at = Date.now();
      mine.push(at);
      creating.push(at);
      if (plan.mode === 'concurrent')
        void create(account, name).catch((error: unknown) => log(`  CreateStream ${name}: ${String(error)}`));
      else await create(account, name);
    }
    log(
      `  ${plan.label}: ${plan.streams.length} CreateStream calls made in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );

    const deadline = Date.now() + durations.createMs + durations.updateMs + 120_000;
    while (completed.size < wanted.size && Date.now() < deadline) await sleep(50);
    // Let duplicates, retries and executions finish so every call is counted.
    await Promise.race([cloud.idle(), sleep(30_000)]);
    await sleep(200);
  } finally {
    cloud.bus.off('event', onEvent);
    cloud.bus.off('event', onCompletion);
    cloud.lambda.off('invocation', onInvocation);
  }
  const wallMs = Date.now() - started;
  await Promise.allSettled(deletions);
  for (const client of clients.values()) client.destroy();
  const calls = counter.calls.filter((call) => accounts.includes(call.account));
  const logBytes = statSync(cloud.logFile).size - logBytesBefore;

  const callsFor = (key: string, filter: (call: CallRecord) => boolean): number =>
    calls.filter((call) => keyOf(call.account, call.streamName ?? '') === key && filter(call)).length;
  // The stream's account is the input's: an organisation's executions all run in the hub.
  const accountOf = (execution: LocalExecution): string =>
    (JSON.parse(execution.input) as { account?: string }).account ?? execution.account;
  const executions = [...cloud.stepFunctions.executions.values()].filter((execution: LocalExecution) => {
    try {
      const input = JSON.parse(execution.input) as { streamName?: string };
      return wanted.has(keyOf(accountOf(execution), input.streamName ?? ''));
    } catch {
      return false;
    }
  });

  const streams: StreamMeasure[] = [];
  const missing: string[] = [];
  for (const { account, name } of plan.streams) {
    const key = keyOf(account, name);
    const createCall = calls.find(
      (call) =>
        call.operation === 'CreateStream' && call.status === 200 && keyOf(call.account, call.streamName ?? '') === key
    );
    const deliveredAt = delivered.get(key);
    const done = completed.get(key);
    if (createCall === undefined || deliveredAt === undefined || done === undefined) {
      missing.push(key);
      continue;
    }
    const describesStepFunctions = callsFor(
      key,
      (call) => call.operation === 'DescribeStreamSummary' && call.caller === 'stepfunctions'
    );
    const streamExecutions = executions.filter(
      (execution) => accountOf(execution) === account && JSON.parse(execution.input).streamName === name
    );
    const executionMs = mean(
      streamExecutions.map((execution) => (execution.stopDate?.getTime() ?? Date.now()) - execution.startDate.getTime())
    );
    const floorMs = Math.max(0, createCall.at + durations.createMs - deliveredAt) + durations.updateMs;
    const measuredMs = done.at - deliveredAt;
    const applyAt =
      calls.find(
        (call) => call.operation === 'StartStreamEncryption' && keyOf(call.account, call.streamName ?? '') === key
      )?.at ?? Number.NaN;
    streams.push({
      account,
      name,
      outcome: done.outcome,
      completions: done.count,
      createStartAt: createCall.at,
      deliveredAt,
      completedAt: done.at,
      measuredMs,
      floorMs,
      overheadMs: measuredMs - floorMs,
      applyLagMs: applyAt - Math.max(deliveredAt, createCall.at + durations.createMs),
      confirmLagMs: done.at - (applyAt + durations.updateMs),
      applies: callsFor(key, (call) => call.operation === 'StartStreamEncryption'),
      describesLambda: callsFor(key, (call) => call.operation === 'DescribeStreamSummary' && call.caller === 'lambda'),
      describesStepFunctions,
      startExecutions: callsFor(key, (call) => call.operation === 'StartExecution'),
      putEvents: callsFor(key, (call) => call.operation === 'PutEvents'),
      lambdaInvocations: invocations.get(key)?.count ?? 0,
      lambdaBilledMs: invocations.get(key)?.billedMs ?? 0,
      executionMs,
      transitions: streamExecutions.length === 0 ? 0 : await transitionsForPolls(Math.max(1, describesStepFunctions)),
    });
  }

  const describeTimes = new Map<string, number[]>();
  for (const call of calls) {
    if (call.operation !== 'DescribeStreamSummary') continue;
    const times = describeTimes.get(call.account) ?? [];
    times.push(call.at);
    describeTimes.set(call.account, times);
  }
  const count = (filter: (call: CallRecord) => boolean): number => calls.filter(filter).length;
  const n = Math.max(1, plan.streams.length);
  const overheads = streams.map((stream) => stream.overheadMs);
  const ratios = streams.map((stream) => stream.measuredMs / stream.floorMs);
  const outcomes: Record<string, number> = {};
  for (const stream of streams) outcomes[stream.outcome] = (outcomes[stream.outcome] ?? 0) + 1;
  return {
    plan,
    accounts: accounts.length,
    streams,
    missing,
    wallMs,
    createLimitRetries,
    overheadMs: { p50: percentile(overheads, 50), p95: percentile(overheads, 95), max: Math.max(...overheads) },
    ratio: { p50: percentile(ratios, 50), p95: percentile(ratios, 95), max: Math.max(...ratios) },
    applyLagMs: {
      p50: percentile(
        streams.map((x) => x.applyLagMs),
        50
      ),
      p95: percentile(
        streams.map((x) => x.applyLagMs),
        95
      ),
    },
    confirmLagMs: {
      p50: percentile(
        streams.map((x) => x.confirmLagMs),
        50
      ),
      p95: percentile(
        streams.map((x) => x.confirmLagMs),
        95
      ),
    },
    floorMs: { min: Math.min(...streams.map((s) => s.floorMs)), max: Math.max(...streams.map((s) => s.floorMs)) },
    applies: {
      min: missing.length > 0 ? 0 : Math.min(...streams.map((s) => s.applies)),
      max: Math.max(...streams.map((s) => s.applies)),
    },
    peakDescribeTps: Math.max(0, ...[...describeTimes.values()].map(peakPerSecond)),
    perStream: {
      describesLambda: mean(streams.map((s) => s.describesLambda)),
      describesStepFunctions: mean(streams.map((s) => s.describesStepFunctions)),
      startExecutions: mean(streams.map((s) => s.startExecutions)),
      putEvents: count((call) => call.operation === 'PutEvents') / n,
      dynamoWrites: count((call) => call.service.startsWith('DynamoDB') && DYNAMO_WRITES.has(call.operation)) / n,
      dynamoReads: count((call) => call.service.startsWith('DynamoDB') && DYNAMO_READS.has(call.operation)) / n,
      kmsRequests: count((call) => call.service === 'TrentService') / n,
      lambdaInvocations: mean(streams.map((s) => s.lambdaInvocations)),
      lambdaBilledMs: mean(streams.map((s) => s.lambdaBilledMs)),
      executionMs: mean(streams.map((s) => s.executionMs)),
      transitions: mean(streams.map((s) => s.transitions)),
      logBytes: logBytes / n,
    },
    outcomes,
  };
};
