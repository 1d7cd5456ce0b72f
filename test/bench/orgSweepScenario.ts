import { join } from 'node:path';
import { CreateStreamCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import {
  DEFAULT_KEY_ALIAS,
  LAMBDA_EXECUTION_ENV,
  type LocalCloud,
  localKinesisClients,
  organisationOf,
  REPO_ROOT,
  runLocalSweep,
  sessionAccessKeyId,
  startLocalCloud,
  waitForActive,
} from '../../tools/dev';
import { CallCounter } from './callCounter';
import { sampleSockets } from './socketSampler';

/** Member accounts × member regions of the organisation sweep: 20 × 10 = 200 account-regions. */
const MEMBERS = 20;
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-southeast-2',
  'ap-northeast-1',
] as const;
/** Streams in every member account-region, 9 in 10 of them already encrypted. */
const STREAMS_PER_PLACE = 5;
const DESCRIBE_PER_SECOND = 10;
const LIST_PER_SECOND = 5;
const SWEEP_FUNCTION = 'kinesis-auto-encrypt-local-sweep';
export const PASS_THROUGH_SWEEP = join(REPO_ROOT, 'test', 'bench', 'passThrough', 'sweep.ts');

/** What the organisation sweep measured. */
export interface OrgSweepResult {
  accountRegions: number;
  streams: number;
  /** The hub's sweep: its state machine's start → `Sweep Completed`, ms. */
  wallMs: number;
  /** The same, with the pass-through sweep function on the same cloud (what the local cloud itself adds). */
  passThroughWallMs: number;
  /** Each account's streams / describe budget + its ListStreams pages at 5/s; the largest account's. */
  floorMs: number;
  /** (wall − pass-through wall) / floor. */
  floorRatioNet: number;
  /** Most TCP connections the sweep process held at once (/proc, sampled every 50 ms). */
  peakSockets: number;
  socketSamples: number;
  /** CPU seconds the sweep process used (its cold start included). */
  sweepCpuSeconds: number;
  /** Calls at the gateway during the sweep, by operation (the sweep's and the hand-overs'). */
  calls: Record<string, number>;
  steps: number;
  checked: number;
  seedMs: number;
}

/** Creates the streams with their CloudTrail events held back (a sweep finds streams nobody was told about). */
const seed = async (cloud: LocalCloud, places: { account: string; region: string }[]): Promise<number> => {
  const clients = localKinesisClients(cloud.endpoint);
  const plan = places.flatMap(({ account, region }, place) =>
    Array.from({ length: STREAMS_PER_PLACE }, (_, n) => ({
      account,
      region,
      name: `orgswept-${String(n).padStart(2, '0')}`,
      encrypted: (place * STREAMS_PER_PLACE + n) % 10 !== 0,
    }))
  );
  const hold = (account: string, region: string, name: string, eventName: string): void => {
    void cloud.holdCloudTrail(
      (event) =>
        event.account === account &&
        event.region === region &&
        event.detail.eventName === eventName &&
        (event.detail.requestParameters as { streamName?: string } | null)?.streamName === name
    );
  };
  try {
    for (let first = 0; first < plan.length; first += 5) {
      await Promise.all(
        plan.slice(first, first + 5).map(async ({ account, region, name, encrypted }) => {
          const client = clients.client(account, region);
          hold(account, region, name, 'CreateStream');
          await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
          await waitForActive(client, name);
          if (!encrypted) return;
          hold(account, region, name, 'StartStreamEncryption');
          await client.send(
            new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: DEFAULT_KEY_ALIAS })
          );
        })
      );
    }
    for (const { account, region, name } of plan) await waitForActive(clients.client(account, region), name);
  } finally {
    clients.destroy();
  }
  return plan.length;
};

/**
 * The deployed sweep of an organisation hub over 200 member account-regions × 5 streams (20 accounts × 10 regions)
 * on the local cloud: the sweep ASL and the real sweep handler in the hub (its SweepRole assuming each member role),
 * organizations:ListAccounts answered on the gateway; then the pass-through sweep on the same cloud. The sweep
 * process's TCP connections are counted from /proc while it runs.
 */
