import { join } from 'node:path';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import type { BusEvent } from '@kinesis-auto-encrypt/local-cloud';
import {
  type JsonValue,
  LambdaRuntime,
  localKinesisClients,
  regionPartition,
  runStateMachine,
  startLocalS3,
  statesError,
} from '@kinesis-auto-encrypt/local-cloud';
import type { SweepCompletedDetail } from '../../src/sweep/sweepCompletedDetail';
import { waitForActive } from './demo';
import { functionProcess, type LocalCloud } from './localCloud';
import { ownRoleArns } from './localRoles';
import { bold, dim, green, red, seconds } from './progress';
import { REPO_ROOT } from './repoRoot';
import { SWEEP_ASL_PATH } from './stateMachines';

/** Kinesis allows 5 streams CREATING per account (kinesis-mock counts them across accounts). */
const CREATING_AT_ONCE = 5;
const SWEEP_BUCKET = 'kinesis-auto-encrypt-local-sweep';
const SWEEP_FUNCTION = 'kinesis-auto-encrypt-local-sweep';

/** What the local sweep of every demo account ended with. */
export interface LocalSweepResult {
  details: SweepCompletedDetail[];
  /** Streams the sweep changed whose `Stream Encrypted` (trigger Sweep) arrived. */
  confirmed: number;
  /** Every report.json the sweeps wrote to the local S3, parsed. */
  reports: unknown[];
  ok: boolean;
  /** Per account: its state machine's start → its `Sweep Completed` on the bus, ms. */
  wallMsByAccount: Record<string, number>;
}

/** Where and what the local sweep runs (default: the real sweep handler in every account of the cloud). */
export interface LocalSweepOptions {
  confirmTimeoutMs?: number;
  /** The sweep function's module (a bench's pass-through target); default handlers/sweep.ts. */
  handlerPath?: string;
  /** The account-regions whose sweep runs (an organisation: the hub's); default every account of the cloud. */
  places?: readonly { account: string; region: string }[];
  /** The function's session key in an account; default the pipeline function's role (an organisation: SweepRole). */
  accessKeyIdFor?: (account: string) => string;
  /** More function environment (e.g. AWS_ENDPOINT_URL_ORGANIZATIONS). */
  environment?: Record<string, string>;
  /** Start each place's execution environment before the sweeps start (their cold start is then not timed). */
  warm?: boolean;
}

/**
 * Creates `count` unencrypted streams `existing-<n>` over the cloud's accounts (round robin, 5 CREATING at a
 * time), as they would exist before a deployment; call it with the pipeline disconnected.
 */
const seedExistingStreams = async (cloud: LocalCloud, count: number, print: (line: string) => void): Promise<void> => {
  const clients = localKinesisClients(cloud.endpoint);
  const started = Date.now();
  try {
    const streams = Array.from({ length: count }, (_, index) => ({
      ...(cloud.accounts[index % cloud.accounts.length] as { account: string; region: string }),
      name: `existing-${String(index + 1).padStart(4, '0')}`,
    }));
    for (let first = 0; first < streams.length; first += CREATING_AT_ONCE) {
      const wave = streams.slice(first, first + CREATING_AT_ONCE);
      await Promise.all(
        wave.map(async ({ account, region, name }) => {
          const client = clients.client(account, region);
          await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
          await waitForActive(client, name);
        })
      );
      if ((first / CREATING_AT_ONCE) % 10 === 9) print(dim(`  seeded ${first + wave.length}/${count}…`));
    }
    print(
      `Seeded ${count} unencrypted streams over ${cloud.accounts.length} accounts in ${seconds(Date.now() - started)}`
    );
  } finally {
    clients.destroy();
  }
};

const isSweepEvent = (event: BusEvent, detailType: string): boolean =>
  event.source === 'kinesis-auto-encrypt' && event['detail-type'] === detailType;

/**
 * Runs the deployed sweep once in every account, as its schedule would: the sweep ASL (statemachines/sweep.asl.json,
 * run as is) invoking the real sweep handler (handlers/sweep.ts, in a Lambda worker per account) step by step, its
 * state and report in a local S3; prints each step, the confirmations as they arrive, and a summary per account.
 */
