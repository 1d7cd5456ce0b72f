import { CreateStreamCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import {
  DEFAULT_KEY_ALIAS,
  LAMBDA_EXECUTION_ENV,
  localKinesisClients,
  runLocalSweep,
  startLocalCloud,
  waitForActive,
} from '../../tools/dev';
import { CallCounter, peakPerSecond } from './callCounter';
import { PRICES } from './costModel';
import { PASS_THROUGH_SWEEP } from './orgSweepScenario';

/** Shares of the streams per account (uneven: the largest account sets the floor). */
const SHARES = [0.4, 0.3, 0.2, 0.1] as const;
/** Streams already encrypted with the default key (a daily sweep mostly finds compliant streams). */
const ENCRYPTED_SHARE = 0.9;
/** Kinesis ListStreams: 5 per second per account; 100 streams a page. */
const LIST_PER_SECOND = 5;
const PAGE = 100;
/** The sweep function's memory (serverless.yml functions.sweep.memorySize). */
const SWEEP_MEMORY_MB = 512;
/** S3 Standard requests (us-east-1 list prices, as PRICES): PUT $0.005 / 1,000, GET $0.0004 / 1,000. */
const S3_PUT = 0.005 / 1_000;
const S3_GET = 0.0004 / 1_000;

/** One account of the sweep bench. */
interface SweepAccountResult {
  account: string;
  streams: number;
  durationMs: number;
  floorMs: number;
  /** Most DescribeStreamSummary calls of the sweep function in any second, at the gateway. */
  peakDescribeTps: number;
}

/** What the sweep bench measured. */
export interface SweepBenchResult {
  streams: number;
  describePerSecond: number;
  accounts: SweepAccountResult[];
  /** The longest account sweep (each account sweeps itself, all at once). */
  wallMs: number;
  /** The largest account's streams / budget plus its listing pages at 5/s. */
  floorMs: number;
  floorRatio: number;
  /**
   * Net of the local cloud: per account, its state machine's start → `Sweep Completed` less the same for the
   * pass-through sweep function on the same cloud; the largest over the floor.
   */
  floorRatioNet: number;
  peakDescribeTps: number;
  /** Calls of the sweep function per stream, by operation. */
  callsPerStream: Record<string, number>;
  changed: number;
  confirmed: number;
  steps: number;
  /** USD per 1,000 streams checked: Lambda, its Step Functions loop, S3, KMS, the Sweep Completed event. */
  costPer1000Usd: number;
  seedMs: number;
}

/**
 * Sweep of `total` streams over 4 accounts (40/30/20/10 %, 90 % already encrypted) on the local cloud: the sweep
 * ASL and the real sweep handler per account, each within its describe budget; the pipeline confirms the changes.
 */
export const runSweepBench = async (total: number, log: (line: string) => void): Promise<SweepBenchResult> => {
  const accounts = SHARES.map((_, index) => `30000000000${index + 1}`);
  const cloud = await startLocalCloud({
    accounts,
    pipeline: false,
    shardLimit: total + 50,
    createDurationMs: 50,
    updateDurationMs: 300,
    environment: { AWS_EXECUTION_ENV: LAMBDA_EXECUTION_ENV, POWERTOOLS_LOG_LEVEL: 'WARN' },
    warm: false,
  });
  const counter = new CallCounter();
  try {
    const seedStarted = Date.now();
    const plan = accounts.flatMap((account, index) =>
      Array.from({ length: Math.round(total * (SHARES[index] as number)) }, (_, n) => ({
        account,
        name: `swept-${String(n).padStart(4, '0')}`,
        encrypted: n % 10 < ENCRYPTED_SHARE * 10,
      }))
    );
    const clients = localKinesisClients(cloud.endpoint);
    for (let first = 0; first < plan.length; first += 5) {
      await Promise.all(
        plan.slice(first, first + 5).map(async ({ account, name, encrypted }) => {
          const client = clients.client(account, 'us-east-1');
          await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
          await waitForActive(client, name);
          if (!encrypted) return;
          await client.send(
            new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: DEFAULT_KEY_ALIAS })
          );
        })
      );
    }
    for (const { account, name } of plan) await waitForActive(clients.client(account, 'us-east-1'), name);
    clients.destroy();
    const seedMs = Date.now() - seedStarted;
    log(
      `  seeded ${plan.length} streams (${Math.round(ENCRYPTED_SHARE * 100)} % encrypted) in ${(seedMs / 1000).toFixed(0)} s`
    );
    cloud.connectPipeline();
    counter.install(cloud.gateway);
    const swept = await runLocalSweep(cloud, (line) => log(`  ${line}`), { warm: true });
    const sweptAt = Date.now();
    const passThrough = await runLocalSweep(cloud, () => undefined, { handlerPath: PASS_THROUGH_SWEEP, warm: true });
    const netMs = Math.max(
      ...accounts.map(
        (account) =>
          (swept.wallMsByAccount[account] ?? Number.NaN) - (passThrough.wallMsByAccount[account] ?? Number.NaN)
      )
    );
    const sweepCalls = counter.calls.filter(({ caller, at }) => caller === 'lambda' && at <= sweptAt);
    const budget = 10;
    const results = accounts.map((account): SweepAccountResult => {
      const detail = swept.details.find(({ accountRegions }) => accountRegions[0]?.account === account);
      const streams = plan.filter((stream) => stream.account === account).length;
      const describes = sweepCalls.filter(
        (call) => call.account === account && call.operation === 'DescribeStreamSummary'
      );
      return {
        account,
        streams,
        durationMs: detail?.durationMs ?? Number.NaN,
        floorMs: (streams / budget + Math.ceil(streams / PAGE) / LIST_PER_SECOND) * 1000,
        peakDescribeTps: peakPerSecond(describes.map(({ at }) => at)),
      };
    });
    const largest = results.reduce((a, b) => (b.streams > a.streams ? b : a));
    const wallMs = Math.max(...results.map(({ durationMs }) => durationMs));
    const callsPerStream: Record<string, number> = {};
    for (const { operation } of sweepCalls) callsPerStream[operation] = (callsPerStream[operation] ?? 0) + 1;
    for (const key of Object.keys(callsPerStream)) callsPerStream[key] = (callsPerStream[key] as number) / plan.length;
    const steps = swept.details.reduce((sum, detail) => sum + detail.steps, 0);
    const billedMs = results.reduce((sum, { durationMs }) => sum + durationMs, 0);
    const kms = sweepCalls.filter(({ service }) => service.startsWith('TrentService')).length;
    const cost =
      (billedMs / 1000) * (SWEEP_MEMORY_MB / 1024) * PRICES.lambdaArmGbSecond +
      steps * PRICES.lambdaRequest +
      // Per sweep: start, then SweepStep + Done per step.
      (steps * 2 + accounts.length) * PRICES.sfnStandardTransition +
      // State (steps − 1 per account, its GET each) and the three report files per account.
      ((steps - accounts.length + 3 * accounts.length) * S3_PUT + (steps - accounts.length) * S3_GET) +
      kms * PRICES.kmsRequest +
      accounts.length * PRICES.eventBridgeCustomEvent;
    return {
      streams: plan.length,
      describePerSecond: budget,
      accounts: results,
      wallMs,
      floorMs: largest.floorMs,
      floorRatio: wallMs / largest.floorMs,
      floorRatioNet: netMs / largest.floorMs,
      peakDescribeTps: Math.max(...results.map(({ peakDescribeTps }) => peakDescribeTps)),
      callsPerStream,
      changed: swept.details.reduce((sum, detail) => sum + detail.changed, 0),
      confirmed: swept.confirmed,
      steps,
      costPer1000Usd: (cost / plan.length) * 1000,
      seedMs,
    };
  } finally {
    await cloud.stop();
  }
};
