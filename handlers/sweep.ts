import { Logger } from '@aws-lambda-powertools/logger';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { Context } from 'aws-lambda';
import { sweepTargets } from '../src/audit/sweepTargets';
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
import { runSweepStep } from '../src/sweep/runSweepStep';
import { sweepCheck } from '../src/sweep/sweepCheck';
import { sweepCompletedDetail } from '../src/sweep/sweepCompletedDetail';
import { newSweepState } from '../src/sweep/sweepState';

const config = loadConfig(process.env);
const sweep = sweepConfigFrom(process.env);
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kinesis-auto-encrypt' });
const clients = createClients();
const completions = new EventBridgeCompletionPort(clients.eventBridge, config.eventBusName);
const warn = (message: string) => logger.warn('Key policy pre-flight', { reason: message });
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
const credentials = defaultProvider();
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

/** The account-regions of the deployment: its own; an organisation hub its own plus every account × memberRegions. */
const listTargets = async (sweepId: string, counts: Record<string, number>, note: (text: string) => void) => {
  const common = {
    endpointUrl: undefined,
    describeRate: sweep.describePerSecond,
    tags: 'bulk' as const,
    sweepId,
    credentials,
    homeRegion: config.deployment.region,
    counts,
    note,
    onListed: () => {},
  };
  const own = await sweepTargets({ ...common, regions: [config.deployment.region] });
  const organization = config.organization;
  if (organization === undefined) return own;
  const members = (await organizationAccounts(organizations)).filter(
    (account) => account !== config.deployment.account
  );
  counts.ListAccounts = (counts.ListAccounts ?? 0) + 1;
  const listed = await sweepTargets({
    ...common,
    regions: organization.memberRegions,
    accounts: members,
    roleName: organization.memberRoleName,
  });
  return [...own, ...listed];
};

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
  const { keyId } = await pipeline.keyIdSource.resolve();
  const controller = new AbortController();
  const settings = {
    sweepId,
    startedAt: state.startedAt,
    key: keyId,
    pipeline,
    maxWaitSeconds: 0,
    signal: controller.signal,
  };
  const done = await runSweepStep(state, {
    listTargets: (counts, note) => listTargets(sweepId, counts, note),
    check: (target, stream) => sweepCheck(target, stream, settings),
    now: Date.now,
    deadline: Date.now() + context.getRemainingTimeInMillis() - STEP_MARGIN_SECONDS * 1000,
    concurrency: sweep.concurrency,
  });
  if (!done) {
    await store.saveState(state);
    logger.info('Sweep step done; continuing', { checked: state.rows.length });
    return { sweepId, step: state.step, done: false };
  }
  const finished = new Date();
  const report = buildReport({
    command: 'sweep',
    sweepId,
    startedAt: state.startedAt,
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - Date.parse(state.startedAt),
    interrupted: false,
    options: {
      regions: [...new Set(state.rows.map(({ region }) => region))].sort(),
      accounts: null,
      key: keyId,
      describeRate: sweep.describePerSecond,
      concurrency: sweep.concurrency,
      endpointUrl: null,
      tags: 'bulk',
    },
    streams: state.rows,
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
