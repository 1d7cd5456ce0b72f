import { IdempotencyAlreadyInProgressError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { AccountPortsProvider } from '../src/aws/accountPortsProvider';
import { createClients } from '../src/aws/clients';
import { createMetrics } from '../src/aws/completionMetricsPublisher';
import { createReconcileDependencies } from '../src/aws/createReconcileDependencies';
import { EventBridgeCompletionPort } from '../src/aws/eventBridgeCompletionPort';
import { idempotencyConfigFor } from '../src/aws/idempotencyConfigFor';
import { memberAccessFor } from '../src/aws/memberAccess';
import { rejectedDetail } from '../src/completion/rejectedDetail';
import { loadConfig } from '../src/config/loadConfig';
import { Compliance } from '../src/domain/compliance';
import { AutoEncryptError, InvalidEventError } from '../src/domain/errors';
import { Outcome } from '../src/domain/outcome';
import { type ReconcileResult, reconcile } from '../src/domain/reconcile';
import type { StreamRequest } from '../src/domain/streamRequest';
import { assertGovernedRegion } from '../src/events/assertGovernedRegion';
import { assertHomeStream } from '../src/events/assertHomeStream';
import { parseStreamEvent } from '../src/events/parseStreamEvent';

const config = loadConfig(process.env);
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kinesis-auto-encrypt' });
const clients = createClients();
// Outcome metrics come from the completion events (handlers/record-metrics.ts); here only the cold start.
const metrics = createMetrics();
const completions = new EventBridgeCompletionPort(clients.eventBridge, config.eventBusName);
const warnKeyPolicy = (message: string) => logger.warn('Key policy pre-flight', { reason: message });
const organization = config.organization;
const members = memberAccessFor(config);
const dependencies = createReconcileDependencies(config, clients, completions, warnKeyPolicy, members?.roleArnOf);
// Streams and keys act in the stream's account and region; ledger, SSM, Step Functions and EventBridge in the hub.
const streamPorts = new AccountPortsProvider({
  home: config.deployment,
  homePorts: dependencies,
  keyChecks: { ttlMs: config.keyCheckTtlSeconds * 1000, mode: config.keyPolicyCheck, onWarning: warnKeyPolicy },
  credentials: members?.credentials,
});
const parseOptions = {
  iacUserAgents: config.iacUserAgents,
  // The hub's stream role tags the hub's own streams (write guard): its calls are the pipeline's too.
  ownRoleArns: organization === undefined ? config.ownRoleArns : [...config.ownRoleArns, organization.hubRoleArn],
  ...(organization !== undefined && { ownRoleName: organization.memberRoleName, homeFromEnvelope: true }),
};
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: config.idempotencyTableName,
  awsSdkV3Client: clients.dynamoDb,
});

/** Seconds kept free at the end of an invocation for the apply, the hand-over and the idempotency write. */
const SAFETY_MARGIN_SECONDS = 20;

/**
 * Keyed on the raw event (`detail.eventID`); `request` is the same event, already validated by the
 * handler. Only a returned result is stored: a thrown (transient) failure leaves no record, so the retry runs.
 */
const reconcileOnce = makeIdempotent(
  async (_event: unknown, context: Context, request: StreamRequest): Promise<ReconcileResult> => {
    const remaining = Math.floor(context.getRemainingTimeInMillis() / 1000) - SAFETY_MARGIN_SECONDS;
    const budget = config.creatingWaitSeconds + (request.iacEngine === undefined ? 0 : config.iacGraceSeconds);
    const result = await reconcile(request, {
      ...dependencies,
      ...streamPorts.portsFor(request),
      maxWaitSeconds: Math.max(0, Math.min(budget, remaining)),
    });
    logger.info('Stream decided', {
      outcome: result.outcome,
      reason: result.reason,
      executionName: result.executionName,
    });
    return result;
  },
  { persistenceStore, config: idempotencyConfigFor(config.idempotencyExpirySeconds) }
);

/** What an ignored event ends with: no AWS call, no completion event, one log record. */
interface IgnoredResult {
  outcome: 'Ignored';
  reason: string;
}

/**
 * EventBridge target for the CloudTrail triggers (CreateStream, Stop/StartStreamEncryption, policy tag
 * changes): validates the event, ignores the pipeline's own calls, then reconciles the stream exactly once
 * per CloudTrail eventID. Invalid events and permanent failures end with their completion
 * event and return (Lambda does not retry them); transient failures throw so Lambda retries and finally
 * keeps the event on the failure destination.
 */
export const handler = async (event: unknown, context: Context): Promise<ReconcileResult | IgnoredResult> => {
  logger.addContext(context);
  metrics.captureColdStartMetric(context.functionName);
  let request: StreamRequest;
  try {
    const parsed = parseStreamEvent(event, parseOptions);
    if (parsed.kind === 'Ignored') {
      logger.info('Event ignored', { eventId: parsed.eventId, eventName: parsed.eventName, reason: parsed.reason });
      return { outcome: 'Ignored', reason: parsed.reason };
    }
    request = parsed.request;
    // An account deployment acts in its own account and region; a hub in each stream's own (envelope) account.
    if (organization === undefined) assertHomeStream(request, context.invokedFunctionArn);
    else
      assertGovernedRegion(request, { hubRegion: config.deployment.region, memberRegions: organization.memberRegions });
    logger.appendKeys({ eventId: request.eventId, streamArn: request.streamArn, trigger: request.trigger });
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    const detail = rejectedDetail(event, error);
    logger.warn('Event rejected', { eventId: detail.eventId, issues: detail.issues });
    await completions.publish(detail);
    return { outcome: Outcome.Rejected, reason: detail.reason, compliance: Compliance.NotChecked, streamArn: '' };
  }
  try {
    return await reconcileOnce(event, context, request);
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
    logger.removeKeys(['eventId', 'streamArn', 'trigger']);
  }
};
