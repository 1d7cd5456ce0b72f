import { createHash } from 'node:crypto';

/**
 * Step Functions execution name for a CloudTrail eventID: the same event always maps to the same
 * name (so a redelivery gets ExecutionAlreadyExists), within 80 chars of `[A-Za-z0-9_-]`.
 */
export const executionNameFor = (eventId: string): string => {
  if (/^[A-Za-z0-9_-]{1,80}$/.test(eventId)) return eventId;
  const safe = eventId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  const digest = createHash('sha256').update(eventId).digest('hex').slice(0, 16);
  return `${safe}-${digest}`;
};
