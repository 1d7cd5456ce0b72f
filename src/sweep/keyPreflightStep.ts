import { inPool } from '../audit/inPool';
import { type KeyPreflightFailure, preflightKeys, preflightMessage } from '../audit/keyPreflight';
import { labelledKeySource } from '../audit/keySourceLabel';
import type { KeyIdSource } from '../domain/ports';
import type { SweepAccountRegion } from './sweepAccountRegion';
import type { SweepState } from './sweepState';

/**
 * Step 0 of a deployed sweep, before any stream is listed: the key the configuration names for each
 * account-region (key map entry or default, as the pipeline resolves it) checked once there, `atOnce`
 * account-regions opened at a time. On failure the step is recorded in `state` with one error per account-region
 * naming the key and where it came from; the sweep then ends with that report and one `Sweep Completed`, no stream
 * listed.
 * @returns one message per failing key (none: the sweep goes on)
 */
export const keyPreflightStep = async (
  state: SweepState,
  accountRegions: readonly SweepAccountRegion[],
  keys: KeyIdSource,
  atOnce: number,
  now: () => number = Date.now
): Promise<string[]> => {
  const started = now();
  const labelled = labelledKeySource(keys);
  const failures = new Map<string, KeyPreflightFailure>();
  // A pool, not batches: one slow account-region (its AssumeRole, a throttled KMS) holds one place, not a batch.
  await inPool(accountRegions, atOnce, async (place) => {
    for (const failure of await preflightKeys([place.open().target], labelled)) {
      const id = `${failure.keyId}\u0000${failure.source}`;
      const known = failures.get(id);
      if (known === undefined) failures.set(id, failure);
      else known.places.push(...failure.places);
    }
  });
  if (failures.size === 0) return [];
  state.errors = [...failures.values()].flatMap((failure) =>
    failure.places.map((place) => ({ ...place, message: preflightMessage({ ...failure, places: [place] }) }))
  );
  state.steps.push({ startedAt: new Date(started).toISOString(), durationMs: now() - started, checked: 0 });
  state.step += 1;
  return [...failures.values()].map(preflightMessage);
};
