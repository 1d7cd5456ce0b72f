import { Logger } from '@aws-lambda-powertools/logger';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { Context } from 'aws-lambda';
import { withStreamActivity } from '../src/audit/streamActivity';
import { createClients, createStsClient } from '../src/aws/clients';
import { createReconcileDependencies } from '../src/aws/createReconcileDependencies';
import { EventBridgeCompletionPort } from '../src/aws/eventBridgeCompletionPort';
import { publishSweepCompleted } from '../src/aws/eventBridgeSweepPublisher';
import { memberAccessFor } from '../src/aws/memberAccess';
import { organizationAccounts } from '../src/aws/organizationAccounts';
import { S3SweepStore } from '../src/aws/s3SweepStore';
import { loadConfig } from '../src/config/loadConfig';
import { sweepConfigFrom } from '../src/config/sweepConfigFrom';
import { buildReport } from '../src/report/buildReport';
import { reportFiles } from '../src/report/reportFiles';
import { deploymentTargets } from '../src/sweep/deploymentTargets';
import { keyPreflightStep } from '../src/sweep/keyPreflightStep';
import { runSweepStep } from '../src/sweep/runSweepStep';
import { accountRegionKey, type SweepAccountRegion } from '../src/sweep/sweepAccountRegion';
import { sweepCheck } from '../src/sweep/sweepCheck';
import { sweepCompletedDetail } from '../src/sweep/sweepCompletedDetail';
import { newSweepState, type SweepState } from '../src/sweep/sweepState';

const config = loadConfig(process.env);
const sweep = sweepConfigFrom(process.env);
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kinesis-auto-encrypt' });
const clients = createClients();
const completions = new EventBridgeCompletionPort(clients.eventBridge, config.eventBusName);
const warn = (message: string) => logger.warn('Key policy pre-flight', { reason: message });
/** The deployment's account-regions (config) and what the sweep may spend in each. */
const scope = {
  home: config.deployment,
  ...(config.organization !== undefined && { organization: config.organization }),
  listAccounts: () => organizationAccounts(organizations),
  describePerSecond: sweep.describePerSecond,
  keyPolicyCheck: config.keyPolicyCheck,
  credentials: defaultProvider(),
};
const {
  streams: _streams,
  keys: _keys,
  keyCheck: _keyCheck,
  ...pipeline
} = createReconcileDependencies(
  config,
  clients,
  completions,
  warn,
  // The state machine's role per stream account (org): the member role, or HubStreamRole for the hub's own.
  memberAccessFor(config)?.roleArnOf
);
const store = new S3SweepStore(new S3Client({ maxAttempts: 4 }), sweep.bucketName);
const sts = createStsClient(config.deployment.region);
/** Organisation: credentials of the role that may call organizations:ListAccounts (SWEEP_ACCOUNTS_ROLE_ARN). */
const listAccountsCredentials = async () => {
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: sweep.accountsRoleArn, RoleSessionName: 'kinesis-auto-encrypt-sweep' })
  );
  return {
    accessKeyId: Credentials?.AccessKeyId ?? '',
    secretAccessKey: Credentials?.SecretAccessKey ?? '',
    sessionToken: Credentials?.SessionToken ?? '',
    ...(Credentials?.Expiration !== undefined && { expiration: Credentials.Expiration }),
  };
};
const organizations = new OrganizationsClient({
  region: config.deployment.region,
  maxAttempts: 4,
  ...(sweep.accountsRoleArn !== undefined && { credentials: listAccountsCredentials }),
});

/** Seconds kept free at the end of a step: checks in flight, the state write, the report and the event. */
const STEP_MARGIN_SECONDS = 120;

/** Input and output of a step (the sweep state machine passes the output back in until `done`). */
interface SweepStepEvent {
  step?: number;
  sweepId?: string;
  /** The execution's name: the sweep id of step 0. */
  executionName?: string;
}

/**
 * One step of the scheduled sweep (statemachines/sweep.asl.json runs it until `done`): step 0 starts a sweep named
 * after the execution; each step checks streams until its time is nearly up and keeps the state in the sweep
 * bucket; the last writes the report there and publishes `Sweep Completed`.
 */
