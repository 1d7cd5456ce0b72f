import { preflightKeys, preflightMessage } from '../audit/keyPreflight';
import { labelledKeySource } from '../audit/keySourceLabel';
import type { Planned } from '../audit/sweepTargets';
import type { KeyIdSource } from '../domain/ports';
import type { SweepState } from './sweepState';

/**
 * Step 0 of a deployed sweep, before any stream is listed: the key the configuration names for each planned
 * account-region (key map entry or default, as the pipeline resolves it) checked once there. On failure the step is
 * recorded in `state` with one error per account-region naming the key and where it came from; the sweep then ends
 * with that report and one `Sweep Completed`, no stream listed.
 * @returns one message per failing key (none: the sweep goes on)
 */
export const keyPreflightStep = async (
  state: SweepState,
  planned: readonly Planned[],
  keys: KeyIdSource,
  now: () => number = Date.now
): Promise<string[]> => {
  const started = now();
  const ready = planned.flatMap((entry) => ('error' in entry ? [] : [entry.target]));
  const failures = await preflightKeys(ready, labelledKeySource(keys));
  if (failures.length === 0) return [];
  state.errors = failures.flatMap((failure) =>
    failure.places.map((place) => ({ ...place, message: preflightMessage({ ...failure, places: [place] }) }))
  );
  state.steps.push({ startedAt: new Date(started).toISOString(), durationMs: now() - started, checked: 0 });
  state.step += 1;
  return failures.map(preflightMessage);
};
