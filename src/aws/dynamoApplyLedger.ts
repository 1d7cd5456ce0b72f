import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplyLedger, ApplyRecord } from '../domain/ports';
import { serviceFailure } from './serviceFailure';

/**
 * {@link ApplyLedger} in the idempotency table (items `apply#<eventID>`, same TTL attribute),
 * so no extra table or permission is needed.
 */
export class DynamoApplyLedger implements ApplyLedger {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #ttlSeconds: number;

  public constructor(client: DynamoDBDocumentClient, tableName: string, ttlSeconds: number) {
    this.#client = client;
    this.#tableName = tableName;
    this.#ttlSeconds = ttlSeconds;
  }

  public async get(eventId: string): Promise<ApplyRecord | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      ({ Item: item } = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { id: `apply#${eventId}` }, ConsistentRead: true })
      ));
    } catch (error) {
      throw serviceFailure(error, 'dynamodb:GetItem', this.#tableName);
    }
    if (item === undefined) return undefined;
    return { eventId, streamArn: String(item.streamArn), keyId: String(item.keyId), appliedAt: String(item.appliedAt) };
  }

  public async put(record: ApplyRecord): Promise<void> {
    const item = {
      id: `apply#${record.eventId}`,
      ...record,
      expiration: Math.floor(Date.now() / 1000) + this.#ttlSeconds,
    };
    try {
      await this.#client.send(new PutCommand({ TableName: this.#tableName, Item: item }));
    } catch (error) {
      throw serviceFailure(error, 'dynamodb:PutItem', this.#tableName);
    }
  }
}
