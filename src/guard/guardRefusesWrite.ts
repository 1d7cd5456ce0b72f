import { PolicyTag } from '../domain/streamPolicy';
import { GUARD_TAG_KEY } from '../domain/writeGuard';

/** The value of a tag whose key matches `key` without case, as IAM matches `aws:ResourceTag/<key>`; else undefined. */
const tagValue = (tags: Readonly<Record<string, string>>, key: string): string | undefined => {
  const wanted = key.toLowerCase();
  const found = Object.keys(tags).find((candidate) => candidate.toLowerCase() === wanted);
  return found === undefined ? undefined : tags[found];
};

/**
 * Whether the write guard's SCP (statement `NoWriteUnguarded` of guardPolicy.ts) refuses a producer's PutRecord /
 * PutRecords on a stream with these tags: no guard tag `kinesis-auto-encrypt:encrypted` (any value, the key matched
 * without case as IAM does), and, when exemptions are allowed, no `kinesis-auto-encrypt:exempt` equal to `true`
 * without case. The prepare report's "enforce would refuse"; test/unit/guard/guardRefusesWrite.simulate.test.ts proves
 * it agrees with the generated policy evaluated by IAM's rules.
 */
export const guardRefusesWrite = (
  tags: Readonly<Record<string, string>>,
  options: { allowExemptions: boolean }
): boolean => {
  if (tagValue(tags, GUARD_TAG_KEY) !== undefined) return false;
  return !(options.allowExemptions && tagValue(tags, PolicyTag.Exempt)?.toLowerCase() === 'true');
};
