import { Compliance } from '../domain/compliance';
import { Outcome } from '../domain/outcome';
import { type ComplianceCounts, type Report, type ReportStream, type ReportSummaryRow, RunOutcome } from './report';

/** The count of each compliance: every stream is in exactly one. */
const COUNTED: Record<Compliance, keyof ComplianceCounts> = {
  [Compliance.Compliant]: 'compliant',
  [Compliance.NonCompliant]: 'nonCompliant',
  [Compliance.Exempt]: 'exempt',
  [Compliance.NotChecked]: 'notChecked',
};

/** Outcomes of a remedy that did not succeed. */
const FAILED: ReadonlySet<string> = new Set([Outcome.Failed, RunOutcome.Unconfirmed]);

const zero = (): ComplianceCounts => ({
  streams: 0,
  compliant: 0,
  nonCompliant: 0,
  exempt: 0,
  notChecked: 0,
  failed: 0,
  changed: 0,
  confirmed: 0,
});

const add = (counts: ComplianceCounts, stream: ReportStream): void => {
  counts.streams += 1;
  counts[COUNTED[stream.compliance]] += 1;
  if (FAILED.has(stream.outcome)) counts.failed += 1;
  if (stream.changed) counts.changed += 1;
  if (stream.changed && stream.lastChange !== null) counts.confirmed += 1;
};

/** What a run hands to {@link buildReport}. */
export type ReportInput = Omit<Report, 'schemaVersion' | 'tool' | 'totals' | 'summary' | 'streams' | 'writeGuard'> & {
  streams: readonly ReportStream[];
  /** The deployment's writeGuard, when the run knows it (the deployed sweep). */
  writeGuard?: NonNullable<Report['writeGuard']['setting']>;
};

/**
 * The report of a run: its streams sorted by account, region and name, counted by compliance (and failed remedies,
 * changes, confirmations) per account and region and in total, and what the write guard's enforce would refuse.
 */
export const buildReport = (input: ReportInput): Report => {
  const streams = [...input.streams].sort(
    (a, b) =>
      a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.streamName.localeCompare(b.streamName)
  );
  const totals = zero();
  const rows = new Map<string, ReportSummaryRow>();
  for (const stream of streams) {
    add(totals, stream);
    const key = `${stream.account}\u0000${stream.region}`;
    const row = rows.get(key) ?? { account: stream.account, region: stream.region, ...zero() };
    add(row, stream);
    rows.set(key, row);
  }
  const refused = streams.filter((stream) => stream.enforceWouldRefuse === true);
  const { writeGuard, ...rest } = input;
  return {
    schemaVersion: 2,
    tool: 'kinesis-auto-encrypt',
    ...rest,
    writeGuard: {
      setting: writeGuard ?? null,
      wouldRefuse: refused.length,
      wouldRefuseReceivingWrites: refused.filter((stream) => stream.receivingWrites === true).length,
    },
    totals,
    summary: [...rows.values()],
    streams,
  };
};
