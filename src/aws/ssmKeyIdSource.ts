import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { RetryableError } from '../domain/errors';
import { type ParsedKeyId, parseKeyId } from '../domain/keyId';
import type { KeyIdSource } from '../domain/ports';

/**
 * Default KeyId from the environment, overridden by an optional SSM parameter (cached for
 * `maxAgeSeconds`) so an organisation can rotate its default without redeploying.
 */
export class SsmKeyIdSource implements KeyIdSource {
  readonly #fallback: ParsedKeyId;
  readonly #parameterName: string | undefined;
  readonly #provider: SSMProvider;
  readonly #maxAgeSeconds: number;
  #missingUntil = 0;

  public constructor(options: {
    fallback: ParsedKeyId;
    parameterName: string | undefined;
    provider: SSMProvider;
    maxAgeSeconds: number;
  }) {
    this.#fallback = options.fallback;
    this.#parameterName = options.parameterName;
    this.#provider = options.provider;
    this.#maxAgeSeconds = options.maxAgeSeconds;
  }

  public async resolve(): Promise<{ keyId: string; source: string }> {
    const name = this.#parameterName;
    if (name === undefined || name === '' || Date.now() < this.#missingUntil) {
      return { keyId: this.#fallback.value, source: 'DEFAULT_KMS_KEY_ID' };
    }
    let value: string;
    try {
      value = await this.#provider.get(name, { maxAge: this.#maxAgeSeconds, throwOnMissing: true });
    } catch (error) {
      if (error instanceof ParameterNotFoundError) {
        this.#missingUntil = Date.now() + this.#maxAgeSeconds * 1000;
        return { keyId: this.#fallback.value, source: 'DEFAULT_KMS_KEY_ID' };
      }
      throw new RetryableError(`Could not read SSM parameter ${name}`, { cause: error });
    }
    return { keyId: parseKeyId(value, `SSM parameter ${name}`).value, source: `ssm:${name}` };
  }
}
