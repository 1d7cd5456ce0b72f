/**
 * CloudTrail `eventTime` format, also EventBridge's event `time`: ISO-8601 UTC to the second
 * (`2025-03-18T14:22:07Z`, no milliseconds).
 */
export const cloudTrailTime = (date: Date = new Date()): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
