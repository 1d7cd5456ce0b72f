import type { Deployment } from '../domain/deployment';
import { AutoEncryptError } from '../domain/errors';
import type { KeyCheck } from '../domain/keyCheck';
import type { KeyIdSource } from '../domain/ports';

/** An account-region a run will list, with the key check bound to it. */
export interface PreflightTarget extends Deployment {
  ports: { keyCheck: KeyCheck };
}

/** A key the configuration names that cannot serve the account-regions it is configured for. */
export interface KeyPreflightFailure {
  /** The KeyId, or undefined when the configuration could not name one for these account-regions. */
  keyId: string | undefined;
  /** Where the key came from (`--key`, a stage's settings, the default, an SSM parameter's entry). */
  source: string;
  reason: string;
  /** The account-regions it was checked for. */
  places: { account: string; region: string }[];
}

/** A failure's one line: the key, where it came from, where it was checked, why. */
export const preflightMessage = (failure: KeyPreflightFailure): string => {
  const places = failure.places.map(({ account, region }) => `${account}/${region}`).join(', ');
  const key = failure.keyId === undefined ? 'no usable key' : `key ${failure.keyId}`;
  return `${key} (from ${failure.source}) cannot be used in ${places}: ${failure.reason}`;
};

type Verdict = { keyId: string | undefined; source: string; reason: string } | undefined;

const verdictFor = async (target: PreflightTarget, keys: KeyIdSource): Promise<Verdict> => {
  const { partition, account, region } = target;
  let chosen: { keyId: string; source: string };
  try {
    chosen = await keys.resolve({ partition, account, region });
  } catch (error) {
    if (!(error instanceof AutoEncryptError) || error.retryable) throw error;
    return { keyId: undefined, source: 'the key configuration', reason: error.message };
  }
  try {
    const verdict = await target.ports.keyCheck.checkKey(chosen.keyId);
    return verdict.usable ? undefined : { ...chosen, reason: verdict.reason };
  } catch {
    // KMS could not answer here (throttled, account unreachable): listing reports the account-region, the
    // per-stream check the key.
    return undefined;
  }
};

/**
 * The key pre-flight of a run, before any stream is listed: for every account-region, the key the configuration
 * names for it (a map entry, the default, `--key`) resolved as the pipeline resolves it and checked once with the
 * domain's {@link KeyCheck} there (exists, enabled, symmetric ENCRYPT_DECRYPT, not pending deletion; its policy is
 * judged per stream, since its conditions may name streams). Failures are grouped per key and source, each naming where it was checked.
 * @throws {RetryableError} when the key configuration could not be read (SSM)
 */
export const preflightKeys = async (
  targets: readonly PreflightTarget[],
  keys: KeyIdSource
): Promise<KeyPreflightFailure[]> => {
  const verdicts = await Promise.all(targets.map((target) => verdictFor(target, keys)));
  const failures = new Map<string, KeyPreflightFailure>();
  verdicts.forEach((verdict, index) => {
    const target = targets[index];
    if (verdict === undefined || target === undefined) return;
    const id = `${verdict.keyId}\u0000${verdict.source}`;
    const failure = failures.get(id) ?? { ...verdict, places: [] };
    failure.places.push({ account: target.account, region: target.region });
    failures.set(id, failure);
  });
  return [...failures.values()];
};
