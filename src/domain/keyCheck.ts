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

/** Whether a key's policy lets the principals of a deployment's account use it through Kinesis. */
export interface KeyPolicyPort {
  /** @throws {RetryableError} when KMS could not answer */
  check(keyArn: string, deployment: Deployment): Promise<{ usable: boolean; reason: string }>;
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
  deployment: Deployment;
  mode: KeyPolicyMode;
  /** Called with the reason when a policy fails in `warn` mode. */
  onWarning?: (reason: string) => void;
}

/**
 * Pre-flight for a KMS key before any StartStreamEncryption: it must exist, be Enabled, be a
 * symmetric ENCRYPT_DECRYPT key and not be pending deletion, otherwise producers would fail
 * (KMSAccessDenied / KMSDisabled on every PutRecord). Verdicts are cached per cold start for `ttlMs`.
 */
export class KeyCheck {
  readonly #keys: KeyPort;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #policies: KeyPolicyOptions | undefined;
  readonly #cache = new Map<string, { verdict: KeyVerdict; until: number }>();

  public constructor(keys: KeyPort, options: { ttlMs: number; now?: () => number; policies?: KeyPolicyOptions }) {
    this.#keys = keys;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#policies = options.policies;
  }

  /** @throws {RetryableError} when KMS could not answer (throttling, internal error) */
  public async check(keyId: string): Promise<KeyVerdict> {
    const cached = this.#cache.get(keyId);
    if (cached !== undefined && cached.until > this.#now()) return cached.verdict;
    const verdict = await this.#describe(keyId);
    this.#cache.set(keyId, { verdict, until: this.#now() + this.#ttlMs });
    return verdict;
  }

  /** Drops a cached verdict (e.g. after Kinesis reported a KMS error for the key). */
  public invalidate(keyId: string): void {
    this.#cache.delete(keyId);
  }

  async #describe(keyId: string): Promise<KeyVerdict> {
    let facts: KeyFacts;
    try {
      facts = await this.#keys.describeKey(keyId);
    } catch (error) {
      if (!(error instanceof KeyUnusableError)) throw error;
      return { usable: false, reason: `${error.message}; not applied`, error: errorSummary(error) };
    }
    const problems: string[] = [];
    if (facts.keyState !== 'Enabled' || !facts.enabled) problems.push(`state is ${facts.keyState}`);
    if (facts.keyUsage !== 'ENCRYPT_DECRYPT') problems.push(`usage is ${facts.keyUsage}, not ENCRYPT_DECRYPT`);
    if (facts.keySpec !== 'SYMMETRIC_DEFAULT') problems.push(`spec is ${facts.keySpec}, not SYMMETRIC_DEFAULT`);
    if (problems.length === 0) return this.#checkPolicy(keyId, facts);
    return {
      usable: false,
      reason: `KMS key ${keyId} (${facts.keyArn}) is unusable for Kinesis: ${problems.join(', ')}; not applied`,
      error: { name: 'KeyNotUsable', message: problems.join(', ') },
    };
  }

  /** Customer managed keys only: an AWS managed key's policy always serves its own account through Kinesis. */
  async #checkPolicy(keyId: string, facts: KeyFacts): Promise<KeyVerdict> {
    const policies = this.#policies;
    if (policies === undefined || policies.mode === KeyPolicyMode.Off || facts.keyManager !== 'CUSTOMER') {
      return { usable: true, facts };
    }
    const policy = await policies.port.check(facts.keyArn, policies.deployment);
    if (policy.usable) return { usable: true, facts };
    const reason = `KMS key ${keyId} (${facts.keyArn}) cannot serve the stream's producers and consumers: ${policy.reason}`;
    if (policies.mode === KeyPolicyMode.Warn) {
      policies.onWarning?.(reason);
      return { usable: true, facts };
    }
    return {
      usable: false,
      reason: `${reason}; not applied (KEY_POLICY_CHECK=enforce)`,
      error: { name: 'KeyPolicyDenies', message: policy.reason.slice(0, 1000) },
    };
  }
}
