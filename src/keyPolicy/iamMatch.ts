/**
 * IAM matching, as far as the key policy evaluator needs it: wildcard patterns, ARNs and Condition
 * blocks. Pure: no AWS call.
 */

const SPECIAL = /[.+^${}()|[\]\\]/g;

/**
 * IAM wildcard match of a whole value: `*` is any run of characters, `?` any one character
 * (actions, resources, StringLike). Case-sensitive unless `ignoreCase` (actions are not case-sensitive).
 */
export const iamPatternMatches = (pattern: string, value: string, ignoreCase = false): boolean => {
  const source = pattern.replace(SPECIAL, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
};

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
const iamArnMatches = (pattern: string, arn: string): boolean => {
  const wanted = partsOf(pattern);
  const actual = partsOf(arn);
  if (wanted === undefined || actual === undefined) return false;
  return wanted.every((part, index) => iamPatternMatches(part, actual[index] ?? ''));
};

/** A statement's Condition block: operator → condition key → values (an OR list). */
export type IamCondition = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/**
 * What is known of the request: keys (lower case) mapped to their value — a list for a multivalued key such as
 * `kms:EncryptionContextKeys` —, or to `undefined` when the key is known to be absent. A key that is not in the
 * map is unknown.
 */
export type IamRequestContext = ReadonlyMap<string, string | readonly string[] | undefined>;

/**
 * `yes`/`no` when decided from known keys; `unknown` when it depends on the keys in `unknownKeys`. `failedKeys`
 * names the keys whose condition does not hold (when `no`).
 */
export interface IamConditionOutcome {
  holds: 'yes' | 'no' | 'unknown';
  unknownKeys: string[];
  failedKeys: string[];
}

type Match = (conditionValue: string, requestValue: string) => boolean;

/** Base operators evaluated here, with their value match and whether they are negated. */
const OPERATORS: Readonly<Record<string, { match: Match; negated: boolean }>> = {
  stringequals: { match: (c, r) => c === r, negated: false },
  stringnotequals: { match: (c, r) => c === r, negated: true },
  stringequalsignorecase: { match: (c, r) => c.toLowerCase() === r.toLowerCase(), negated: false },
  stringnotequalsignorecase: { match: (c, r) => c.toLowerCase() === r.toLowerCase(), negated: true },
  stringlike: { match: (c, r) => iamPatternMatches(c, r), negated: false },
  stringnotlike: { match: (c, r) => iamPatternMatches(c, r), negated: true },
  arnequals: { match: iamArnMatches, negated: false },
  arnlike: { match: iamArnMatches, negated: false },
  arnnotequals: { match: iamArnMatches, negated: true },
  arnnotlike: { match: iamArnMatches, negated: true },
  bool: { match: (c, r) => c.toLowerCase() === r.toLowerCase(), negated: false },
};

type Decision = boolean | 'unknown';

interface Operator {
  base: string;
  set: 'ForAnyValue' | 'ForAllValues' | undefined;
  ifExists: boolean;
}

const parseOperator = (name: string): Operator => {
  const lower = name.toLowerCase();
  const [set, rest] = lower.startsWith('foranyvalue:')
    ? (['ForAnyValue', lower.slice('foranyvalue:'.length)] as const)
    : lower.startsWith('forallvalues:')
      ? (['ForAllValues', lower.slice('forallvalues:'.length)] as const)
      : ([undefined, lower] as const);
  const ifExists = rest.endsWith('ifexists') && rest !== 'ifexists';
  return { base: ifExists ? rest.slice(0, -'ifexists'.length) : rest, set, ifExists };
};

/**
 * One operator on one key. A single value is a set of one for `ForAnyValue:` / `ForAllValues:`; a multivalued
 * key without a set operator never matches (IAM requires the set operator; iam-simulate agrees).
 */
const decide = (operator: Operator, values: readonly string[], key: string, context: IamRequestContext): Decision => {
  if (!context.has(key.toLowerCase())) return 'unknown';
  const requestValue = context.get(key.toLowerCase());
  if (operator.base === 'null') {
    return values.some((value) => (value.toLowerCase() === 'true') === (requestValue === undefined));
  }
  const known = OPERATORS[operator.base];
  // Numeric, Date, IpAddress, Binary and policy variables are not evaluated here.
  if (known === undefined || values.some((value) => value.includes('${'))) return 'unknown';
  if (requestValue === undefined) {
    // Absent key: IfExists and ForAllValues hold; ForAnyValue does not; otherwise only a negated operator holds.
    if (operator.ifExists || operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return known.negated;
  }
  // The base operator on one request value: a negated operator holds when no condition value matches it.
  const holdsFor = (one: string): boolean => values.some((value) => known.match(value, one)) !== known.negated;
  const requestValues = typeof requestValue === 'string' ? [requestValue] : requestValue;
  if (operator.set === 'ForAnyValue') return requestValues.some(holdsFor);
  if (operator.set === 'ForAllValues') return requestValues.every(holdsFor);
  return typeof requestValue === 'string' && holdsFor(requestValue);
};

/**
 * Evaluates a Condition block against what is known of the request: all operators and all keys
 * must hold (AND), any value of a key may match (OR). Supports the String, Arn, Bool and Null
 * operators with `ForAnyValue:` / `ForAllValues:` and `...IfExists`; anything else is `unknown`.
 */
export const iamConditionMatches = (condition: IamCondition, context: IamRequestContext): IamConditionOutcome => {
  const unknownKeys: string[] = [];
  const failedKeys: string[] = [];
  for (const [operatorName, keys] of Object.entries(condition)) {
    const operator = parseOperator(operatorName);
    for (const [key, values] of Object.entries(keys)) {
      const decision = decide(operator, values, key, context);
      if (decision === 'unknown') unknownKeys.push(key);
      else if (!decision) failedKeys.push(key);
    }
  }
  if (failedKeys.length > 0) return { holds: 'no', unknownKeys, failedKeys };
  return { holds: unknownKeys.length > 0 ? 'unknown' : 'yes', unknownKeys, failedKeys };
};