export const runLocalSweep = async (
  cloud: LocalCloud,
  print: (line: string) => void,
  options: LocalSweepOptions = {}
): Promise<LocalSweepResult> => {
  const places = options.places ?? cloud.accounts;
  const s3 = await startLocalS3();
  const lambda = new LambdaRuntime({
    ...functionProcess,
    ...(options.accessKeyIdFor !== undefined && { accessKeyIdFor: options.accessKeyIdFor }),
    endpoint: cloud.endpoint,
    handlerPath: options.handlerPath ?? join(REPO_ROOT, 'handlers', 'sweep.ts'),
    functionName: SWEEP_FUNCTION,
    environment: {
      ...cloud.environment,
      SWEEP_BUCKET_NAME: SWEEP_BUCKET,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      // tag:GetResources: the gateway's local Tagging API (taggingLocal.ts).
      AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: cloud.endpoint,
      AWS_ENDPOINT_URL_STS: cloud.endpoint,
      ...options.environment,
    },
    environmentFor: (account, region) => ({
      STATE_MACHINE_ARN: cloud.stepFunctions.stateMachineArn(account, region),
      OWN_ROLE_ARNS: ownRoleArns(account, region),
    }),
    logFile: join(cloud.stateDir, 'sweep.log'),
    timeoutMs: 900_000,
    maxInstances: 1,
  });
  if (options.warm === true) await Promise.all(places.map(({ account, region }) => lambda.warm(account, region, 1)));
  const started = Date.now();
  const details: SweepCompletedDetail[] = [];
  const startedAt = new Map<string, number>();
  const wallMsByAccount: Record<string, number> = {};
  let confirmed = 0;
  const listener = (event: BusEvent): void => {
    if (isSweepEvent(event, 'Sweep Completed')) {
      details.push(event.detail as unknown as SweepCompletedDetail);
      wallMsByAccount[event.account] = Date.now() - (startedAt.get(event.account) ?? started);
    }
    const detail = event.detail as { trigger?: string };
    if (isSweepEvent(event, 'Stream Encrypted') && detail.trigger === 'Sweep') confirmed++;
  };
  cloud.bus.on('event', listener);
  try {
    print(bold('Deployed sweep: the schedule starts statemachines/sweep.asl.json in every account'));
    const runs = places.map(async ({ account, region }) => {
      startedAt.set(account, Date.now());
      const run = runStateMachine({
        definitionPath: SWEEP_ASL_PATH,
        input: { step: 0 },
        executionName: `local-${account}-${Date.now()}`,
        substitutions: { Partition: regionPartition(region), SweepFunctionArn: lambda.functionArn(account, region) },
        taskHandlers: {
          SweepStep: async (input) => {
            const payload = (input as { Payload: JsonValue }).Payload;
            const result = await lambda.invoke(account, region, payload);
            if (!result.ok) throw statesError('States.TaskFailed', result.error.errorMessage);
            const value = result.value as { step: number; done: boolean };
            print(
              `  ${account}/${region} step ${value.step} ${value.done ? 'done' : 'continues'} (${seconds(result.durationMs)})`
            );
            return { Payload: value } as JsonValue;
          },
        },
      });
      return { account, region, result: await run.result };
    });
    const ended = await Promise.all(runs);
    const failed = ended.filter(({ result }) => result.status !== 'SUCCEEDED');
    for (const { account, region, result } of failed) {
      const why = result.status === 'FAILED' ? `: ${result.error} ${result.cause.slice(0, 500)}` : '';
      print(red(`  ${account}/${region}: sweep ${result.status}${why}`));
    }
    await cloud.idle();
    const changed = details.reduce((sum, detail) => sum + detail.changed, 0);
    const deadline = Date.now() + (options.confirmTimeoutMs ?? 120_000);
    while (confirmed < changed && Date.now() < deadline) {
      print(dim(`  confirmed ${confirmed}/${changed} (Stream Encrypted, trigger Sweep)…`));
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    print('');
    print(bold(`Sweep summary (${seconds(Date.now() - started)})`));
    print('  account       region     streams  compliant  changed  exempt  failed  steps  describe calls  report');
    for (const detail of [...details].sort((a, b) => a.sweepId.localeCompare(b.sweepId))) {
      for (const target of detail.accountRegions) {
        const count = (outcome: string) => String(target.byOutcome[outcome] ?? 0);
        print(
          `  ${target.account}  ${target.region.padEnd(9)}  ${String(target.streams).padStart(7)}  ${count('AlreadyCompliant').padStart(9)}  ${count('Confirming').padStart(7)}  ${count('Exempt').padStart(6)}  ${count('Failed').padStart(6)}  ${String(detail.steps).padStart(5)}  ${String(detail.apiCalls.DescribeStreamSummary ?? 0).padStart(14)}  s3://${detail.report?.bucket}/${detail.report?.keys[2] ?? ''}`
        );
      }
    }
    const ok = failed.length === 0 && details.length === places.length && confirmed >= changed;
    print(ok ? green(`Every change confirmed: ${confirmed}/${changed}.`) : red(`Confirmed ${confirmed}/${changed}.`));
    const reports = [...s3.objects.entries()]
      .filter(([key]) => key.endsWith('/report.json'))
      .map(([, object]) => JSON.parse(object.body.toString('utf8')) as unknown);
    return { details, confirmed, ok, reports, wallMsByAccount };
  } finally {
    cloud.bus.off('event', listener);
    await lambda.stop();
    await s3.stop();
  }
};

/**
 * `npm start -- --existing N`: seeds N unencrypted streams with the pipeline disconnected (an account before the
 * deployment), connects the pipeline, then runs the deployed sweep once.
 */
export const sweepExistingStreams = async (
  cloud: LocalCloud,
  count: number,
  print: (line: string) => void
): Promise<LocalSweepResult> => {
  print(bold(`Existing streams: ${count} unencrypted, created before the pipeline is connected`));
  await seedExistingStreams(cloud, count, print);
  cloud.connectPipeline();
  return runLocalSweep(cloud, print);
};
