/** How a stream stands after a run (the report's columns and the summary's counts). */
export const Compliance = {
  Compliant: 'Compliant',
  NonCompliant: 'NonCompliant',
  Exempt: 'Exempt',
  Failed: 'Failed',
  /** Nothing to judge: the stream was being deleted, or is gone. */
  Skipped: 'Skipped',
  /** The run was interrupted before the stream was read. */
  NotChecked: 'NotChecked',
} as const;

export type Compliance = (typeof Compliance)[keyof typeof Compliance];

/** Outcomes a run adds to the reconciler's: applied but not confirmed, and never read. */
export const RunOutcome = { Unconfirmed: 'Unconfirmed', NotChecked: 'NotChecked' } as const;

/** Counts per compliance, plus changes made and confirmed. */
export interface ComplianceCounts {
  streams: number;
  compliant: number;
  nonCompliant: number;
  exempt: number;
  failed: number;
  skipped: number;
  notChecked: number;
  changed: number;
  confirmed: number;
}

/** One stream of the report. Times are ISO-8601. */
export interface ReportStream {
  account: string;
  region: string;
  streamName: string;
  streamArn: string;
  /** State last read (after the change, when one was made and confirmed). */
  status: string | null;
  encryptionType: string | null;
  keyId: string | null;
  /** The key the policy wants for the stream. */
  desiredKeyId: string | null;
  /** Reconciler outcome (`Encrypted`, `AlreadyCompliant`, `NonCompliant`, …) or a {@link RunOutcome}. */
  outcome: string;
  compliance: Compliance;
  reason: string;
  /** The rule that decided, e.g. `enforce / default key`, `exempt tag`. */
  policy: string;
  exemptionReason: string | null;
  createdAt: string | null;
  /** Whether this run applied a key to the stream. */
  changed: boolean;
  /** Last encryption change known (this run's, once confirmed). */
  lastChange: string | null;
  /**
   * Records may have been written unencrypted in this window: from the stream's creation (an upper bound; the
   * last StopStreamEncryption is in CloudTrail, not in the Kinesis API) until the confirmed change, or `to: null`
   * while still unencrypted. Null when the stream is encrypted and nothing is known.
   */
  exposure: { from: string | null; to: string | null; seconds: number | null } | null;
  error: { name: string; message: string } | null;
}

/** Counts of one account and region. */
export type ReportSummaryRow = { account: string; region: string } & ComplianceCounts;

/** `report.json`: the whole run (`src/report/report.schema.json`). */
export interface Report {
  schemaVersion: 1;
  tool: 'kinesis-auto-encrypt';
  command: 'audit' | 'sweep';
  sweepId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  interrupted: boolean;
  options: {
    regions: string[];
    accounts: string[] | null;
    key: string;
    describeRate: number;
    concurrency: number;
    endpointUrl: string | null;
    tags: 'bulk' | 'stream';
  };
  totals: ComplianceCounts;
  summary: ReportSummaryRow[];
  streams: ReportStream[];
  /** Account-region pairs that could not be read at all (no access, region not enabled…). */
  errors: { account: string; region: string; message: string }[];
  /** Calls sent (every attempt), by operation, and the highest DescribeStreamSummary count in any second. */
  apiCalls: Record<string, number>;
  peakDescribePerSecond: number;
  notes: string[];
}
