import { type Outcome, SETTLE_SECONDS } from '../domain/outcome';
import type { StreamState } from '../domain/ports';
import type { CreateStreamRequest } from '../events/createStreamRequest';
import type { CompletionDetail } from './completionDetail';

/** Fields of a completion detail that vary per decision. */
export interface CompletionFacts {
  outcome: Outcome;
  reason: string;
  keyId?: string | null;
  state?: StreamState | undefined;
  appliedAt?: string | null;
  confirmedAt?: string | null;
  error?: { name: string; message: string } | null;
}

/** Builds the full detail for a request the handler decided on itself. */
export const completionFor = (request: CreateStreamRequest, facts: CompletionFacts): CompletionDetail => {
  const confirmedAt = facts.confirmedAt ?? null;
  return {
    version: '1',
    outcome: facts.outcome,
    reason: facts.reason,
    eventId: request.eventId,
    streamArn: request.streamArn,
    streamName: request.streamName,
    account: request.account,
    region: request.region,
    keyId: facts.keyId ?? null,
    streamStatus: facts.state?.status ?? null,
    encryptionType: facts.state?.encryptionType ?? null,
    streamKeyId: facts.state?.keyId ?? null,
    timestamps: {
      streamCreatedAt: request.eventTime,
      appliedAt: facts.appliedAt ?? null,
      confirmedAt,
    },
    timeToEncryptedMs:
      confirmedAt === null ? null : Math.max(0, Date.parse(confirmedAt) - Date.parse(request.eventTime)),
    settleSeconds: SETTLE_SECONDS,
    error: facts.error ?? null,
  };
};

/** `{ name, message }` of anything thrown, for the `error` field. */
export const errorSummary = (error: unknown): { name: string; message: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message.slice(0, 1000) }
    : { name: 'Error', message: String(error).slice(0, 1000) };
