/**
 * Every metric the pipeline emits (EMF, namespace {@link METRICS_NAMESPACE}), in one place: the emitters, the sweep,
 * the alarms and the dashboard (deploy/monitoring.yml, cross-checked by the template tests) use these names.
 */
export const METRICS_NAMESPACE = 'KinesisAutoEncrypt';

/** Dimension names. `service` is on every metric (Powertools default dimension). */
export const Dimension = {
  service: 'service',
  /** `Failed` only, one of {@link FailureReason} (bounded: unknown names become `Other`). */
  reason: 'reason',
  /** Organisation mode only, outcome counts only: bounded by `memberRegions` plus the hub region. */
  region: 'region',
  /** {@link MetricName.Compliance} only: Compliant, NonCompliant, Exempt or NotChecked. */
  compliance: 'compliance',
} as const;

/** The `service` dimension value (POWERTOOLS_SERVICE_NAME of every function). */
export const SERVICE_NAME = 'kinesis-auto-encrypt';

export const MetricName = {
  /**
   * One per completion event, with dimension `compliance`: how the stream stands whatever the outcome (an
   * unencrypted stream whose key cannot be applied counts NonCompliant). The alarms count this, not outcomes.
   */
  Compliance: 'Compliance',
  // One per completion event, named after its outcome.
  Encrypted: 'Encrypted',
  AlreadyCompliant: 'AlreadyCompliant',
  Exempt: 'Exempt',
  NonCompliant: 'NonCompliant',
  Skipped: 'Skipped',
  Failed: 'Failed',
  Rejected: 'Rejected',
  /** Encrypted: trigger eventTime → confirmation (Milliseconds). */
  TimeToEncrypted: 'TimeToEncrypted',
  /** Encrypted: the window the stream accepted unencrypted writes (Seconds). */
  ExposureSeconds: 'ExposureSeconds',
  /** Failed and the stream was not seen ACTIVE with a KMS key: it may still take unencrypted writes. */
  LeftUnencrypted: 'LeftUnencrypted',
  /** Encrypted after a drift trigger (Stop/StartStreamEncryption). */
  DriftRepaired: 'DriftRepaired',
  /** Failed KeyBudgetReserved: the stream's 25 key applications per 24 h are nearly spent. */
  KeyBudgetLow: 'KeyBudgetLow',
  /** Failed Flapping: decrypted again after maxDriftRepairsPerDay repairs. */
  Flapping: 'Flapping',
  /** Emitted by the sweep once per run: streams looked at, and those found not compliant. */
  StreamsChecked: 'StreamsChecked',
  NonCompliantFound: 'NonCompliantFound',
  /** Powertools' cold start metric (dimensions service and function_name). */
  ColdStart: 'ColdStart',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** CloudWatch units used (EMF `Unit`). */
export const Unit = { Count: 'Count', Milliseconds: 'Milliseconds', Seconds: 'Seconds' } as const;

export type Unit = (typeof Unit)[keyof typeof Unit];

/** Values of the `reason` dimension of `Failed`: error names of the domain and of the state machine. */
export const FailureReason = [
  'KeyBudgetReserved',
  'Flapping',
  'InvalidKeyTag',
  'KeyNotUsable',
  'KeyPolicyDenies',
  'KeyUnusableError',
  'AccessDeniedError',
  'AccountUnreachableError',
  'RequestRejectedError',
  'LimitExceededError',
  'StreamNotFoundError',
  'ConfirmationTimedOut',
  'EncryptionMismatch',
  'ProbeNotEncrypted',
  'KinesisCallFailed',
  'Other',
] as const;

export type FailureReason = (typeof FailureReason)[number];

/** The bounded `reason` of an error name: itself when listed, `KinesisCallFailed` for a state machine task error. */
export const failureReasonOf = (errorName: string | undefined): FailureReason => {
  const known = FailureReason.find((reason) => reason === errorName);
  if (known !== undefined) return known;
  return errorName?.startsWith('Kinesis.') === true ? 'KinesisCallFailed' : 'Other';
};
