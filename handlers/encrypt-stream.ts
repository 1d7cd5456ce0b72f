import { IdempotencyAlreadyInProgressError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { Context } from 'aws-lambda';
import { createClients } from '../src/aws/clients';
import { DynamoApplyLedger } from '../src/aws/dynamoApplyLedger';
import { EventBridgeCompletionPort } from '../src/aws/eventBridgeCompletionPort';
import { idempotencyConfigFor } from '../src/aws/idempotencyConfigFor';
import { KinesisStreamPort } from '../src/aws/kinesisStreamPort';
import { KmsKeyPort } from '../src/aws/kmsKeyPort';
import { SfnConfirmationPort } from '../src/aws/sfnConfirmationPort';
import { SsmKeyIdSource } from '../src/aws/ssmKeyIdSource';
import { rejectedDetail } from '../src/completion/rejectedDetail';
import { loadConfig } from '../src/config/loadConfig';
import { type EncryptResult, encryptNewStream } from '../src/domain/encryptNewStream';
import { AutoEncryptError, InvalidEventError } from '../src/domain/errors';
import { KeyCheck } from '../src/domain/keyCheck';
import { Outcome } from '../src/domain/outcome';
import { assertHomeStream } from '../src/events/assertHomeStream';
import type { CreateStreamRequest } from '../src/events/createStreamRequest';
import { parseCreateStreamEvent } from '../src/events/parseCreateStreamEvent';

const config = loadConfig(process.env);
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kinesis-auto-encrypt' });
const clients = createClients();
const keys = new KmsKeyPort(clients.kms);
const completions = new EventBridgeCompletionPort(clients.eventBridge, config.eventBusName);
const dependencies = {
  streams: new KinesisStreamPort(clients.kinesis, clients.kinesisApply),
  keys,
  keyCheck: new KeyCheck(keys, { ttlMs: config.keyCheckTtlSeconds * 1000 }),
  keyIdSource: new SsmKeyIdSource({
    fallback: config.defaultKeyId,
    parameterName: config.keyIdParameterName,
    provider: new SSMProvider({ awsSdkV3Client: clients.ssm }),
    maxAgeSeconds: config.ssmMaxAgeSeconds,
  }),
  ledger: new DynamoApplyLedger(clients.documentClient, config.idempotencyTableName, config.idempotencyExpirySeconds),
  confirmations: new SfnConfirmationPort(clients.sfn, config.stateMachineArn),
  completions,
  eventBusName: config.eventBusName,
  overrideForeignKeys: config.overrideForeignKeys,
  probeAfterConfirm: config.probeAfterConfirm,
};
const idempotencyConfig = idempotencyConfigFor(config.idempotencyExpirySeconds);
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: config.idempotencyTableName,
  awsSdkV3Client: clients.dynamoDb,
});

/** Seconds kept free at the end of an invocation for the apply, the hand-over and the idempotency write. */
const SAFETY_MARGIN_SECONDS = 20;

/** Keyed on the raw event (`detail.eventID`); `request` is the same event, already validated by the handler. */
const encryptOnce = makeIdempotent(
  async (_event: unknown, context: Context, request: CreateStreamRequest): Promise<EncryptResult> => {
    const remaining = Math.floor(context.getRemainingTimeInMillis() / 1000) - SAFETY_MARGIN_SECONDS;
    const result = await encryptNewStream(request, {
      ...dependencies,
      maxWaitSeconds: Math.max(0, Math.min(config.creatingWaitSeconds, remaining)),
    });
    logger.info('Stream decided', {
      outcome: result.outcome,
      reason: result.reason,
      executionName: result.executionName,
    });
    return result;
  },
  { persistenceStore, config: idempotencyConfig }
);

/**
 * EventBridge target for CloudTrail `CreateStream`: validates the event, then encrypts the new
 * stream exactly once per CloudTrail eventID. Invalid events end as a Rejected completion event;
 * transient failures throw so Lambda retries and finally keeps the event on the failure destination.
 */
export const handler = async (event: unknown, context: Context): Promise<EncryptResult> => {
  logger.addContext(context);
  let request: CreateStreamRequest;
  try {
    request = parseCreateStreamEvent(event);
    assertHomeStream(request, context.invokedFunctionArn);
    logger.appendKeys({ eventId: request.eventId, streamArn: request.streamArn });
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    const detail = rejectedDetail(event, error);
    logger.warn('Event rejected', { eventId: detail.eventId, issues: detail.issues });
    await completions.publish(detail);
    return { outcome: Outcome.Rejected, reason: detail.reason, streamArn: '' };
  }
  try {
    return await encryptOnce(event, context, request);
  } catch (error) {
    if (error instanceof IdempotencyAlreadyInProgressError) {
      logger.warn('Duplicate delivery while the first is still running; Lambda retries it later');
    } else {
      logger.error('Event not processed; it will be retried', {
        error,
        retryable: error instanceof AutoEncryptError ? error.retryable : true,
      });
    }
    throw error;
  } finally {
    logger.removeKeys(['eventId', 'streamArn']);
  }
};
