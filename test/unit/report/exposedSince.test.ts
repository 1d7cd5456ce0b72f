import { Trigger } from '../../../src/domain/streamRequest';
import { reportCsv } from '../../../src/report/reportCsv';
import { streamRowOf } from '../../../src/report/streamRowOf';
import { sampleReport, streamRow } from '../../helpers/reportFixture';

const requestOf = (trigger: string) => ({
  eventId: 'e-1',
  eventTime: '2026-12-05T08:00:00.000Z',
  trigger,
  account: '111111111111',
  region: 'us-east-1',
  partition: 'aws',
  streamName: 'payments',
  streamArn: 'arn:aws:kinesis:us-east-1:111111111111:stream/payments',
});
const CREATED = '2026-11-30T10:00:00.000Z';

describe('exposedSince', () => {
  it.each([
    [
      'unencrypted, found by a sweep',
      Trigger.Sweep,
      { status: 'ACTIVE', encryptionType: 'NONE', createdAt: CREATED },
      CREATED,
    ],
    [
      'unencrypted after a StopStreamEncryption',
      Trigger.StopStreamEncryption,
      { status: 'ACTIVE', encryptionType: 'NONE', createdAt: CREATED },
      '2026-12-05T08:00:00.000Z',
    ],
    ['unencrypted, creation unknown', Trigger.Sweep, { status: 'ACTIVE', encryptionType: 'NONE' }, null],
    ['encrypted', Trigger.Sweep, { status: 'ACTIVE', encryptionType: 'KMS', keyId: 'k', createdAt: CREATED }, null],
    ['never read', Trigger.Sweep, undefined, null],
  ])('%s: %s', (_label, trigger, found, expected) => {
    // Act
    const row = streamRowOf({ request: requestOf(trigger), found } as Parameters<typeof streamRowOf>[0]);

    // Assess
    expect(row.exposedSince).toBe(expected);
  });

  it('report.csv has the exposed_since column', () => {
    // Prepare
    const report = sampleReport();
    report.streams = [streamRow({ streamName: 'one', exposedSince: CREATED })];

    // Act
    const [header, line] = reportCsv(report).split('\r\n');

    // Assess
    const columns = header?.split(',') ?? [];
    expect(line?.split(',')[columns.indexOf('exposed_since')]).toBe(CREATED);
  });
});
