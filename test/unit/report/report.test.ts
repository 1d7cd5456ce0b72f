import { reportCsv } from '../../../src/report/reportCsv';
import { reportHtml } from '../../../src/report/reportHtml';
import { reportTable } from '../../../src/report/reportTable';
import { refusedBy } from '../../helpers/publishedSchemaErrors';
import { sampleReport, streamRow } from '../../helpers/reportFixture';
import { reportErrors } from '../../helpers/reportSchema';

describe('report', () => {
  it('report.json matches its published schema (src/report/report.schema.json)', () => {
    // Act
    const errors = reportErrors(JSON.parse(JSON.stringify(sampleReport())));

    // Assess
    expect(errors).toEqual([]);
  });

  it.each([
    ['an unknown compliance', { compliance: 'Unknown' }],
    ['compliance Failed (an outcome, not a compliance, since version 2)', { compliance: 'Failed' }],
    ['compliance Skipped (an outcome, not a compliance, since version 2)', { compliance: 'Skipped' }],
    ['a stream ARN of another service', { streamArn: 'arn:aws:sqs:us-east-1:111111111111:q' }],
    ['a negative exposure', { exposure: { from: null, to: null, seconds: -1 } }],
    ['an unknown outcome', { outcome: 'Maybe' }],
    ['a creation time that is no date-time', { createdAt: 'yesterday' }],
  ])('the zod schema and the published JSON Schema refuse %s', (_label, change) => {
    // Prepare
    const report = sampleReport();
    Object.assign(report.streams[0] as object, change);

    // Act
    const errors = reportErrors(JSON.parse(JSON.stringify(report)));

    // Assess
    expect(refusedBy(errors)).toEqual(['json', 'zod']);
  });

  it('refuses a report of schema version 1 (compliance mixed with outcomes)', () => {
    // Prepare
    const report = { ...sampleReport(), schemaVersion: 1 };

    // Act
    const errors = reportErrors(JSON.parse(JSON.stringify(report)));

    // Assess
    expect(refusedBy(errors)).toEqual(['json', 'zod']);
  });

  it('counts compliance per account and region and in total (every stream once), and failed outcomes apart', () => {
    // Act
    const { schemaVersion, summary, totals } = sampleReport();

    // Assess: audit-log is unencrypted and its key is missing: non-compliant, and failed.
    expect(schemaVersion).toBe(2);
    expect(totals).toEqual({
      streams: 5,
      compliant: 2,
      nonCompliant: 2,
      exempt: 1,
      notChecked: 0,
      failed: 1,
      changed: 1,
      confirmed: 1,
    });
    expect(totals.compliant + totals.nonCompliant + totals.exempt + totals.notChecked).toBe(totals.streams);
    expect(summary.map(({ account, region, streams }) => [account, region, streams])).toEqual([
      ['111111111111', 'us-east-1', 3],
      ['222222222222', 'eu-west-1', 1],
      ['222222222222', 'us-east-1', 1],
    ]);
  });

  it.each([
    ['a comma', 'a, b', '"a, b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'a\nb', '"a\nb"'],
    ['a formula', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['a plain text', 'plain', 'plain'],
  ])('report.csv quotes a field with %s (RFC 4180, no formula injection)', (_label, reason, expected) => {
    // Prepare
    const report = sampleReport();
    report.streams = [streamRow({ streamName: 'one', reason })];

    // Act
    const [header, line] = reportCsv(report).split('\r\n');

    // Assess
    expect(header?.split(',')).toContain('reason');
    const columns = header?.split(',') ?? [];
    expect(line?.endsWith(`${expected},`)).toBe(true);
    expect(columns.indexOf('reason')).toBe(columns.length - 2);
  });

  it('report.html escapes every value and loads nothing from the network', () => {
    // Prepare
    const report = sampleReport();
    report.streams = [streamRow({ streamName: 'x', reason: '<script>alert(1)</script>' })];

    // Act
    const html = reportHtml(report);

    // Assess
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<(?:link|img|iframe)\b|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain("default-src 'none'");
  });

  it('the table heads with the totals by compliance, then lists the summary and every stream that is not compliant or exempt', () => {
    // Act
    const text = reportTable(sampleReport());

    // Assess
    expect(text.split('\n')[1]).toBe(
      'compliance: 2 compliant, 2 non-compliant, 1 exempt, 0 not checked; 1 failed, 1 changed, 1 confirmed'
    );
    expect(text).toMatch(/222222222222\/eu-west-1\/audit-log +NonCompliant +Failed +NONE +KMS key alias\/missing/);
    expect(text).toContain('111111111111  us-east-1');
    expect(text).toContain('111111111111/us-east-1/payments');
    expect(text).toContain('222222222222/eu-west-1/audit-log');
    expect(text).not.toContain('/orders');
  });
});
