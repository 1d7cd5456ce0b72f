import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ApplyRetryStrategy } from './applyRetryStrategy';

/**
 * Kinesis control-plane calls need no HTTP/2 (only SubscribeToShard does); HTTP/1.1 with keep-alive
 * is reliable everywhere. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
const http1 = () => new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });

/** SDK clients of the function, created once per execution environment. */
export const createClients = () => {
  const dynamoDb = new DynamoDBClient({ maxAttempts: 4 });
  return {
    kinesis: new KinesisClient({ requestHandler: http1(), maxAttempts: 5 }),
    kinesisApply: new KinesisClient({ requestHandler: http1(), retryStrategy: new ApplyRetryStrategy(async () => 4) }),
    kms: new KMSClient({ maxAttempts: 4 }),
    sfn: new SFNClient({ maxAttempts: 5 }),
    eventBridge: new EventBridgeClient({ maxAttempts: 5 }),
    dynamoDb,
    documentClient: DynamoDBDocumentClient.from(dynamoDb),
    ssm: new SSMClient({ maxAttempts: 4 }),
  };
};
