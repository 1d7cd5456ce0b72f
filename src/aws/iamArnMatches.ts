import { iamPatternMatches } from './iamPatternMatches';

/** The six colon-delimited parts of an ARN (the last keeps its own colons), or undefined. */
const partsOf = (arn: string): string[] | undefined => {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
};

/**
 * ArnEquals / ArnLike: each of the six colon-delimited parts is matched separately, each may hold
 * `*` and `?` (IAM condition operators, ARN). A pattern or value with fewer than six parts (even
 * `*`) matches nothing, as in iam-simulate.
 */
export const iamArnMatches = (pattern: string, arn: string): boolean => {
  const wanted = partsOf(pattern);
  const actual = partsOf(arn);
  if (wanted === undefined || actual === undefined) return false;
  return wanted.every((part, index) => iamPatternMatches(part, actual[index] ?? ''));
};
