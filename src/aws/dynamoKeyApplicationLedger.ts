import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyApplication } from '../domain/keyBudget';
import type { KeyApplicationLedger } from '../domain/ports';
import { serviceFailure } from './serviceFailure';

const DAY_SECONDS = 24 * 60 * 60;
/** Applications kept per item: more than a day's budget, so the window is always complete. */
const KEPT = 60;

/**
 * {@link KeyApplicationLedger} in the idempotency table: one item `keys#<streamArn>` per stream with the list of
 * its key applications, appended atomically (`list_append`), expiring a day after the last one.
 */
export class DynamoKeyApplicationLedger implements KeyApplicationLedger {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  public constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  public async list(streamArn: string): Promise<KeyApplication[]> {
    let item: Record<string, unknown> | undefined;
    try {
      ({ Item: item } = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { id: `keys#${streamArn}` }, ConsistentRead: true })
      ));
    } catch (error) {
      throw serviceFailure(error, 'dynamodb:GetItem', this.#tableName);
    }
    const applications = Array.isArray(item?.applications) ? (item.applications as KeyApplication[]) : [];
    return applications.slice(-KEPT);
  }

  public async record(streamArn: string, application: KeyApplication): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { id: `keys#${streamArn}` },
          UpdateExpression:
            'SET applications = list_append(if_not_exists(applications, :none), :one), expiration = :ttl',
          ExpressionAttributeValues: {
            ':none': [],
            ':one': [application],
            ':ttl': Math.floor(Date.parse(application.at) / 1000) + DAY_SECONDS + 3600,
          },
        })
      );
    } catch (error) {
      throw serviceFailure(error, 'dynamodb:UpdateItem', this.#tableName);
    }
  }
}
