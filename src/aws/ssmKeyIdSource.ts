import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { record, regex, safeParse, string } from 'zod/mini';
import { assertKeyFitsDeployment } from '../domain/assertKeyFitsDeployment';
import type { Deployment } from '../domain/deployment';
import { ConfigurationError, RetryableError } from '../domain/errors';
import { type ParsedKeyId, parseKeyId } from '../domain/keyId';
import type { KeyIdSource } from '../domain/ports';

/** A parameter value of this form maps accounts (`"<account>"`, `"<account>/<region>"`, `"default"`) to KeyIds. */
const keyMapSchema = record(string().check(regex(/^(default|\d{12}(\/[a-z]{2}(-[a-z]+)+-\d)?)$/)), string());

type Resolved = { keyId: string; source: string };

/**
 * Default KeyId from the environment, overridden by an optional SSM parameter (cached for
 * `maxAgeSeconds`) so an organisation can rotate its default without redeploying. The parameter holds a
 * KeyId, or a JSON map giving members their own keys: `{"default": K, "<account>": K, "<account>/<region>": K}`
 * (the most specific entry wins). With the stream's account and region, the chosen key is checked against
 * them, so a key Kinesis cannot use there (another region, another account without ALLOW_CROSS_ACCOUNT_KEY)
 * ends that stream Failed with the reason instead of an apply that cannot work.
 */
export class SsmKeyIdSource implements KeyIdSource {
  readonly #fallback: ParsedKeyId;
  readonly #parameterName: string | undefined;
  readonly #provider: SSMProvider;
  readonly #maxAgeSeconds: number;
  readonly #allowCrossAccountKey: boolean;
  #missingUntil = 0;
  #reading: Promise<string | undefined> | undefined;

  public constructor(options: {
    fallback: ParsedKeyId;
    parameterName: string | undefined;
    provider: SSMProvider;
    maxAgeSeconds: number;
    /** ALLOW_CROSS_ACCOUNT_KEY (default false). */
    allowCrossAccountKey?: boolean;
  }) {
    this.#fallback = options.fallback;
    this.#parameterName = options.parameterName;
    this.#provider = options.provider;
    this.#maxAgeSeconds = options.maxAgeSeconds;
    this.#allowCrossAccountKey = options.allowCrossAccountKey ?? false;
  }

  /** @throws {ConfigurationError} when the map is malformed or the key cannot encrypt a stream of `where` */
  public async resolve(where?: Deployment): Promise<Resolved> {
    const fallback: Resolved = { keyId: this.#fallback.value, source: 'kmsKeyId' };
    const value = await this.#parameterValue();
    const chosen = value === undefined ? fallback : this.#choose(value, fallback, where);
    if (where !== undefined) {
      assertKeyFitsDeployment(parseKeyId(chosen.keyId, chosen.source), where, {
        source: chosen.source,
        allowCrossAccountKey: this.#allowCrossAccountKey,
        subject: `the stream ${where.account} is in`,
      });
    }
    return chosen;
  }

  #choose(value: string, fallback: Resolved, where: Deployment | undefined): Resolved {
    const source = `ssm:${this.#parameterName}`;
    if (!value.trim().startsWith('{'))
      return { keyId: parseKeyId(value, `SSM parameter ${this.#parameterName}`).value, source };
    const map = this.#mapOf(value);
    const entries = where === undefined ? ['default'] : [`${where.account}/${where.region}`, where.account, 'default'];
    const entry = entries.find((key) => map[key] !== undefined);
    if (entry === undefined) return fallback;
    return { keyId: parseKeyId(map[entry] as string, `${source}[${entry}]`).value, source: `${source}[${entry}]` };
  }

  #mapOf(value: string): Record<string, string> {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch (error) {
      throw new ConfigurationError(`SSM parameter ${this.#parameterName} is not a KeyId nor a JSON map`, {
        cause: error,
      });
    }
    const parsed = safeParse(keyMapSchema, json);
    if (!parsed.success) {
      throw new ConfigurationError(
        `SSM parameter ${this.#parameterName} must map "default", "<account>" or "<account>/<region>" to a KeyId`,
        { cause: parsed.error }
      );
    }
    return parsed.data;
  }

  /** One read at a time: the callers that arrive while it is in flight (a sweep's account-regions) share it. */
  #parameterValue(): Promise<string | undefined> {
    const name = this.#parameterName;
    if (name === undefined || name === '' || Date.now() < this.#missingUntil) return Promise.resolve(undefined);
    this.#reading ??= this.#read(name).finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(name: string): Promise<string | undefined> {
    try {
      return await this.#provider.get(name, { maxAge: this.#maxAgeSeconds, throwOnMissing: true });
    } catch (error) {
      if (error instanceof ParameterNotFoundError) {
        this.#missingUntil = Date.now() + this.#maxAgeSeconds * 1000;
        return undefined;
      }
      throw new RetryableError(`Could not read SSM parameter ${name}`, { cause: error });
    }
  }
}
