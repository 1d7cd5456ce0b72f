import {
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  StopStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import type { CompletionDetail } from '../../src/completion/completionDetail';
import type { BusEvent, LocalCloud } from '../../tools/dev';
import { isCompletionEvent, streamNameOf } from '../../tools/dev';
import type { CallCounter } from './callCounter';
import { benchClient, keyOf, percentile, runScenario, type ScenarioPlan, sleep } from './scenario';

/** One drift load: streams encrypted by the pipeline, then all decrypted at once. */
export interface DriftPlan {
  id: string;
  label: string;
  streams: ScenarioPlan['streams'];
}

/** Per-drift measurement. */
interface DriftMeasure {
  key: string;
  stoppedAt: number;
  repairedAt: number;
  measuredMs: number;
  overheadMs: number;
  /** StartStreamEncryption CloudTrail events of an assumed role (the pipeline's) after the stop. */
  applies: number;
  /** Completion events of the stream after the stop, any trigger (a reaction to the pipeline's own call shows here). */
  completions: number;
}

/** Aggregates of one drift load. */
export interface DriftResult {
  plan: DriftPlan;
  accounts: number;
  /** Not encrypted by the pipeline first, not stopped, or not repaired. */
  missing: string[];
  drifts: DriftMeasure[];
  floorMs: number;
  overheadMs: { p50: number; p95: number; max: number };
  applies: { min: number; max: number };
  completions: { min: number; max: number };
  /** Outcomes of the completion events with trigger StopStreamEncryption. */
  outcomes: Record<string, number>;
  wallMs: number;
}

interface CloudTrailDetail {
  eventName?: string;
  errorCode?: string;
  userIdentity?: { type?: string };
  requestParameters?: { streamName?: string; streamARN?: string } | null;
}

const streamOf = (detail: CloudTrailDetail): string => streamNameOf(detail.requestParameters) ?? '';

const range = (values: number[], whenMissing: boolean): { min: number; max: number } => ({
  min: whenMissing || values.length === 0 ? 0 : Math.min(...values),
  max: values.length === 0 ? 0 : Math.max(...values),
});

/**
 * Runs one drift load: creates the streams and waits for their `Stream Encrypted` completion, then calls
 * StopStreamEncryption on every one at once and measures each call → the repair's `Stream Encrypted`
 * completion (trigger StopStreamEncryption), over the floor: the stop's update + the re-apply's update
 * (+ the CloudTrail delivery delay).
 */
export const runDriftScenario = async (
  cloud: LocalCloud,
  counter: CallCounter,
  plan: DriftPlan,
  durations: { createMs: number; updateMs: number; cloudTrailDelayMs: number },
  log: (line: string) => void = () => undefined
): Promise<DriftResult> => {
  const started = Date.now();
  const created = await runScenario(
    cloud,
    counter,
    {
      id: plan.id,
      label: plan.label,
      streams: plan.streams,
      mode: 'concurrent',
      duplicateDeliveries: 1,
      keepStreams: true,
    },
    durations,
    log
  );
  const encrypted = created.streams.filter((stream) => stream.outcome === 'Encrypted');
  const missing = new Set(
    plan.streams
      .map(({ account, name }) => keyOf(account, name))
      .filter((key) => !encrypted.some((s) => keyOf(s.account, s.name) === key))
  );
  const wanted = new Set(encrypted.map((stream) => keyOf(stream.account, stream.name)));
  const accounts = [...new Set(plan.streams.map(({ account }) => account))];
  const clients = new Map<string, KinesisClient>(
    accounts.map((account) => [account, benchClient(cloud.endpoint, account)])
  );

  const stoppedAt = new Map<string, number>();
  const repaired = new Map<string, { at: number; outcome: string }>();
  const completions = new Map<string, number>();
  const applies = new Map<string, number>();
  const onEvent = (event: BusEvent): void => {
    const now = Date.now();
    if (event.source === 'aws.kinesis') {
      const detail = event.detail as CloudTrailDetail;
      const key = keyOf(event.account, streamOf(detail));
      if (!wanted.has(key) || !stoppedAt.has(key) || detail.errorCode !== undefined) return;
      if (detail.eventName === 'StartStreamEncryption' && detail.userIdentity?.type === 'AssumedRole')
        applies.set(key, (applies.get(key) ?? 0) + 1);
    } else if (isCompletionEvent(event)) {
      const detail = event.detail as unknown as CompletionDetail;
      const key = keyOf(detail.account ?? '', detail.streamName ?? '');
      if (!wanted.has(key) || !stoppedAt.has(key)) return;
      completions.set(key, (completions.get(key) ?? 0) + 1);
      // The first completion of the repair is measured (it must be `Stream Encrypted`).
      if (detail.trigger === 'StopStreamEncryption' && !repaired.has(key))
        repaired.set(key, { at: now, outcome: detail.outcome });
    }
  };

  cloud.bus.on('event', onEvent);
  try {
    // The key each stream carries, read before any stop so the stops go out together.
    const keys = await Promise.all(
      encrypted.map(async ({ account, name }) => {
        const { StreamDescriptionSummary } = await clients
          .get(account)!
          .send(new DescribeStreamSummaryCommand({ StreamName: name }));
        return StreamDescriptionSummary?.KeyId ?? '';
      })
    );
    await Promise.all(
      encrypted.map(async ({ account, name }, index) => {
        const key = keyOf(account, name);
        const at = Date.now();
        try {
          stoppedAt.set(key, at);
          await clients
            .get(account)!
            .send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: keys[index] }));
        } catch (error) {
          stoppedAt.delete(key);
          missing.add(key);
          log(`  StopStreamEncryption ${name}: ${String(error)}`);
        }
      })
    );
    log(`  ${plan.label}: ${stoppedAt.size} StopStreamEncryption calls made`);
    const deadline = Date.now() + 2 * durations.updateMs + durations.cloudTrailDelayMs + 60_000;
    while ([...stoppedAt.keys()].some((key) => repaired.get(key) === undefined) && Date.now() < deadline)
      await sleep(50);
    // Let duplicates and second reconciles (if any) happen so every apply is counted.
    await Promise.race([cloud.idle(), sleep(30_000)]);
    await sleep(200);
  } finally {
    cloud.bus.off('event', onEvent);
  }
  const wallMs = Date.now() - started;
  await Promise.allSettled(
    encrypted.map(({ account, name }) => clients.get(account)!.send(new DeleteStreamCommand({ StreamName: name })))
  );
  for (const client of clients.values()) client.destroy();

  const floorMs = 2 * durations.updateMs + durations.cloudTrailDelayMs;
  const drifts: DriftMeasure[] = [];
  for (const [key, at] of stoppedAt) {
    const done = repaired.get(key);
    if (done === undefined || done.outcome !== 'Encrypted') {
      missing.add(key);
      continue;
    }
    drifts.push({
      key,
      stoppedAt: at,
      repairedAt: done.at,
      measuredMs: done.at - at,
      overheadMs: done.at - at - floorMs,
      applies: applies.get(key) ?? 0,
      completions: completions.get(key) ?? 0,
    });
  }
  const overheads = drifts.map((drift) => drift.overheadMs);
  const outcomes: Record<string, number> = {};
  for (const done of repaired.values()) outcomes[done.outcome] = (outcomes[done.outcome] ?? 0) + 1;
  return {
    plan,
    accounts: accounts.length,
    missing: [...missing],
    drifts,
    floorMs,
    overheadMs: {
      p50: percentile(overheads, 50),
      p95: percentile(overheads, 95),
      max: overheads.length === 0 ? Number.NaN : Math.max(...overheads),
    },
    applies: range(
      [...stoppedAt.keys()].map((key) => applies.get(key) ?? 0),
      missing.size > 0
    ),
    completions: range(
      drifts.map((drift) => drift.completions),
      missing.size > 0
    ),
    outcomes,
    wallMs,
  };
};
