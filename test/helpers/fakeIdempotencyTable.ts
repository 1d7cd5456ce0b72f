import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

type Item = Record<string, unknown>;
/** Any client's stub: the fake serves commands of two clients. */
// biome-ignore lint/suspicious/noExplicitAny: the stub serves commands of two different clients
type Stub = AwsStub<any, any, any>;

/**
 * In-memory table behind aws-sdk-client-mock stubs with the conditional-put semantics Powertools
 * idempotency relies on (not exists, expired, or in-progress expired), plus the ledger's Get/Put.
 */
export const fakeIdempotencyTable = (dynamoDb: Stub, documents: Stub): Map<string, Item> => {
  const items = new Map<string, Item>();
  dynamoDb.on(PutItemCommand).callsFake((input) => {
    const item = unmarshall(input.Item) as Item;
    const key = String(item.id);
    const old = items.get(key);
    const now = Date.now();
    const free =
      old === undefined ||
      Number(old.expiration) < now / 1000 ||
      (old.status === 'INPROGRESS' &&
        old.in_progress_expiration !== undefined &&
        Number(old.in_progress_expiration) < now);
    if (!free) {
      throw Object.assign(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
        {
          Item: marshall(old, { removeUndefinedValues: true }),
        }
      );
    }
    items.set(key, item);
    return {};
  });
  dynamoDb.on(UpdateItemCommand).callsFake((input) => {
    const key = String(unmarshall(input.Key).id);
    const values = unmarshall(input.ExpressionAttributeValues) as Item;
    const names = input.ExpressionAttributeNames as Record<string, string>;
    const item = { ...(items.get(key) ?? { id: key }) };
    for (const assignment of String(input.UpdateExpression).replace(/^SET /, '').split(', ')) {
      const [name, value] = assignment.split(' = ') as [string, string];
      item[names[name] ?? name] = values[value];
    }
    items.set(key, item);
    return {};
  });
  dynamoDb.on(DeleteItemCommand).callsFake((input) => {
    items.delete(String(unmarshall(input.Key).id));
    return {};
  });
  dynamoDb.on(GetItemCommand).callsFake((input) => {
    const item = items.get(String(unmarshall(input.Key).id));
    return item === undefined ? {} : { Item: marshall(item, { removeUndefinedValues: true }) };
  });
  documents.on(GetCommand).callsFake((input) => ({ Item: items.get(String(input.Key.id)) }));
  documents.on(PutCommand).callsFake((input) => {
    items.set(String(input.Item.id), input.Item);
    return {};
  });
  return items;
};
