import { acceptsOtherKeys, Compliance } from './compliance';
import { type Situation, supersedes } from './decide';
import { exemptionOf } from './streamPolicy';

/**
 * The compliance of the stream from what a reconcile learnt about it, whatever the outcome: a key that cannot be
 * applied leaves an unencrypted stream NonCompliant, a team's key left alone is Compliant.
 */
export const complianceOf = (s: Situation): Compliance => {
  const stream = s.stream;
  if (stream === undefined || stream === null || stream.status === 'DELETING') return Compliance.NotChecked;
  // The stream read is a newer stream of that name: its own trigger judges it.
  if (supersedes(stream, s.triggerTime)) return Compliance.NotChecked;
  // Tags unknown (unreadable): an exemption cannot be ruled out.
  if (s.tags === undefined) return Compliance.NotChecked;
  if (exemptionOf(s.tags, s.policy) !== undefined) return Compliance.Exempt;
  if (stream.encryptionType !== 'KMS' || stream.keyId === undefined) return Compliance.NonCompliant;
  if (s.keyMatches === true || acceptsOtherKeys(s.policy, s.tags)) return Compliance.Compliant;
  return Compliance.NonCompliant;
};
