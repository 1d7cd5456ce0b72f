import { Compliance } from '../../../src/domain/compliance';
import { buildReport } from '../../../src/report/buildReport';
import type { ReportStream } from '../../../src/report/report';
import { reportCsv } from '../../../src/report/reportCsv';
import { reportHtml } from '../../../src/report/reportHtml';
import { sampleReport, streamRow } from '../../helpers/reportFixture';
import { reportErrors } from '../../helpers/reportSchema';

// The prepare report (issue 22 item 3): which streams writeGuard=enforce would refuse (enforceWouldRefuse, the SCP's
// rule in src/guard/guardRefusesWrite.ts) and which of those receive writes (receivingWrites, the report's one
// definition): counted in report.json's writeGuard, a column of report.csv, one line of report.html.
const reportOf = (streams: ReportStream[], writeGuard?: 'off' | 'prepare' | 'enforce') => {
  const { schemaVersion: _v, tool: _t, totals: _s, summary: _u, writeGuard: _w, ...base } = sampleReport();
  return buildReport({ ...base, streams, ...(writeGuard !== undefined && { writeGuard }) });
};

const STREAMS = [
  streamRow({ streamName: 'tagged', enforceWouldRefuse: false, receivingWrites: true }),
  streamRow({ streamName: 'untagged-busy', enforceWouldRefuse: true, receivingWrites: true }),
  streamRow({ streamName: 'untagged-idle', enforceWouldRefuse: true, receivingWrites: false }),
  streamRow({
    streamName: 'plain-busy',
    compliance: Compliance.NonCompliant,
    enforceWouldRefuse: true,
    receivingWrites: true,
  }),
  streamRow({ streamName: 'unknown', enforceWouldRefuse: null, receivingWrites: true }),
];

describe('the write guard part of the report', () => {
  it.each([
    { writeGuard: 'prepare' as const, setting: 'prepare' },
    { writeGuard: undefined, setting: null },
  ])(
    'counts what enforce would refuse and which of those receive writes (setting $setting)',
    ({ writeGuard, setting }) => {
      // Act
      const report = reportOf(STREAMS, writeGuard);

      // Assess
      expect(reportErrors(report)).toEqual([]);
      expect(report.writeGuard).toEqual({ setting, wouldRefuse: 3, wouldRefuseReceivingWrites: 2 });
    }
  );

  it('has an enforce_would_refuse column in report.csv', () => {
    // Act
    const [head = '', ...lines] = reportCsv(reportOf(STREAMS)).trim().split('\r\n');

    // Assess: rows sorted by name (plain-busy, tagged, unknown, untagged-busy, untagged-idle)
    const column = head.split(',').indexOf('enforce_would_refuse');
    expect(column).toBeGreaterThan(0);
    expect(lines.map((line) => line.split(',')[column])).toEqual(['true', 'false', '', 'true', 'true']);
  });

  it.each([
    { title: 'prepare, with streams it would refuse', streams: STREAMS, writeGuard: 'prepare' as const, shown: true },
    { title: 'no setting, with streams it would refuse', streams: STREAMS, writeGuard: undefined, shown: true },
    { title: 'prepare, nothing refused', streams: STREAMS.slice(0, 1), writeGuard: 'prepare' as const, shown: true },
    { title: 'off, nothing refused', streams: STREAMS.slice(0, 1), writeGuard: 'off' as const, shown: false },
    { title: 'no setting, nothing known', streams: STREAMS.slice(4), writeGuard: undefined, shown: false },
  ])('report.html says it in one line: $title', ({ streams, writeGuard, shown }) => {
    // Act
    const html = reportHtml(reportOf(streams, writeGuard));
    const line = /<p id="write-guard">(.*?)<\/p>/.exec(html)?.[1];

    // Assess
    expect(line !== undefined).toBe(shown);
    if (streams === STREAMS) {
      expect(line).toContain('enforce would refuse writes to <strong>3</strong> streams');
      expect(line).toContain('2 receiving writes</strong>: <code>plain-busy</code>, <code>untagged-busy</code>.');
    }
  });
});
