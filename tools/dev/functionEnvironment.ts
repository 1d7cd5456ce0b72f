import { DEFAULT_KEY_ALIAS } from './accountKeys';

/** The local idempotency table (also holds apply markers and key applications). */
export const IDEMPOTENCY_TABLE = 'kinesis-auto-encrypt-local-idempotency';

/** The function's environment (names as in serverless.yml), with `overrides` applied. */
export const functionEnvironment = (overrides: Record<string, string> = {}): Record<string, string> => ({
  DEFAULT_KMS_KEY_ID: DEFAULT_KEY_ALIAS,
  KMS_KEY_SSM_PARAMETER: '/kinesis-auto-encrypt/local/default-kms-key-id',
  IDEMPOTENCY_TABLE_NAME: IDEMPOTENCY_TABLE,
  EVENT_BUS_NAME: 'default',
  OVERRIDE_FOREIGN_KEYS: 'false',
  CREATING_WAIT_SECONDS: '90',
  // Shorter than in AWS (`--iac-grace-ms`); tests set their own.
  IAC_GRACE_SECONDS: '15',
  POWERTOOLS_SERVICE_NAME: 'kinesis-auto-encrypt',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  ...overrides,
});
