import { classifyKeyId } from './keyId';

/** Prefix of every tag the policy reads; a tag change without one cannot change a decision. */
export const POLICY_TAG_PREFIX = 'kinesis-auto-encrypt:';

/** Tags that steer the policy for one stream. */
export const PolicyTag = {
  /** `true` → the stream is left as it is (`Exempt`). */
  Exempt: 'kinesis-auto-encrypt:exempt',
  /** Why it is exempt, reported with the exemption. */
  ExemptReason: 'kinesis-auto-encrypt:exempt-reason',
  /** A KeyId (any of the five forms): that stream's desired key. */
  Key: 'kinesis-auto-encrypt:key',
} as const;

/** `enforce` changes streams; `audit` never does and reports what it would change. */
export const Mode = { Enforce: 'enforce', Audit: 'audit' } as const;

export type Mode = (typeof Mode)[keyof typeof Mode];

/** Rules the operator configured. */
export interface Policy {
  mode: Mode;
  /** Replace a team's own KMS key with the desired one (costs one of the stream's 25 key changes per 24 h). */
  overrideForeignKeys: boolean;
  /** Seconds to leave an IaC-created stream to its engine after ACTIVE before applying (0 = apply at once). */
  iacGraceSeconds: number;
  /** Honour {@link PolicyTag.Exempt}. */
  allowExemptions: boolean;
  /** Honour {@link PolicyTag.Key}. */
  allowKeyTags: boolean;
  /** Key applications of the 25 per stream per 24 h never spent by the pipeline (kept for people fixing a key). */
  keyBudgetReserve: number;
  /** Drift repairs per stream per 24 h before the stream is left alone and reported as flapping. */
  maxDriftRepairsPerDay: number;
}

/** Tags of a stream, as Kinesis lists them. */
export type StreamTags = Readonly<Record<string, string>>;

/** An exemption the policy honours, with what it reports. */
export interface Exemption {
  reason: string;
  tags: Record<string, string>;
}

/** The honoured exemption of a stream, or undefined. */
export const exemptionOf = (tags: StreamTags, policy: Policy): Exemption | undefined => {
  if (tags[PolicyTag.Exempt]?.trim().toLowerCase() !== 'true' || !policy.allowExemptions) return undefined;
  const why = tags[PolicyTag.ExemptReason];
  const kept = Object.fromEntries(Object.entries(tags).filter(([key]) => key.startsWith(POLICY_TAG_PREFIX)));
  return {
    reason: `Exempt by tag ${PolicyTag.Exempt}=true${why === undefined ? '' : ` (${PolicyTag.ExemptReason}: ${why})`}; no call made`,
    tags: kept,
  };
};

/** What the key tag asks for: nothing, a KeyId, or a value that is none of the five forms. */
export type TagKey = { keyId: string } | { invalid: string } | undefined;

/** The stream's desired key from {@link PolicyTag.Key}, when the policy honours it. */
export const tagKeyOf = (tags: StreamTags, policy: Policy): TagKey => {
  const value = tags[PolicyTag.Key]?.trim();
  if (value === undefined || value === '' || !policy.allowKeyTags) return undefined;
  return classifyKeyId(value) === undefined ? { invalid: value } : { keyId: value };
};
