import { randomUUID } from 'node:crypto';
import { awsJsonError, type LocalRequest, type LocalResponse, type LocalService } from './gateway';
import {
  defaultKeyPolicy,
  keyMetadata,
  type LocalKeyConfig,
  type LocalKeyMetadata,
  type LocalKeyState,
  setMetadataState,
} from './localKmsKey';
import { regionPartition } from './regionPartition';

/** Gateway prefix of the KMS JSON protocol. */
export const KMS_TARGET_PREFIX = 'TrentService';

/** Alias of the AWS managed key for Kinesis; exists in every account and region. */
export const KINESIS_MANAGED_ALIAS = 'alias/aws/kinesis';

interface StoredKey {
  metadata: LocalKeyMetadata;
  aliases: string[];
  policy: string;
}

const ARN_PATTERN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;

/**
 * A small local KMS: `DescribeKey` (all five KeyId forms), `GetKeyPolicy` and `ListAliases` for configured keys,
 * per account and region, plus the AWS managed `alias/aws/kinesis` key everywhere. Service
 * errors are injected at the gateway (`injectFault`).
 */
export class LocalKms {
  /** Gateway service; register under {@link KMS_TARGET_PREFIX}. */
  public readonly service: LocalService = async (req) => this.#answer(req);

  readonly #templates: (LocalKeyConfig & { keyId: string })[] = [];
  /** `account/region` → keys of that account/region. */
  readonly #keys = new Map<string, StoredKey[]>();

  public constructor(keys: LocalKeyConfig[] = []) {
    for (const key of keys) this.addKey(key);
  }

  /** Adds a key; returns its key id. Without `account`/`region` the key exists everywhere. */
  public addKey(config: LocalKeyConfig): string {
    const keyId = config.keyId ?? randomUUID();
    const withId = { ...config, keyId };
    if (config.account === undefined || config.region === undefined) {
      this.#templates.push(withId);
      for (const scope of this.#keys.keys()) {
        const [account = '', region = ''] = scope.split('/');
        if (this.#matches(withId, account, region)) this.#store(account, region, withId);
      }
    } else {
      this.#scope(config.account, config.region);
      this.#store(config.account, config.region, withId);
    }
    return keyId;
  }

  /** Changes the state of a key (found by any KeyId form) in one account/region. */
  public setKeyState(account: string, region: string, keyId: string, keyState: LocalKeyState): void {
    const key = this.#find(account, region, keyId);
    if (key === undefined) throw new Error(`No local KMS key ${keyId} in ${account}/${region}`);
    setMetadataState(key.metadata, keyState);
  }

  #matches(config: LocalKeyConfig, account: string, region: string): boolean {
    return (config.account ?? account) === account && (config.region ?? region) === region;
  }

  #store(account: string, region: string, config: LocalKeyConfig & { keyId: string }): void {
    this.#scope(account, region).push({
      aliases: config.aliases ?? [],
      metadata: keyMetadata(account, region, config),
      policy: config.policy ?? defaultKeyPolicy(account, regionPartition(region)),
    });
  }

  /** Keys of one account/region, materialising templates and the AWS managed Kinesis key on first use. */
  #scope(account: string, region: string): StoredKey[] {
    const name = `${account}/${region}`;
    let keys = this.#keys.get(name);
    if (keys === undefined) {
      keys = [];
      this.#keys.set(name, keys);
      for (const template of this.#templates) {
        if (this.#matches(template, account, region)) this.#store(account, region, template);
      }
      if (!keys.some((key) => key.aliases.includes(KINESIS_MANAGED_ALIAS))) {
        this.#store(account, region, { keyId: randomUUID(), aliases: [KINESIS_MANAGED_ALIAS], keyManager: 'AWS' });
      }
    }
    return keys;
  }

  #find(account: string, region: string, keyId: string): StoredKey | undefined {
    const arn = keyId.match(ARN_PATTERN);
    if (arn !== null) {
      const [, arnRegion = '', arnAccount = '', resource = ''] = arn;
      const keys = this.#scope(arnAccount, arnRegion);
      return resource.startsWith('key/')
        ? keys.find((key) => key.metadata.KeyId === resource.slice(4))
        : keys.find((key) => key.aliases.includes(resource));
    }
    const keys = this.#scope(account, region);
    return keyId.startsWith('alias/')
      ? keys.find((key) => key.aliases.includes(keyId))
      : keys.find((key) => key.metadata.KeyId === keyId);
  }

  #answer(req: LocalRequest): LocalResponse {
    const input = (req.json ?? {}) as { KeyId?: unknown };
    const keyId = typeof input.KeyId === 'string' ? input.KeyId : undefined;
    switch (req.operation) {
      case 'DescribeKey':
        return this.#describeKey(req, keyId);
      case 'ListAliases':
        return this.#listAliases(req, keyId);
      case 'GetKeyPolicy':
        return this.#getKeyPolicy(req, keyId);
      default:
        return awsJsonError('UnknownOperationException', `Local KMS does not implement ${req.operation}`);
    }
  }

  #describeKey(req: LocalRequest, keyId: string | undefined): LocalResponse {
    if (keyId === undefined || keyId === '') {
      return awsJsonError(
        'ValidationException',
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"
      );
    }
    const key = this.#find(req.account, req.region, keyId);
    if (key === undefined) {
      const arnPrefix = `arn:${regionPartition(req.region)}:kms:${req.region}:${req.account}`;
      const message = keyId.includes('alias/')
        ? `Alias ${keyId.startsWith('arn:') ? keyId : `${arnPrefix}:${keyId}`} is not found.`
        : `Key '${keyId.startsWith('arn:') ? keyId : `${arnPrefix}:key/${keyId}`}' does not exist`;
      return awsJsonError('NotFoundException', message);
    }
    return { status: 200, body: { KeyMetadata: key.metadata } };
  }

  /** GetKeyPolicy takes a key id or key ARN (no alias), and only the policy name `default`. */
  #getKeyPolicy(req: LocalRequest, keyId: string | undefined): LocalResponse {
    const key =
      keyId === undefined || keyId.includes('alias/') ? undefined : this.#find(req.account, req.region, keyId);
    if (key === undefined) return awsJsonError('NotFoundException', `Key '${keyId}' does not exist`);
    return { status: 200, body: { Policy: key.policy, PolicyName: 'default' } };
  }

  #listAliases(req: LocalRequest, keyId: string | undefined): LocalResponse {
    const keys = this.#scope(req.account, req.region);
    const filter = keyId === undefined ? undefined : this.#find(req.account, req.region, keyId);
    if (keyId !== undefined && filter === undefined) {
      return awsJsonError('NotFoundException', `Key '${keyId}' does not exist`);
    }
    const Aliases = keys
      .filter((key) => filter === undefined || key === filter)
      .flatMap((key) =>
        key.aliases.map((alias) => ({
          AliasName: alias,
          AliasArn: `arn:${regionPartition(req.region)}:kms:${req.region}:${req.account}:${alias}`,
          TargetKeyId: key.metadata.KeyId,
          CreationDate: key.metadata.CreationDate,
          LastUpdatedDate: key.metadata.CreationDate,
        }))
      );
    return { status: 200, body: { Aliases, Truncated: false } };
  }
}
