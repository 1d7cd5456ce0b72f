import type { KeyIdSource } from '../../src/domain/ports';

/** {@link KeyIdSource} answering a fixed KeyId, or throwing. */
export class FakeKeyIdSource implements KeyIdSource {
  readonly #answer: string | Error;

  public constructor(answer: string | Error) {
    this.#answer = answer;
  }

  public async resolve(): Promise<{ keyId: string; source: string }> {
    if (this.#answer instanceof Error) throw this.#answer;
    return { keyId: this.#answer, source: 'fake' };
  }
}
