import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildCloudTrailRecord, matchesPattern, REPO_ROOT, toEventBridgeEnvelope } from '../../../tools/dev';

const projectPattern = (): Record<string, unknown> => {
  const document = parse(readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8'), {
    logLevel: 'silent',
  }) as { functions: { encryptStream: { events: { eventBridge?: { pattern: Record<string, unknown> } }[] } } };
  const rule = document.functions.encryptStream.events.find((event) => event.eventBridge !== undefined);
  if (rule?.eventBridge === undefined) throw new Error('no eventBridge pattern in serverless.yml');
  return rule.eventBridge.pattern;
};

const cloudTrailEnvelope = (overrides: { operation?: string; errorCode?: string } = {}): Record<string, unknown> => ({
  ...toEventBridgeEnvelope(
    buildCloudTrailRecord({
      operation: overrides.operation ?? 'CreateStream',
      account: '111111111111',
      region: 'eu-west-1',
      accessKeyId: '111111111111',
      request: { StreamName: 'orders', ShardCount: 1 },
      ...(overrides.errorCode === undefined ? {} : { errorCode: overrides.errorCode, errorMessage: 'failed' }),
    })
  ),
});

describe('matchesPattern', () => {
  describe('project rule from serverless.yml', () => {
    it.each([
      { name: 'a successful CreateStream record', event: cloudTrailEnvelope(), expected: true },
      {
        name: 'a CreateStream record with errorCode',
        event: cloudTrailEnvelope({ errorCode: 'ResourceInUseException' }),
        expected: false,
      },
      { name: 'a DeleteStream record', event: cloudTrailEnvelope({ operation: 'DeleteStream' }), expected: false },
      { name: 'another source', event: { ...cloudTrailEnvelope(), source: 'aws.s3' }, expected: false },
      {
        name: 'another detail-type',
        event: { ...cloudTrailEnvelope(), 'detail-type': 'Stream Encrypted' },
        expected: false,
      },
    ])('$name → $expected', ({ event, expected }) => {
      // Prepare
      const pattern = projectPattern();

      // Act
      const matched = matchesPattern(pattern, event);

      // Assess
      expect(matched).toBe(expected);
    });
  });

  it.each([
    // exact values
    { name: 'string in list', pattern: { a: ['x', 'y'] }, event: { a: 'y' }, expected: true },
    { name: 'string not in list', pattern: { a: ['x'] }, event: { a: 'z' }, expected: false },
    { name: 'number', pattern: { a: [5] }, event: { a: 5.0 }, expected: true },
    { name: 'number is not its string', pattern: { a: [5] }, event: { a: '5' }, expected: false },
    { name: 'null value', pattern: { a: [null] }, event: { a: null }, expected: true },
    { name: 'null does not match a missing field', pattern: { a: [null] }, event: {}, expected: false },
    { name: 'missing field', pattern: { a: ['x'] }, event: { b: 'x' }, expected: false },
    { name: 'event array, any element', pattern: { a: ['x'] }, event: { a: ['w', 'x'] }, expected: true },
    { name: 'event array, no element', pattern: { a: ['x'] }, event: { a: ['w', 'v'] }, expected: false },
    // nesting
    { name: 'nested object', pattern: { d: { e: ['x'] } }, event: { d: { e: 'x', f: 1 } }, expected: true },
    { name: 'nested mismatch', pattern: { d: { e: ['x'] } }, event: { d: { e: 'y' } }, expected: false },
    { name: 'nested pattern, scalar in event', pattern: { d: { e: ['x'] } }, event: { d: 'x' }, expected: false },
    { name: 'array of objects', pattern: { d: { e: ['x'] } }, event: { d: [{ e: 'y' }, { e: 'x' }] }, expected: true },
    { name: 'all fields must match', pattern: { a: ['x'], b: ['y'] }, event: { a: 'x', b: 'z' }, expected: false },
    // exists
    { name: 'exists true, present', pattern: { a: [{ exists: true }] }, event: { a: 'x' }, expected: true },
    { name: 'exists true, absent', pattern: { a: [{ exists: true }] }, event: {}, expected: false },
    {
      name: 'exists true, object is no leaf',
      pattern: { a: [{ exists: true }] },
      event: { a: { b: 1 } },
      expected: false,
    },
    { name: 'exists false, absent', pattern: { a: [{ exists: false }] }, event: { b: 1 }, expected: true },
    { name: 'exists false, present', pattern: { a: [{ exists: false }] }, event: { a: 'x' }, expected: false },
    { name: 'exists false, present null', pattern: { a: [{ exists: false }] }, event: { a: null }, expected: false },
    { name: 'exists false, parent absent', pattern: { d: { e: [{ exists: false }] } }, event: {}, expected: true },
    // prefix / suffix
    { name: 'prefix', pattern: { a: [{ prefix: 'ord' }] }, event: { a: 'orders' }, expected: true },
    { name: 'prefix mismatch', pattern: { a: [{ prefix: 'ord' }] }, event: { a: 'Orders' }, expected: false },
    {
      name: 'prefix ignoring case',
      pattern: { a: [{ prefix: { 'equals-ignore-case': 'ORD' } }] },
      event: { a: 'orders' },
      expected: true,
    },
    { name: 'suffix', pattern: { a: [{ suffix: '.png' }] }, event: { a: 'x.png' }, expected: true },
    { name: 'suffix mismatch', pattern: { a: [{ suffix: '.png' }] }, event: { a: 'x.jpg' }, expected: false },
    { name: 'prefix on a number', pattern: { a: [{ prefix: '1' }] }, event: { a: 12 }, expected: false },
    // anything-but
    { name: 'anything-but value', pattern: { a: [{ 'anything-but': 'x' }] }, event: { a: 'y' }, expected: true },
    { name: 'anything-but same value', pattern: { a: [{ 'anything-but': 'x' }] }, event: { a: 'x' }, expected: false },
    { name: 'anything-but list', pattern: { a: [{ 'anything-but': ['x', 'y'] }] }, event: { a: 'y' }, expected: false },
    { name: 'anything-but absent', pattern: { a: [{ 'anything-but': 'x' }] }, event: {}, expected: false },
    {
      name: 'anything-but prefix',
      pattern: { a: [{ 'anything-but': { prefix: 'tmp-' } }] },
      event: { a: 'tmp-1' },
      expected: false,
    },
    {
      name: 'anything-but suffix',
      pattern: { a: [{ 'anything-but': { suffix: '-test' } }] },
      event: { a: 'orders' },
      expected: true,
    },
    // numeric
    { name: 'numeric range in', pattern: { a: [{ numeric: ['>', 0, '<=', 5] }] }, event: { a: 5 }, expected: true },
    { name: 'numeric range out', pattern: { a: [{ numeric: ['>', 0, '<=', 5] }] }, event: { a: 0 }, expected: false },
    { name: 'numeric equals', pattern: { a: [{ numeric: ['=', 3] }] }, event: { a: 3 }, expected: true },
    { name: 'numeric on a string', pattern: { a: [{ numeric: ['>', 0] }] }, event: { a: '3' }, expected: false },
    // equals-ignore-case / wildcard
    {
      name: 'equals-ignore-case',
      pattern: { a: [{ 'equals-ignore-case': 'CreateStream' }] },
      event: { a: 'createstream' },
      expected: true,
    },
    {
      name: 'wildcard',
      pattern: { a: [{ wildcard: 'arn:*:stream/o*s' }] },
      event: { a: 'arn:aws:kinesis:stream/orders' },
      expected: true,
    },
    { name: 'wildcard mismatch', pattern: { a: [{ wildcard: '*.png' }] }, event: { a: 'x.jpg' }, expected: false },
    { name: 'wildcard escaped star', pattern: { a: [{ wildcard: 'a\\*' }] }, event: { a: 'ab' }, expected: false },
    // $or and OR inside one field
    { name: 'or within a field', pattern: { a: ['x', { prefix: 'y' }] }, event: { a: 'yes' }, expected: true },
    { name: '$or first branch', pattern: { $or: [{ a: ['x'] }, { b: ['y'] }] }, event: { a: 'x' }, expected: true },
    { name: '$or no branch', pattern: { $or: [{ a: ['x'] }, { b: ['y'] }] }, event: { a: 'y' }, expected: false },
    // invalid patterns never match
    { name: 'scalar leaf is invalid', pattern: { a: 'x' }, event: { a: 'x' }, expected: false },
    { name: 'pattern not an object', pattern: ['x'], event: { a: 'x' }, expected: false },
  ])('$name → $expected', ({ pattern, event, expected }) => {
    // Act
    const matched = matchesPattern(pattern, event);

    // Assess
    expect(matched).toBe(expected);
  });

  it('accepts the pattern as JSON text', () => {
    // Prepare
    const pattern = JSON.stringify({ source: ['aws.kinesis'] });

    // Act
    const matched = matchesPattern(pattern, { source: 'aws.kinesis' });

    // Assess
    expect(matched).toBe(true);
  });
});
