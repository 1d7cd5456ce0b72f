/** Function environment of the handler tests; imported before the handler module so cold start sees it. */
export const KEY = 'alias/kinesis-auto-encrypt';
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:confirm-encryption';

process.env.DEFAULT_KMS_KEY_ID = KEY;
process.env.IDEMPOTENCY_TABLE_NAME = 'idempotency';
process.env.STATE_MACHINE_ARN = STATE_MACHINE_ARN;
process.env.EVENT_BUS_NAME = 'governance';
process.env.AWS_REGION = 'eu-west-1';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
// Each test configures KMS its own way: no verdict cache across tests.
process.env.KEY_CHECK_TTL_SECONDS = '0';
