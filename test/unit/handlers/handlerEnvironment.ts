/** The function environment of the unit tests; jest `setupFiles` (test/setupEnvironment.ts) sets it before any module loads. */
export const KEY = 'alias/kinesis-auto-encrypt';
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:confirm-encryption';
export const FUNCTION_ROLE_ARN = 'arn:aws:iam::123456789012:role/kinesis-auto-encrypt-test-EncryptStreamRole-X1';
export const STATE_MACHINE_ROLE_ARN = 'arn:aws:iam::123456789012:role/kinesis-auto-encrypt-test-ConfirmRole-X2';

/** Variables the handler reads at cold start (serverless.yml names). */
export const HANDLER_ENVIRONMENT = {
  DEFAULT_KMS_KEY_ID: KEY,
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  STATE_MACHINE_ARN,
  EVENT_BUS_NAME: 'governance',
  OWN_ROLE_ARNS: `${FUNCTION_ROLE_ARN},${STATE_MACHINE_ROLE_ARN}`,
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // Each test configures KMS its own way: no verdict cache across tests.
  KEY_CHECK_TTL_SECONDS: '0',
} as const;
