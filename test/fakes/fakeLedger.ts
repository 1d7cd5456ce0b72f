import type { ApplyLedger, ApplyRecord } from '../../src/domain/ports';

/** In-memory {@link ApplyLedger}. */
export class FakeLedger implements ApplyLedger {
  public readonly records = new Map<string, ApplyRecord>();

  public async get(eventId: string): Promise<ApplyRecord | undefined> {
    return this.records.get(eventId);
  }

  public async put(record: ApplyRecord): Promise<void> {
    this.records.set(record.eventId, record);
  }
}
