import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoKeyApplicationLedger } from '../../../src/aws/dynamoKeyApplicationLedger';
import { RetryableError } from '../../../src/domain/errors';

const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
const documents = mockClient(DynamoDBDocumentClient);
const application = { at: '2026-12-01T08:00:00.000Z', keyId: 'alias/org', eventId: 'e-1', by: 'pipeline' };

describe('DynamoKeyApplicationLedger', () => {
  const ledger = new DynamoKeyApplicationLedger(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    'table'
  );

  afterEach(() => {
    documents.reset();
  });

  it('appends an application atomically to the stream item, expiring a day after it', async () => {
    // Act
    await ledger.record(ARN, application);

    // Assess: UpdateItem list_append (DynamoDB update expressions:
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html)
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'table',
      Key: { id: `keys#${ARN}` },
      UpdateExpression: 'SET applications = list_append(if_not_exists(applications, :none), :one), expiration = :ttl',
      ExpressionAttributeValues: {
        ':none': [],
        ':one': [application],
        ':ttl': Date.parse(application.at) / 1000 + 90_000,
      },
    });
  });

  it.each([
    ['no item', undefined, []],
    ['an item', { id: `keys#${ARN}`, applications: [application] }, [application]],
  ])('lists the applications of %s', async (_label, Item, expected) => {
    // Prepare
    documents.on(GetCommand).resolves({ Item });

    // Act
    const listed = await ledger.list(ARN);

    // Assess
    expect(listed).toEqual(expected);
    expect(documents).toHaveReceivedCommandWith(GetCommand, { Key: { id: `keys#${ARN}` }, ConsistentRead: true });
  });

  it('translates a failure of the table into a retryable error', async () => {
    // Prepare
    documents
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('down'), { name: 'InternalServerError', $fault: 'server' }));

    // Act & Assess
    await expect(ledger.record(ARN, application)).rejects.toThrow(RetryableError);
  });
});