export const handler = async (event: SweepStepEvent, context: Context) => {
  const step = event.step ?? 0;
  const sweepId = event.sweepId ?? event.executionName ?? context.awsRequestId;
  logger.appendKeys({ sweepId, step });
  const state = step === 0 ? newSweepState(sweepId, new Date()) : await store.loadState(sweepId);
  if (state.step !== step) {
    logger.warn('Step already run (a retried invocation); continuing from the stored state', { stored: state.step });
    return { sweepId, step: state.step, done: false };
  }
  const note = (text: string): void => {
    if (state.notes.includes(text)) return;
    state.notes.push(text);
    logger.warn('Sweep note', { note: text });
  };
  const accountRegions = await deploymentTargets(scope, { sweepId, counts: state.counts, note });
  if (step === 0) {
    // The keys the configuration names, checked once before any stream is listed: one error record, not one per stream.
    const failures = await keyPreflightStep(state, accountRegions, pipeline.keyIdSource, sweep.accountRegionsInFlight);
    if (failures.length > 0) {
      logger.error('Key pre-flight failed: no stream listed', { failures });
      return complete(state, [], note);
    }
  }
  const done = await runSweepStep(state, {
    accountRegions,
    check: (target, stream) =>
      sweepCheck(target, stream, {
        sweepId,
        startedAt: state.startedAt,
        pipeline,
        maxWaitSeconds: 0,
        signal: new AbortController().signal,
      }),
    now: Date.now,
    deadline: Date.now() + context.getRemainingTimeInMillis() - STEP_MARGIN_SECONDS * 1000,
    concurrency: sweep.concurrency,
    accountRegionsInFlight: sweep.accountRegionsInFlight,
  });
  if (!done) {
    await store.saveState(state);
    logger.info('Sweep step done; continuing', { checked: state.rows.length });
    return { sweepId, step: state.step, done: false };
  }
  return complete(state, accountRegions, note);
};

/**
 * The end of a sweep: receivingWrites, severity and createdBy read once for every row (as the CLI does), its report
 * in the sweep bucket, one `Sweep Completed` on the completion bus.
 */
const complete = async (
  state: SweepState,
  accountRegions: readonly SweepAccountRegion[],
  note: (text: string) => void
) => {
  const { sweepId } = state;
  // Only the account-regions with streams are opened again (their clients share the sweep's bounded HTTP handler).
  const withRows = new Set(state.rows.map(accountRegionKey));
  const reachable = accountRegions
    .filter((place) => withRows.has(accountRegionKey(place)))
    .map((place) => place.open());
  state.rows = await withStreamActivity(reachable, state.rows, new Date(state.startedAt), note);
  const finished = new Date();
  const report = buildReport({
    command: 'sweep',
    sweepId,
    startedAt: state.startedAt,
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - Date.parse(state.startedAt),
    interrupted: false,
    options: {
      regions: [...new Set([...state.rows, ...state.errors].map(({ region }) => region))].sort(),
      accounts: null,
      key: (await pipeline.keyIdSource.resolve()).keyId,
      describeRate: sweep.describePerSecond,
      concurrency: sweep.concurrency,
      endpointUrl: null,
      tags: 'bulk',
    },
    streams: state.rows,
    writeGuard: config.writeGuard,
    errors: state.errors,
    apiCalls: state.counts,
    peakDescribePerSecond: state.peakDescribePerSecond,
    notes: state.notes,
  });
  const keys = await store.writeReport(sweepId, reportFiles(report));
  const detail = sweepCompletedDetail(report, {
    deployment: config.organization === undefined ? 'account' : 'org',
    steps: state.steps.length,
    location: { bucket: store.bucket, keys },
  });
  await publishSweepCompleted(clients.eventBridge, config.eventBusName, detail);
  logger.info('Sweep completed', {
    streamsChecked: detail.streamsChecked,
    changed: detail.changed,
    failed: detail.failed,
  });
  return { sweepId, step: state.step, done: true };
};
