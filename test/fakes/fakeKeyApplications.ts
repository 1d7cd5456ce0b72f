import type { KeyApplication } from '../../src/domain/keyBudget';
import type { KeyApplicationLedger } from '../../src/domain/ports';

/** In-memory {@link KeyApplicationLedger}. */
export class FakeKeyApplications implements KeyApplicationLedger {
  public readonly byStream = new Map<string, KeyApplication[]>();

  public async list(streamArn: string): Promise<KeyApplication[]> {
    return [...(this.byStream.get(streamArn) ?? [])];
  }

  public async record(streamArn: string, application: KeyApplication): Promise<void> {
    this.byStream.set(streamArn, [...(this.byStream.get(streamArn) ?? []), application]);
  }
}
