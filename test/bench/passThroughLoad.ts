import { join } from 'node:path';
import { type BenchDurations, benchCloudOptions, REPO_ROOT, startLocalCloud } from '../../tools/dev';
import { CallCounter } from './callCounter';
import { percentile, REGION, runScenario, type ScenarioPlan } from './scenario';

const PASS_THROUGH_FUNCTION = join(REPO_ROOT, 'test', 'bench', 'passThrough', 'encryptStream.ts');

/** What the local cloud alone takes on the headline load. */
export interface PassThroughResult {
  label: string;
  streams: number;
  /** CloudTrail delivery → completion event with the pass-through function, ms (p50 / p95). */
  latencyMs: { p50: number; p95: number };
  missing: number;
}

/**
 * The headline load again on a fresh local cloud whose function is the pass-through target
 * (test/bench/passThrough/encryptStream.ts: publishes the completion as soon as it is invoked), with the same
 * accounts, pacing, durations and warm execution environments: delivery → completion is then what the local cloud
 * itself adds (recorder, bus, rule, input transformer, invocation, PutEvents) on that load.
 */
export const runPassThroughLoad = async (
  plan: ScenarioPlan,
  durations: BenchDurations,
  warmInstances: number,
  log: (line: string) => void
): Promise<PassThroughResult> => {
  const accounts = [...new Set(plan.streams.map(({ account }) => account))];
  const cloud = await startLocalCloud({
    accounts,
    regions: [REGION],
    ...benchCloudOptions(durations),
    handlerPath: PASS_THROUGH_FUNCTION,
  });
  const counter = new CallCounter();
  counter.install(cloud.gateway);
  try {
    for (const account of accounts) await cloud.lambda.warm(account, REGION, warmInstances);
    await cloud.idle();
    const result = await runScenario(
      cloud,
      counter,
      {
        ...plan,
        id: `${plan.id}pt`,
        label: `${plan.label} pass-through`,
        streams: plan.streams.map((stream) => ({ ...stream, name: `${stream.name}-pt` })),
      },
      durations,
      log
    );
    const latencies = result.streams.map(({ measuredMs }) => measuredMs);
    return {
      label: plan.label,
      streams: plan.streams.length,
      latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
      missing: result.missing.length,
    };
  } finally {
    await cloud.stop();
  }
};
