import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusEvent } from '@kinesis-auto-encrypt/local-cloud';
import { Outcome } from '../../../src/domain/outcome';
import { completionEventsFile, isStreamCompletion } from '../../../tools/dev/completionEvents';
import type { LocalCloud } from '../../../tools/dev/localCloud';
import { StreamWatcher } from '../../../tools/dev/streamWatcher';
import { completionEvent, completionFixture } from '../../helpers/completionFixture';

const encrypted = completionEvent(completionFixture(Outcome.Encrypted, { eventId: 'create-1' })) as BusEvent;
const repaired = completionEvent(
  completionFixture(Outcome.Encrypted, {
    eventId: 'stop-1',
    trigger: 'StopStreamEncryption',
    actor: 'arn:aws:iam::123456789012:user/alice',
  })
) as BusEvent;
const cloudTrail: BusEvent = {
  version: '0',
  id: 'ct-1',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.kinesis',
  account: '123456789012',
  time: '2026-12-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { eventName: 'CreateStream', requestParameters: { streamName: 'orders' } },
};
const sweepCompleted: BusEvent = { ...encrypted, id: 'sweep-1', 'detail-type': 'Sweep Completed', detail: {} };

describe('isStreamCompletion', () => {
  it.each([
    { name: 'Stream Encrypted', event: encrypted, expected: true },
    { name: 'Stream Skipped', event: completionEvent(completionFixture(Outcome.Skipped)) as BusEvent, expected: true },
    { name: 'Event Rejected', event: completionEvent(completionFixture(Outcome.Rejected)) as BusEvent, expected: true },
    { name: 'Sweep Completed (same source, not a stream)', event: sweepCompleted, expected: false },
    { name: 'a CloudTrail event', event: cloudTrail, expected: false },
  ])('$name → $expected', ({ event, expected }) => {
    // Act
    const result = isStreamCompletion(event);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('completionEventsFile (npm start -- --events-file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'events-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends each completion event as published, one JSON line each, after what the file held', () => {
    // Prepare
    const path = join(dir, 'events.jsonl');
    writeFileSync(path, '{"earlier":"run"}\n');
    const bus = new EventEmitter();
    bus.on('event', completionEventsFile(path));

    // Act
    for (const event of [cloudTrail, encrypted, sweepCompleted, repaired, repaired]) bus.emit('event', event);

    // Assess: every completion (a repeat too: the file is the bus), nothing else.
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line))).toEqual([
      { earlier: 'run' },
      encrypted,
      repaired,
      repaired,
    ]);
  });

  it('creates the file and its folder before any event', () => {
    // Prepare
    const path = join(dir, 'new', 'folder', 'events.jsonl');

    // Act
    completionEventsFile(path);

    // Assess
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});

describe('StreamWatcher completion lines', () => {
  it('prints one line per trigger: a completion published again for the same trigger is not printed twice', () => {
    // Prepare
    const bus = new EventEmitter();
    const lines: string[] = [];
    const cloud = { bus, endpoint: 'http://127.0.0.1:9' } as unknown as LocalCloud;
    const watcher = new StreamWatcher(cloud, (line) => lines.push(line), 0);
    const again = { ...encrypted, id: 'bus-create-1-redelivered' };

    // Act
    for (const event of [encrypted, cloudTrail, again, sweepCompleted, repaired, repaired]) bus.emit('event', event);
    watcher.stop();

    // Assess
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/● Encrypted +123456789012\/eu-west-1 orders {2}new stream \(CreateStream\)/);
    expect(lines[1]).toMatch(/orders {2}repaired: decrypted by user\/alice \(StopStreamEncryption\)/);
  });
});
