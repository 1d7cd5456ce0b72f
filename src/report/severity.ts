import { Compliance } from '../domain/compliance';

/**
 * How urgently a stream needs a person, most urgent first (rank 0): `critical` NonCompliant and receiving writes,
 * `high` NonCompliant (not receiving writes, or not known), `medium` NotChecked, `low` Exempt, `none` Compliant.
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** The severity of a stream, from its compliance and whether it received records in the last 24 h (null: unknown). */
export const severityOf = (compliance: Compliance, receivingWrites: boolean | null): Severity => {
  switch (compliance) {
    case Compliance.NonCompliant:
      return receivingWrites === true ? 'critical' : 'high';
    case Compliance.NotChecked:
      return 'medium';
    case Compliance.Exempt:
      return 'low';
    default:
      return 'none';
  }
};

/** 0 for `critical` up to 4 for `none`: sorts attention first. */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);
