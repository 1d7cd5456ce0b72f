import { cpus, loadavg } from 'node:os';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import type { CompletionDetail } from '../../src/completion/completionDetail';
import { SETTLE_SECONDS } from '../../src/domain/outcome';
import {
  type BenchDurations,
  type BusEvent,
  benchCloudOptions,
  ExposureLedger,
  type ExposureSummary,
  governedLocations,
  isCompletionEvent,
  localKinesisClients,
  organisationOf,
  type StreamProducer,
  startLocalCloud,
  startStreamProducer,
} from '../../tools/dev';

/** The CloudTrail delay of the exposure bench (the local CloudTrail recorder's), whatever the run's. */
const EXPOSURE_CLOUDTRAIL_DELAY_MS = 5000;

/** Both runs of the exposure bench. */
export interface ExposureBenchResult {
  streams: number;
  cloudTrailDelayMs: number;
  /** Detection alone: the pipeline, no SCP. */
  unguarded: ExposureSummary;
  /** The write guard's SCP on the gateway. */
  guarded: ExposureSummary;
  /** max(CREATING, CloudTrail delay) + update + settle: the earliest a guarded stream can take a record. */
  floorMs: number;
  /** p95 over the guarded streams of creation → first accepted write, minus the floor. */
  firstWriteOverFloorP95Ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One run: an organisation on the local cloud (with or without the write guard), `count` streams over the member
 * account-regions, each with a producer writing 10 records/s from the moment its CreateStream returns, until its
 * completion event and (guarded) its first accepted write.
 */
const runOnce = async (count: number, durations: BenchDurations, writeGuard: boolean): Promise<ExposureSummary> => {
  const org = organisationOf({});
  const locations = governedLocations(org).filter(({ account }) => account !== org.hubAccount);
  const cloud = await startLocalCloud({
    org: {},
    writeGuard,
    ...benchCloudOptions({ ...durations, cloudTrailDelayMs: EXPOSURE_CLOUDTRAIL_DELAY_MS }),
  });
  const clients = localKinesisClients(cloud.endpoint);
  const ledger = new ExposureLedger();
  const producers: StreamProducer[] = [];
  const completed = new Set<string>();
  const onEvent = (event: BusEvent): void => {
    if (!isCompletionEvent(event)) return;
    const detail = event.detail as unknown as CompletionDetail;
    const key = `${detail.account}/${detail.region}/${detail.streamName}`;
    completed.add(key);
    ledger.confirmed(key, detail);
  };
  cloud.bus.on('event', onEvent);
  try {
    const streams = Array.from({ length: count }, (_, index) => ({
      ...(locations[index % locations.length] ?? { account: org.hubAccount, region: org.hubRegion }),
      name: `exposure-${index}`,
    }));
    for (const stream of streams) {
      const client = clients.client(stream.account, stream.region);
      // kinesis-local allows 5 streams CREATING in the whole emulator: wait for a slot.
      for (let attempt = 0; ; attempt++) {
        try {
          await client.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: 1 }));
          break;
        } catch (error) {
          if ((error as Error).name !== 'LimitExceededException' || attempt > 600) throw error;
          await sleep(200);
        }
      }
      const key = `${stream.account}/${stream.region}/${stream.name}`;
      const at = Date.now();
      ledger.created(key, at);
      producers.push(startStreamProducer(client, { key, name: stream.name }, ledger));
    }
    // A bound for a hang, not a schedule: done as soon as every stream completed and took a record.
    const deadline = Date.now() + 600_000;
    while ((completed.size < count || ledger.summary().streamsWithoutWrite > 0) && Date.now() < deadline) {
      await sleep(200);
    }
    await Promise.all(producers.map((producer) => producer.stop()));
    await cloud.idle();
    return ledger.summary();
  } finally {
    await Promise.all(producers.map((producer) => producer.stop()));
    cloud.bus.off('event', onEvent);
    clients.destroy();
    await cloud.stop();
  }
};

