import { Compliance } from '../../../src/domain/compliance';
import { reportCsv } from '../../../src/report/reportCsv';
import { severityOf, severityRank } from '../../../src/report/severity';
import { streamRowOf } from '../../../src/report/streamRowOf';
import { sampleReport, streamRow } from '../../helpers/reportFixture';

const request = {
  account: '111111111111',
  region: 'us-east-1',
  streamName: 'payments',
  streamArn: 'arn:aws:kinesis:us-east-1:111111111111:stream/payments',
};

describe('severity', () => {
  it.each([
    [Compliance.NonCompliant, true, 'critical', 0],
    [Compliance.NonCompliant, false, 'high', 1],
    [Compliance.NonCompliant, null, 'high', 1],
    [Compliance.NotChecked, true, 'medium', 2],
    [Compliance.Exempt, true, 'low', 3],
    [Compliance.Compliant, true, 'none', 4],
    [Compliance.Compliant, null, 'none', 4],
  ] as const)('compliance %s, receiving writes %s: %s (rank %d)', (compliance, receivingWrites, severity, rank) => {
    // Act
    const found = severityOf(compliance, receivingWrites);

    // Assess
    expect(found).toBe(severity);
    expect(severityRank(found)).toBe(rank);
  });

  it.each([
    [true, 'critical'],
    [false, 'high'],
    [undefined, 'high'],
  ] as const)(
    'an unencrypted stream never read to the end, receiving writes %s, is %s',
    (receivingWrites, severity) => {
      // Prepare
      const found = { status: 'ACTIVE', encryptionType: 'NONE', createdAt: '2026-12-01T00:00:00.000Z' };

      // Act
      const row = streamRowOf({ request, found, receivingWrites } as Parameters<typeof streamRowOf>[0]);

      // Assess
      expect(row).toMatchObject({
        compliance: Compliance.NonCompliant,
        severity,
        receivingWrites: receivingWrites ?? null,
      });
    }
  );

  it('report.csv has the severity and receiving_writes columns', () => {
    // Prepare
    const report = sampleReport();
    report.streams = [streamRow({ streamName: 'one', compliance: Compliance.NonCompliant, receivingWrites: true })];

    // Act
    const [header, line] = reportCsv(report).split('\r\n');
    const columns = header?.split(',') ?? [];
    const values = line?.split(',') ?? [];

    // Assess
    expect(values[columns.indexOf('severity')]).toBe('critical');
    expect(values[columns.indexOf('receiving_writes')]).toBe('true');
  });
});
