import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { runDevCli, stopDevClis } from '../../helpers/devCli';

/*
 * Issue 23, item 5: `npm start -- --once --events-file <path>` appends every completion event of the demo to <path>,
 * one JSON line each as published on the bus, and the console prints one line per trigger, a drift repair saying so
 * and who decrypted. The demo's triggers (tools/dev/demo.ts): a CreateStream for each of its 8 streams; the owners of
 * clickstream and team-analytics encrypt them before CloudTrail delivers CreateStream, so their StartStreamEncryption
 * is a trigger of its own (the drift rule); inventory's owner decrypts it (StopStreamEncryption) and it is repaired.
 */

const LOCAL_USER = (account: string) => `arn:aws:iam::${account}:user/local`;

describe('npm start -- --once --events-file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'events-file-'));
  });
  afterAll(() => {
    stopDevClis();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per completion event; the console prints one line per trigger', async () => {
    // Prepare: a file from an earlier run, appended to.
    const path = join(dir, 'events.jsonl');
    writeFileSync(path, '{"earlier":"run"}\n');

    // Act
    const { code, stdout, stderr } = await runDevCli(
      '--once',
      '--events-file',
      path,
      '--create-ms',
      '300',
      '--update-ms',
      '500'
    );

    // Assess
    expect({ code, stderr: code === 0 ? '' : `${stderr}\n${stdout}` }).toEqual({ code: 0, stderr: '' });
    const [earlier, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(earlier).toBe('{"earlier":"run"}');
    const events = lines.map((line) => JSON.parse(line) as { detail: CompletionDetail });
    for (const event of events) expect(completionEventErrors(event)).toEqual([]);
    const triggers = events.map(({ detail }) => `${detail.streamName} ${detail.trigger} ${detail.actor}`).sort();
    expect(triggers).toEqual(
      [
        'orders CreateStream null',
        'payments CreateStream null',
        'analytics-events CreateStream null',
        'clickstream CreateStream null',
        `clickstream StartStreamEncryption ${LOCAL_USER('222222222222')}`,
        'legacy-feed CreateStream null',
        'audit-log CreateStream null',
        'team-analytics CreateStream null',
        `team-analytics StartStreamEncryption ${LOCAL_USER('333333333333')}`,
        'inventory CreateStream null',
        `inventory StopStreamEncryption ${LOCAL_USER('333333333333')}`,
      ].sort()
    );
    expect(new Set(events.map(({ detail }) => detail.eventId)).size).toBe(events.length);
    // The console: one completion line per event of the file, each naming its trigger.
    const printed = stdout.split('\n').filter((line) => / ● [A-Za-z]+ /.test(line));
    expect(printed).toHaveLength(events.length);
    expect(printed.filter((line) => line.includes(' clickstream '))).toEqual([
      expect.stringMatching(/ clickstream {2}(new stream \(CreateStream\)|key applied by user\/local)/),
      expect.stringMatching(/ clickstream {2}(new stream \(CreateStream\)|key applied by user\/local)/),
    ]);
    expect(printed.filter((line) => line.includes(' inventory '))).toContainEqual(
      expect.stringMatching(
        /● Encrypted +333333333333\/us-east-1 inventory {2}repaired: decrypted by user\/local \(StopStreamEncryption\) · time-to-encrypted \d+\.\d s/
      )
    );
    expect(stdout).toMatch(/^ {2}metrics {2}Encrypted \d+ · .*TimeToEncrypted max \d+\.\d s/m);
  }, 600_000);
});
