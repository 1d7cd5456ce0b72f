/**
 * EventBridge event pattern matching: exact values (strings, numbers, null), nested objects,
 * `exists`, `prefix`, `suffix`, `anything-but`, `numeric`, `equals-ignore-case`, `wildcard`
 * and `$or`. An array in the event matches when any of its elements matches.
 */
import { isRecord } from './isRecord';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Matcher = Json;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const wildcardRegExp = (pattern: string): RegExp => {
  // `\*` is a literal star; `*` matches any run of characters.
  const parts = pattern.split(/(\\\*|\*)/);
  const source = parts.map((part) => (part === '*' ? '.*' : part === '\\*' ? '\\*' : escapeRegExp(part))).join('');
  return new RegExp(`^${source}$`, 's');
};

/** `prefix`/`suffix` accept a string or `{ "equals-ignore-case": string }`. */
const affixMatches = (spec: unknown, value: string, test: (value: string, affix: string) => boolean): boolean => {
  if (typeof spec === 'string') return test(value, spec);
  if (isRecord(spec) && typeof spec['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), spec['equals-ignore-case'].toLowerCase());
  }
  return false;
};

const NUMERIC_TESTS: Record<string, (value: number, bound: number) => boolean> = {
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '=': (value, bound) => value === bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};

const numericMatches = (spec: unknown, value: number): boolean => {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0) return false;
  for (let index = 0; index < spec.length; index += 2) {
    const test = NUMERIC_TESTS[String(spec[index])];
    const bound = spec[index + 1];
    if (test === undefined || typeof bound !== 'number' || !test(value, bound)) return false;
  }
  return true;
};

const anythingButMatches = (spec: unknown, value: Json): boolean => {
  if (Array.isArray(spec)) return !spec.some((excluded) => scalarEquals(excluded as Json, value));
  if (isRecord(spec)) {
    if (typeof value !== 'string') return false;
    if ('prefix' in spec) return !affixMatches(spec.prefix, value, (text, affix) => text.startsWith(affix));
    if ('suffix' in spec) return !affixMatches(spec.suffix, value, (text, affix) => text.endsWith(affix));
    if ('equals-ignore-case' in spec) {
      const excluded = Array.isArray(spec['equals-ignore-case'])
        ? spec['equals-ignore-case']
        : [spec['equals-ignore-case']];
      return !excluded.some((item) => typeof item === 'string' && item.toLowerCase() === value.toLowerCase());
    }
    if ('wildcard' in spec) {
      const excluded = Array.isArray(spec.wildcard) ? spec.wildcard : [spec.wildcard];
      return !excluded.some((item) => typeof item === 'string' && wildcardRegExp(item).test(value));
    }
    return false;
  }
  return !scalarEquals(spec as Json, value);
};

const scalarEquals = (expected: Json, value: Json): boolean => expected === value;

/** Whether one matcher of a pattern array matches one scalar event value. */
const valueMatches = (matcher: Matcher, value: Json): boolean => {
  if (!isRecord(matcher)) return scalarEquals(matcher, value);
  if ('exists' in matcher) return matcher.exists === true;
  if ('prefix' in matcher) {
    return typeof value === 'string' && affixMatches(matcher.prefix, value, (text, affix) => text.startsWith(affix));
  }
  if ('suffix' in matcher) {
    return typeof value === 'string' && affixMatches(matcher.suffix, value, (text, affix) => text.endsWith(affix));
  }
  if ('equals-ignore-case' in matcher) {
    return (
      typeof value === 'string' &&
      typeof matcher['equals-ignore-case'] === 'string' &&
      value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase()
    );
  }
  if ('wildcard' in matcher) {
    return (
      typeof value === 'string' && typeof matcher.wildcard === 'string' && wildcardRegExp(matcher.wildcard).test(value)
    );
  }
  if ('numeric' in matcher) return typeof value === 'number' && numericMatches(matcher.numeric, value);
  if ('anything-but' in matcher) return anythingButMatches(matcher['anything-but'], value);
  return false;
};

/** Leaf values of an event field: the scalar itself, or the scalar elements of an array. */
const leafValues = (value: unknown): Json[] => {
  if (Array.isArray(value))
    return value.flatMap((item) => (isRecord(item) || Array.isArray(item) ? [] : [item as Json]));
  if (isRecord(value)) return [];
  return [value as Json];
};

/** A pattern array matches a field when any matcher matches any of its leaf values. */
const fieldMatches = (matchers: Matcher[], value: unknown): boolean => {
  const values = value === undefined ? [] : leafValues(value);
  return matchers.some((matcher) => {
    if (isRecord(matcher) && 'exists' in matcher) {
      return matcher.exists === true ? values.length > 0 : value === undefined;
    }
    return values.some((item) => valueMatches(matcher, item));
  });
};

const objectMatches = (pattern: Record<string, unknown>, event: unknown): boolean => {
  if (Array.isArray(event)) return event.some((item) => objectMatches(pattern, item));
  const fields = isRecord(event) ? event : {};
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      return Array.isArray(expected) && expected.some((branch) => isRecord(branch) && objectMatches(branch, event));
    }
    const value = fields[key];
    if (Array.isArray(expected)) return fieldMatches(expected as Matcher[], value);
    if (isRecord(expected)) return objectMatches(expected, value);
    return false;
  });
};

/** Whether `event` matches the EventBridge `pattern` (an object or its JSON text). */
export const matchesPattern = (pattern: unknown, event: unknown): boolean => {
  const parsed = typeof pattern === 'string' ? (JSON.parse(pattern) as unknown) : pattern;
  return isRecord(parsed) && objectMatches(parsed, event);
};
