import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ApplyRetryStrategy } from './applyRetryStrategy';

/**
 * Kinesis control-plane calls need no HTTP/2 (only SubscribeToShard does); HTTP/1.1 with keep-alive
 * is reliable everywhere. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
const http1 = () => new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });

/** The clients that act on a stream and its key, in the stream's account and region. */
export interface AccountClients {
  kinesis: KinesisClient;
  kinesisApply: KinesisClient;
  kms: KMSClient;
}

/** Where {@link createAccountClients} acts: the function's own region and credentials when absent. */
export interface AccountClientOptions {
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
}

/** Kinesis (reads, and StartStreamEncryption with its retry strategy) and KMS clients of one account and region. */
export const createAccountClients = (options: AccountClientOptions = {}): AccountClients => {
  const where = {
    ...(options.region !== undefined && { region: options.region }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
  };
  return {
    kinesis: new KinesisClient({ ...where, requestHandler: http1(), maxAttempts: 5 }),
    kinesisApply: new KinesisClient({
      ...where,
      requestHandler: http1(),
      retryStrategy: new ApplyRetryStrategy(async () => 4),
    }),
    kms: new KMSClient({ ...where, maxAttempts: 4 }),
  };
};

/**
 * STS of an organisation hub, in the hub region: SDK v3 uses the regional endpoint
 * `sts.<region>.<dnsSuffix>` (AWS SDKs and Tools reference, "AWS STS Regional endpoints"), whose session tokens
 * are valid in every region; AWS_ENDPOINT_URL_STS overrides it like the other clients' endpoints.
 */
export const createStsClient = (region: string): STSClient =>
  new STSClient({ region, maxAttempts: 4, useGlobalEndpoint: false });

/** SDK clients of the function, created once per execution environment. */
export const createClients = () => {
  const dynamoDb = new DynamoDBClient({ maxAttempts: 4 });
  return {
    ...createAccountClients(),
    sfn: new SFNClient({ maxAttempts: 5 }),
    eventBridge: new EventBridgeClient({ maxAttempts: 5 }),
    dynamoDb,
    documentClient: DynamoDBDocumentClient.from(dynamoDb),
    ssm: new SSMClient({ maxAttempts: 4 }),
  };
};
