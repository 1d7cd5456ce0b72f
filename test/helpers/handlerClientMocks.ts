import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

/** aws-sdk-client-mock stubs for every client the handler creates; `reset()` clears them all. */
export const handlerClientMocks = () => {
  const stubs = {
    kinesis: mockClient(KinesisClient),
    kms: mockClient(KMSClient),
    sfn: mockClient(SFNClient),
    events: mockClient(EventBridgeClient),
    dynamoDb: mockClient(DynamoDBClient),
    documents: mockClient(DynamoDBDocumentClient),
    ssm: mockClient(SSMClient),
  };
  return {
    ...stubs,
    reset: (): void => {
      for (const stub of Object.values(stubs)) stub.reset();
    },
  };
};
