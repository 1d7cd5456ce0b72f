import { type Policy, type StreamTags, tagKeyOf } from './streamPolicy';

/**
 * How a stream stands against the policy: a fact about the stream, apart from what a run did to it (its outcome).
 * Headline counts (report totals, Sweep Completed, metrics, alarms) count compliance.
 */
export const Compliance = {
  /** KMS with the desired key, or with another key the policy accepts (a team's own key, foreign keys not overridden). */
  Compliant: 'Compliant',
  /** Unencrypted, or a KMS key the policy rejects. */
  NonCompliant: 'NonCompliant',
  /** Exempt by tag (exemptions allowed): not judged. */
  Exempt: 'Exempt',
  /** Could not be judged: never read, unreadable, gone or being deleted. */
  NotChecked: 'NotChecked',
} as const;

export type Compliance = (typeof Compliance)[keyof typeof Compliance];

/**
 * Whether the policy accepts a KMS key other than the desired one: foreign keys are not overridden and the desired
 * key is not asked for by the stream's key tag (a key tag, even an invalid one, asks for that key).
 */
export const acceptsOtherKeys = (policy: Policy, tags: StreamTags): boolean =>
  !policy.overrideForeignKeys && tagKeyOf(tags, policy) === undefined;
