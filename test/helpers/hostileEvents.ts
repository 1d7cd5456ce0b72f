import { createStreamEvent } from './createStreamEvent';

/** Deterministic PRNG (mulberry32) so the generated corpus is the same on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const HOSTILE_VALUES: unknown[] = [
  null,
  42,
  -1,
  true,
  [],
  {},
  '',
  ' ',
  'x'.repeat(300_000),
  '\u0000',
  '💥🔥',
  'strëam',
  "'; DROP TABLE streams; --",
  '${jndi:ldap://evil/a}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '{{7*7}}',
  'arn:aws:kinesis:us-east-1:123456789012:stream/other',
  { $ne: null },
  { __proto__: { polluted: true } },
  Number.NaN,
];

/** Values that do not read as an absent optional field. */
const HOSTILE_NOT_ABSENT = HOSTILE_VALUES.filter(
  (value) => value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
);

const PATHS: string[][] = [
  ['detail', 'requestParameters', 'streamName'],
  ['detail', 'eventID'],
  ['detail', 'eventName'],
  ['detail', 'eventSource'],
  ['detail', 'eventVersion'],
  ['detail', 'awsRegion'],
  ['detail', 'eventTime'],
  ['detail', 'recipientAccountId'],
  ['detail', 'requestParameters'],
  ['detail'],
  ['source'],
  ['detail-type'],
  ['account'],
];

const setPath = (target: Record<string, unknown>, path: string[], value: unknown): void => {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
};

/**
 * `count` malformed or hostile events: wrong types, missing fields, huge strings, invalid stream
 * names, unicode, injection-shaped values, other eventNames, errorCode present, non-objects.
 */
export const hostileEvents = (count: number, seed = 20261125): Array<{ label: string; event: unknown }> => {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const fixed: Array<{ label: string; event: unknown }> = [
    { label: 'undefined', event: undefined },
    { label: 'null', event: null },
    { label: 'string', event: 'CreateStream' },
    { label: 'array', event: [createStreamEvent()] },
    {
      label: 'errorCode present',
      event: createStreamEvent({ detail: { errorCode: 'ResourceInUseException', errorMessage: 'exists' } }),
    },
    { label: 'errorCode AccessDenied', event: createStreamEvent({ detail: { errorCode: 'AccessDenied' } }) },
    ...['DeleteStream', 'UpdateShardCount', 'PutRecord', 'createstream', 'CreateStream '].map((eventName) => ({
      label: `eventName ${eventName}`,
      event: createStreamEvent({ detail: { eventName } }),
    })),
  ];
  const generated: Array<{ label: string; event: unknown }> = [];
  while (fixed.length + generated.length < count) {
    const event = createStreamEvent() as unknown as Record<string, unknown>;
    const path = pick(PATHS);
    // recipientAccountId is optional: absent, null, empty or [] is a record without it (src/events/optionalFields.ts).
    const optional = path.join('.') === 'detail.recipientAccountId';
    const value = next() < 0.15 && !optional ? undefined : pick(optional ? HOSTILE_NOT_ABSENT : HOSTILE_VALUES);
    setPath(event, path, value);
    if (next() < 0.3) setPath(event, pick(PATHS), pick(HOSTILE_VALUES));
    const shown =
      typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : String(JSON.stringify(value)).slice(0, 20);
    generated.push({ label: `${path.join('.')} = ${shown}`, event });
  }
  return [...fixed, ...generated].slice(0, count);
};
