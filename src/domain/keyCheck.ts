import type { Deployment } from './deployment';
import { type ErrorSummary, errorSummary } from './errorSummary';
import type { RetryableError } from './errors';
import { KeyUnusableError } from './failures';

/** KMS key facts used by the pre-flight check. */
export interface KeyFacts {
  keyArn: string;
  keyState: string;
  enabled: boolean;
  keyUsage: string;
  keySpec: string;
  keyManager: string;
}

/** KMS DescribeKey; throws {@link KeyUnusableError} when the key cannot be used, {@link RetryableError} when KMS could not answer. */
export interface KeyPort {
  describeKey(keyId: string): Promise<KeyFacts>;
}

/** The stream a key is checked for: Kinesis calls KMS for it with the encryption context `aws:kinesis:arn` = `streamArn`. */
export interface KeyStream extends Deployment {
  streamArn: string;
}

/** Whether a key policy lets principals of a stream's account produce to and consume from it, and why. */
interface KeyPolicyJudgement {
  usable: boolean;
  reason: string;
}

/** Judges a key policy read once for one stream, without any further call. */
export type KeyPolicyJudge = (stream: KeyStream) => KeyPolicyJudgement;

/** Reads a key's policy; the policy is then judged per stream (its conditions may name streams). */
export interface KeyPolicyPort {
  /**
   * Reads the policy of `keyArn` with the credentials of `deployment`'s account.
   * @throws {RetryableError} when KMS could not answer
   */
  policyOf(keyArn: string, deployment: Deployment): Promise<KeyPolicyJudge>;
}

/** Same key when the KeyIds are equal or both resolve to the same key ARN (KMS DescribeKey through the port). */
export const sameKey = async (keys: KeyPort, streamKeyId: string, expected: string): Promise<boolean> => {
  if (streamKeyId === expected) return true;
  try {
    const [a, b] = await Promise.all([keys.describeKey(streamKeyId), keys.describeKey(expected)]);
    return a.keyArn === b.keyArn;
  } catch {
    return false;
  }
};

/** Verdict of the key pre-flight. */
export type KeyVerdict = { usable: true; facts: KeyFacts } | { usable: false; reason: string; error: ErrorSummary };

/** What the key policy pre-flight does with a policy that does not let the account's producers use the key. */
export const KeyPolicyMode = { Enforce: 'enforce', Warn: 'warn', Off: 'off' } as const;

export type KeyPolicyMode = (typeof KeyPolicyMode)[keyof typeof KeyPolicyMode];

/** Key policy pre-flight settings of {@link KeyCheck}. */
export interface KeyPolicyOptions {
  port: KeyPolicyPort;
  /** Whose credentials read key policies (GetKeyPolicy has no cross-account use). */
  deployment: Deployment;
  mode: KeyPolicyMode;
  /** Called with the reason when a policy fails in `warn` mode. */
  onWarning?: (reason: string) => void;
}

/** What is cached per key: the DescribeKey verdict and, when the policy is checked, its judge. */
interface KeyEntry {
  verdict: KeyVerdict;
  judge?: KeyPolicyJudge;
}

/**
 * What a {@link KeyCheck} knows of each key, by KeyId, until when: data only (verdicts and parsed policies), so
 * several checks of one account-region (a sweep opening it again in each step) can share it.
 */
export type KeyCheckCache = Map<string, { entry: KeyEntry; until: number }>;

/**
 * Pre-flight for a KMS key before any StartStreamEncryption: it must exist, be Enabled, be a
 * symmetric ENCRYPT_DECRYPT key and not be pending deletion, otherwise producers would fail
 * (KMSAccessDenied / KMSDisabled on every PutRecord); and its policy must let some principal of the stream's
 * account produce to and consume from this stream. DescribeKey and the key policy are read once per key per
 * cold start for `ttlMs`; the policy is judged for every stream (its conditions may name streams).
 */