/**
 * The exposure bench: the same load without and with the write guard (CloudTrail delay
 * {@link EXPOSURE_CLOUDTRAIL_DELAY_MS}); records accepted unencrypted, writes refused, and the guarded streams' first
 * accepted write over the floor.
 */
export const runExposureBench = async (
  count: number,
  durations: BenchDurations,
  log: (line: string) => void
): Promise<ExposureBenchResult> => {
  log(`bench: exposure, ${count} streams in an organisation without the write guard…`);
  const unguarded = await runOnce(count, durations, false);
  log(`  ${unguarded.exposedRecords} records accepted unencrypted`);
  log(`bench: exposure, ${count} streams with the write guard…`);
  const guarded = await runOnce(count, durations, true);
  log(`  ${guarded.exposedRecords} records accepted unencrypted, ${guarded.refusedWrites} refused`);
  const floorMs =
    Math.max(durations.createMs, EXPOSURE_CLOUDTRAIL_DELAY_MS) + durations.updateMs + SETTLE_SECONDS * 1000;
  return {
    streams: count,
    cloudTrailDelayMs: EXPOSURE_CLOUDTRAIL_DELAY_MS,
    unguarded,
    guarded,
    floorMs,
    firstWriteOverFloorP95Ms: (guarded.firstWriteP95Seconds ?? Number.NaN) * 1000 - floorMs,
  };
};

/** The bench line's fields of the exposure bench. */
export const exposureFinalFields = (result: ExposureBenchResult | undefined): string =>
  result === undefined
    ? ''
    : ` exposure_records_unguarded=${result.unguarded.exposedRecords} exposure_records_guarded=${result.guarded.exposedRecords}` +
      ` first_write_p95_s=${(result.firstWriteOverFloorP95Ms / 1000).toFixed(3)} exposure_cloudtrail_delay_s=${result.cloudTrailDelayMs / 1000}`;

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The docs/benchmarks.md section of the exposure bench. */
export const exposureMarkdown = (result: ExposureBenchResult, load: string): string[] => [
  '## Exposure: records accepted unencrypted, with and without the write guard',
  '',
  `${result.streams} new streams in an organisation (hub + 3 members × 2 regions), each with a producer writing 10 records/s ` +
    'from the moment its CreateStream returns (a refused write is retried with the next call), CloudTrail delay ' +
    `${s(result.cloudTrailDelayMs)} (the local CloudTrail recorder's). A record is exposed when PutRecords answers ` +
    '`EncryptionType: NONE` or it was accepted less than 5 s after the stream was first seen ACTIVE with KMS. ' +
    `Machine load during the run: ${load}. Option \`--exposure <n>\` (streams; default 12, 6 with \`--quick\`; 0 = none).`,
  '',
  '| run | records accepted unencrypted | writes refused by the write guard | first accepted write p95 after creation |',
  '| --- | --- | --- | --- |',
  `| detection alone | ${result.unguarded.exposedRecords} | ${result.unguarded.refusedWrites} | ${result.unguarded.firstWriteP95Seconds?.toFixed(1) ?? 'n/a'} s |`,
  `| write guard (\`--write-guard\`) | ${result.guarded.exposedRecords} | ${result.guarded.refusedWrites} | ${result.guarded.firstWriteP95Seconds?.toFixed(1) ?? 'n/a'} s |`,
  '',
  `With the guard the first accepted write comes ${s(result.firstWriteOverFloorP95Ms)} (p95) after the floor of ` +
    `${s(result.floorMs)}: CREATING and the CloudTrail delay as they overlap (the later of the two), the encryption ` +
    'update and the 5 s settle.',
  '',
  `Bench line fields: \`${exposureFinalFields(result).trim()}\`.`,
  '',
];

/** The machine's load as `uptime` says it, with its cores: a figure measured under load says so. */
export const loadNow = (): string =>
  `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')} on ${cpus().length} cores`;