export const runOrgSweepBench = async (log: (line: string) => void): Promise<OrgSweepResult> => {
  const members = Array.from({ length: MEMBERS }, (_, index) => `4000000000${String(index + 10).padStart(2, '0')}`);
  const org = organisationOf({ members, memberRegions: [...REGIONS] });
  const cloud = await startLocalCloud({
    org: { members, memberRegions: [...REGIONS] },
    // kinesis-local counts shards across accounts and regions.
    shardLimit: MEMBERS * REGIONS.length * STREAMS_PER_PLACE + 50,
    createDurationMs: 50,
    updateDurationMs: 300,
    environment: { AWS_EXECUTION_ENV: LAMBDA_EXECUTION_ENV, POWERTOOLS_LOG_LEVEL: 'WARN' },
    warm: false,
  });
  try {
    cloud.gateway.register('AWSOrganizationsV20161128', async () => ({
      status: 200,
      body: { Accounts: [org.hubAccount, ...members].map((Id) => ({ Id, Status: 'ACTIVE', State: 'ACTIVE' })) },
    }));
    const places = REGIONS.flatMap((region) => members.map((account) => ({ account, region })));
    const seedStarted = Date.now();
    const streams = await seed(cloud, places);
    const seedMs = Date.now() - seedStarted;
    log(`  seeded ${streams} streams in ${places.length} member account-regions in ${(seedMs / 1000).toFixed(0)} s`);
    await cloud.idle();
    const hub = [{ account: org.hubAccount, region: org.hubRegion }];
    const sweepOptions = {
      places: hub,
      accessKeyIdFor: (account: string) => sessionAccessKeyId(account, 'orgSweep'),
      environment: {
        AWS_ENDPOINT_URL_ORGANIZATIONS: cloud.endpoint,
        ...(process.env.BENCH_SWEEP_CONCURRENCY !== undefined && {
          SWEEP_CONCURRENCY: process.env.BENCH_SWEEP_CONCURRENCY,
        }),
        ...(process.env.BENCH_SWEEP_IN_FLIGHT !== undefined && {
          SWEEP_ACCOUNT_REGIONS_IN_FLIGHT: process.env.BENCH_SWEEP_IN_FLIGHT,
        }),
      },
      warm: true,
    };
    const counter = new CallCounter();
    counter.install(cloud.gateway);
    const sampler = sampleSockets(SWEEP_FUNCTION);
    const swept = await runLocalSweep(cloud, (line) => log(`  ${line}`), sweepOptions).finally(() => sampler.stop());
    const calls: Record<string, number> = {};
    // A call refused or failed is counted apart, with its status (e.g. `GetParameter 400`).
    for (const { operation, status } of counter.calls) {
      const name = status === 200 ? operation : `${operation} ${status}`;
      calls[name] = (calls[name] ?? 0) + 1;
    }
    const passThrough = await runLocalSweep(cloud, () => undefined, {
      ...sweepOptions,
      handlerPath: PASS_THROUGH_SWEEP,
    });
    const detail = swept.details[0];
    const wallMs = swept.wallMsByAccount[org.hubAccount] ?? Number.NaN;
    const passThroughWallMs = passThrough.wallMsByAccount[org.hubAccount] ?? Number.NaN;
    const perAccount = STREAMS_PER_PLACE * REGIONS.length;
    const floorMs = (perAccount / DESCRIBE_PER_SECOND + REGIONS.length / LIST_PER_SECOND) * 1000;
    return {
      accountRegions: places.length,
      streams,
      wallMs,
      passThroughWallMs,
      floorMs,
      floorRatioNet: (wallMs - passThroughWallMs) / floorMs,
      peakSockets: sampler.peak(),
      socketSamples: sampler.samples(),
      sweepCpuSeconds: sampler.cpuSeconds(),
      calls,
      steps: detail?.steps ?? 0,
      checked: detail?.streamsChecked ?? 0,
      seedMs,
    };
  } finally {
    await cloud.stop();
  }
};
