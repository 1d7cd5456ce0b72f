import { Compliance } from '../../../src/domain/compliance';
import { exposureText, humanDuration } from '../../../src/report/humanTime';
import { reportHtml } from '../../../src/report/reportHtml';
import { sampleReport, streamRow } from '../../helpers/reportFixture';

describe('report.html a person reads', () => {
  it.each([
    [45, '45 s'],
    [450, '7 min 30 s'],
    [18_120, '5 h 2 min'],
    [86_400, '1 d 0 h'],
    [273_600, '3 d 4 h'],
  ])('%d seconds read %s', (seconds, expected) => {
    // Act
    const text = humanDuration(seconds);

    // Assess
    expect(text).toBe(expected);
  });

  it.each([
    [{ from: '2026-12-04T09:12:40.000Z', to: null, seconds: 273_600 }, '3 d 4 h, since 2026-12-04 09:12 UTC'],
    [
      { from: '2026-11-30T22:00:00.000Z', to: '2026-12-01T10:00:07.000Z', seconds: 43_207 },
      '12 h 0 min, until 2026-12-01 10:00 UTC',
    ],
    [{ from: '2026-12-04T09:12:00.000Z', to: null, seconds: null }, 'since 2026-12-04 09:12 UTC'],
  ])('exposure %j reads %s', (exposure, expected) => {
    // Act
    const text = exposureText(exposure);

    // Assess
    expect(text).toBe(expected);
  });

  it.each([
    ['sweep', '<title>Sweep report: 2 of 5 streams non-compliant'],
    ['audit', '<title>Audit report: 2 of 5 streams non-compliant'],
  ] as const)('the title of a %s says so', (command, expected) => {
    // Prepare
    const report = { ...sampleReport(), command };

    // Act
    const html = reportHtml(report);

    // Assess
    expect(html).toContain(expected);
  });

  it('lists the streams attention first (by severity), then by account, region and name, before the summary', () => {
    // Prepare
    const report = sampleReport();
    report.streams = [
      streamRow({ streamName: 'ok' }),
      streamRow({ streamName: 'quiet', compliance: Compliance.NonCompliant, receivingWrites: false }),
      streamRow({ streamName: 'unread', compliance: Compliance.NotChecked }),
      streamRow({ streamName: 'busy', compliance: Compliance.NonCompliant, receivingWrites: true }),
      streamRow({ streamName: 'left', compliance: Compliance.Exempt }),
    ];

    // Act
    const html = reportHtml(report);

    // Assess
    const order = [...html.matchAll(/data-severity="(\w+)" data-name="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(order).toEqual(['critical busy', 'high quiet', 'medium unread', 'low left', 'none ok']);
    expect(html.indexOf('id="streams"')).toBeLessThan(html.indexOf('id="summary"'));
  });

  it('the fix command is one click to select whole (its cell cut with an ellipsis, the command in its title)', () => {
    // Prepare
    const report = sampleReport();
    const fixCommand =
      'kinesis-auto-encrypt sweep --stream arn:aws:kinesis:us-east-1:111111111111:stream/p --region us-east-1';
    report.streams = [streamRow({ streamName: 'p', compliance: Compliance.NonCompliant, fixCommand })];

    // Act
    const html = reportHtml(report);

    // Assess
    expect(html).toContain(`<td class="fix" title="${fixCommand}">${fixCommand}</td>`);
    expect(html).toContain('td.fix{user-select:all');
  });
});
