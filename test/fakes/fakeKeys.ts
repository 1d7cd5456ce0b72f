import type { KeyFacts, KeyPort } from '../../src/domain/keyCheck';

/** Facts of a key Kinesis can use. */
export const usableKeyFacts = (keyArn: string): KeyFacts => ({
  keyArn,
  keyState: 'Enabled',
  enabled: true,
  keyUsage: 'ENCRYPT_DECRYPT',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyManager: 'CUSTOMER',
});

/** In-memory {@link KeyPort}: each KeyId (alias or id) maps to its facts or to the error DescribeKey raises. */
export class FakeKeys implements KeyPort {
  public readonly described: string[] = [];
  readonly #keys: Map<string, KeyFacts | Error>;

  public constructor(keys: Record<string, KeyFacts | Error>) {
    this.#keys = new Map(Object.entries(keys));
  }

  public async describeKey(keyId: string): Promise<KeyFacts> {
    this.described.push(keyId);
    const key = this.#keys.get(keyId);
    if (key === undefined) throw new Error(`FakeKeys: no key ${keyId}`);
    if (key instanceof Error) throw key;
    return key;
  }
}
