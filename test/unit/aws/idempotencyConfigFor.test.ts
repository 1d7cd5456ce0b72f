import {
  IdempotencyKeyError,
  IdempotencyPersistenceLayerError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { idempotencyConfigFor } from '../../../src/aws/idempotencyConfigFor';

class MemoryPersistence extends BasePersistenceLayer {
  public readonly keys: string[] = [];
  protected async _getRecord(): Promise<IdempotencyRecord> {
    throw new Error('not used');
  }
  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    this.keys.push(record.idempotencyKey);
  }
  protected async _updateRecord(): Promise<void> {}
  protected async _deleteRecord(): Promise<void> {}
}

describe('idempotencyConfigFor', () => {
  it('keys records on detail.eventID only', async () => {
    // Prepare
    const store = new MemoryPersistence();
    const fn = makeIdempotent(async (_event: unknown) => 'done', {
      persistenceStore: store,
      config: idempotencyConfigFor(86_400),
    });

    // Act
    await fn({ id: 'envelope-1', detail: { eventID: 'e-1' } });
    await fn({ id: 'envelope-2', detail: { eventID: 'e-1', extra: true } });

    // Assess
    expect(store.keys).toHaveLength(2);
    expect(store.keys[0]).toBe(store.keys[1]);
  });

  it('refuses an event without eventID (IdempotencyPersistenceLayerError caused by IdempotencyKeyError)', async () => {
    // Prepare
    const store = new MemoryPersistence();
    const fn = makeIdempotent(async (_event: unknown) => 'done', {
      persistenceStore: store,
      config: idempotencyConfigFor(86_400),
    });

    // Act
    const error = await fn({ detail: {} }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(IdempotencyPersistenceLayerError);
    expect((error as Error).cause).toBeInstanceOf(IdempotencyKeyError);
    expect(store.keys).toHaveLength(0);
  });
});
