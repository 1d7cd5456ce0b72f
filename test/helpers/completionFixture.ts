import { completionBase } from '../../src/completion/completionBase';
import type { CompletionDetail } from '../../src/completion/completionDetail';
import type { Compliance } from '../../src/domain/compliance';
import { DetailType, EVENT_SOURCE, Outcome } from '../../src/domain/outcome';

const STREAM_CREATED_AT = '2026-12-01T10:00:00.000Z';

/** What the outcome fills (the schema's verdict rules): a confirmation, an error, or neither. */
const verdictOf = (outcome: Outcome): Partial<CompletionDetail> => {
  switch (outcome) {
    case Outcome.Encrypted:
    case Outcome.AlreadyCompliant:
      return {
        timestamps: { streamCreatedAt: STREAM_CREATED_AT, appliedAt: null, confirmedAt: '2026-12-01T10:00:03.000Z' },
        timeToEncryptedMs: 3000,
      };
    case Outcome.Failed:
    case Outcome.Rejected:
      return { error: { name: `${outcome}Error`, message: `${outcome} for the test` } };
    default:
      return {};
  }
};

/** The compliance each outcome goes with in the fixtures (Skipped: a team's key left alone; Failed: left unencrypted). */
const COMPLIANCE: Record<Outcome, Compliance> = {
  Encrypted: 'Compliant',
  AlreadyCompliant: 'Compliant',
  Skipped: 'Compliant',
  Exempt: 'Exempt',
  NonCompliant: 'NonCompliant',
  Failed: 'NonCompliant',
  Rejected: 'NotChecked',
};

/** A valid completion detail of `outcome` as the function or the state machine publishes it; `overrides` on top. */
export const completionFixture = (outcome: Outcome, overrides: Partial<CompletionDetail> = {}): CompletionDetail => ({
  ...completionBase({
    eventId: `evt-${outcome}`,
    streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
    streamName: 'orders',
    account: '123456789012',
    region: 'eu-west-1',
    keyId: 'alias/kinesis-auto-encrypt',
    streamCreatedAt: STREAM_CREATED_AT,
    appliedAt: null,
    trigger: 'CreateStream',
  }),
  outcome,
  compliance: COMPLIANCE[outcome],
  reason: `${outcome} for the test`,
  ...verdictOf(outcome),
  ...overrides,
});

/** The EventBridge event that carries a completion detail. */
export const completionEvent = (detail: CompletionDetail, id = `bus-${detail.eventId}`) => ({
  version: '0',
  id,
  'detail-type': DetailType[detail.outcome],
  source: EVENT_SOURCE,
  account: '123456789012',
  time: '2026-12-01T10:00:30Z',
  region: 'eu-west-1',
  resources: detail.streamArn === null ? [] : [detail.streamArn],
  detail,
});