export class KeyCheck {
  readonly #keys: KeyPort;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #policies: KeyPolicyOptions | undefined;
  readonly #cache: KeyCheckCache;

  public constructor(
    keys: KeyPort,
    options: { ttlMs: number; now?: () => number; policies?: KeyPolicyOptions; cache?: KeyCheckCache }
  ) {
    this.#keys = keys;
    this.#cache = options.cache ?? new Map();
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#policies = options.policies;
  }

  /**
   * The verdict on key `keyId` for `stream`.
   * @throws {RetryableError} when KMS could not answer (throttling, internal error)
   */
  public async check(keyId: string, stream: KeyStream): Promise<KeyVerdict> {
    return this.#judge(keyId, await this.#entry(keyId), stream);
  }

  async #entry(keyId: string): Promise<KeyEntry> {
    const cached = this.#cache.get(keyId);
    if (cached !== undefined && cached.until > this.#now()) return cached.entry;
    const entry = await this.#read(keyId);
    this.#cache.set(keyId, { entry, until: this.#now() + this.#ttlMs });
    return entry;
  }

  /**
   * The verdict on key `keyId` itself, for no stream in particular: it exists, is enabled, symmetric
   * `ENCRYPT_DECRYPT` and not pending deletion (its policy is judged per stream by {@link check}).
   * @throws {RetryableError} when KMS could not answer (throttling, internal error)
   */
  public async checkKey(keyId: string): Promise<KeyVerdict> {
    return (await this.#entry(keyId)).verdict;
  }

  /** Drops what is cached of a key (e.g. after Kinesis reported a KMS error for it). */
  public invalidate(keyId: string): void {
    this.#cache.delete(keyId);
  }

  async #read(keyId: string): Promise<KeyEntry> {
    let facts: KeyFacts;
    try {
      facts = await this.#keys.describeKey(keyId);
    } catch (error) {
      if (!(error instanceof KeyUnusableError)) throw error;
      return { verdict: { usable: false, reason: `${error.message}; not applied`, error: errorSummary(error) } };
    }
    const problems: string[] = [];
    if (facts.keyState !== 'Enabled' || !facts.enabled) problems.push(`state is ${facts.keyState}`);
    if (facts.keyUsage !== 'ENCRYPT_DECRYPT') problems.push(`usage is ${facts.keyUsage}, not ENCRYPT_DECRYPT`);
    if (facts.keySpec !== 'SYMMETRIC_DEFAULT') problems.push(`spec is ${facts.keySpec}, not SYMMETRIC_DEFAULT`);
    if (problems.length > 0) {
      return {
        verdict: {
          usable: false,
          reason: `KMS key ${keyId} (${facts.keyArn}) is unusable for Kinesis: ${problems.join(', ')}; not applied`,
          error: { name: 'KeyNotUsable', message: problems.join(', ') },
        },
      };
    }
    // Customer managed keys only: an AWS managed key's policy always serves its own account through Kinesis.
    const policies = this.#policies;
    const verdict: KeyVerdict = { usable: true, facts };
    if (policies === undefined || policies.mode === KeyPolicyMode.Off || facts.keyManager !== 'CUSTOMER') {
      return { verdict };
    }
    return { verdict, judge: await policies.port.policyOf(facts.keyArn, policies.deployment) };
  }

  #judge(keyId: string, { verdict, judge }: KeyEntry, stream: KeyStream): KeyVerdict {
    const policies = this.#policies;
    if (!verdict.usable || judge === undefined || policies === undefined) return verdict;
    const policy = judge(stream);
    if (policy.usable) return verdict;
    const reason = `KMS key ${keyId} (${verdict.facts.keyArn}) cannot serve the stream's producers and consumers: ${policy.reason}`;
    if (policies.mode === KeyPolicyMode.Warn) {
      policies.onWarning?.(reason);
      return verdict;
    }
    return {
      usable: false,
      reason: `${reason}; not applied`,
      error: { name: 'KeyPolicyDenies', message: policy.reason.slice(0, 1000) },
    };
  }
}
