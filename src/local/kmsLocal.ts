import { randomUUID } from 'node:crypto';
import { awsJsonError, type LocalRequest, type LocalResponse, type LocalService } from './gateway';

/** Gateway prefix of the KMS JSON protocol. */
export const KMS_TARGET_PREFIX = 'TrentService';

/** Alias of the AWS managed key for Kinesis; exists in every account and region. */
export const KINESIS_MANAGED_ALIAS = 'alias/aws/kinesis';

export type LocalKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';
export type LocalKeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
export type LocalKeyManager = 'CUSTOMER' | 'AWS';

/** A key of the local KMS. Without `account`/`region` it exists in every account/region (same key id). */
export interface LocalKeyConfig {
  /** UUID; a fresh one when omitted. */
  keyId?: string;
  /** e.g. `['alias/org-kinesis']`. */
  aliases?: string[];
  /** Default `true` unless `keyState` says otherwise. */
  enabled?: boolean;
  /** Default `Enabled` (or `Disabled` when `enabled` is false). */
  keyState?: LocalKeyState;
  /** Default `ENCRYPT_DECRYPT`. */
  keyUsage?: LocalKeyUsage;
  /** Default `SYMMETRIC_DEFAULT`, e.g. `RSA_2048`. */
  keySpec?: string;
  /** Default `CUSTOMER`. */
  keyManager?: LocalKeyManager;
  description?: string;
  account?: string;
  region?: string;
}

/** `KeyMetadata` as KMS DescribeKey returns it. */
export interface LocalKeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: number;
  Enabled: boolean;
  Description: string;
  KeyUsage: LocalKeyUsage;
  KeyState: LocalKeyState;
  Origin: 'AWS_KMS';
  KeyManager: LocalKeyManager;
  CustomerMasterKeySpec: string;
  KeySpec: string;
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  MultiRegion: boolean;
  DeletionDate?: number;
  PendingDeletionWindowInDays?: number;
}

/** One request the local KMS answered. */
export interface LocalKmsCall {
  operation: string;
  account: string;
  region: string;
  keyId: string | undefined;
  /** Error type returned, if any. */
  error?: string;
}

interface StoredKey {
  metadata: LocalKeyMetadata;
  aliases: string[];
}

const ARN_PATTERN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;
const FAULT_STATUS: Record<string, number> = { KMSInternalException: 500, DependencyTimeoutException: 503 };

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

const algorithmsFor = (
  usage: LocalKeyUsage,
  spec: string
): Pick<LocalKeyMetadata, 'EncryptionAlgorithms' | 'SigningAlgorithms'> => {
  if (usage === 'SIGN_VERIFY') {
    return spec.startsWith('RSA')
      ? { SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_256'] }
      : { SigningAlgorithms: ['ECDSA_SHA_256'] };
  }
  if (usage === 'ENCRYPT_DECRYPT') {
    return spec === 'SYMMETRIC_DEFAULT'
      ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }
      : { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] };
  }
  return {};
};

/**
 * A small local KMS: `DescribeKey` (all five KeyId forms) and `ListAliases` for configured keys,
 * per account and region, plus the AWS managed `alias/aws/kinesis` key everywhere.
 */
export class LocalKms {
  /** Every request answered, oldest first. */
  public readonly calls: LocalKmsCall[] = [];
  /** Gateway service; register under {@link KMS_TARGET_PREFIX}. */
  public readonly service: LocalService = async (req) => this.#handle(req);

  readonly #templates: LocalKeyConfig[] = [];
  /** `account/region` → keys of that account/region. */
  readonly #keys = new Map<string, StoredKey[]>();
  #faults: { remaining: number; errorType: string } = { remaining: 0, errorType: 'KMSInternalException' };

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
    key.metadata.KeyState = keyState;
    key.metadata.Enabled = keyState === 'Enabled';
    if (keyState === 'PendingDeletion') {
      key.metadata.DeletionDate = epochSeconds(new Date(Date.now() + 7 * 86_400_000));
      key.metadata.PendingDeletionWindowInDays = 7;
    } else {
      delete key.metadata.DeletionDate;
      delete key.metadata.PendingDeletionWindowInDays;
    }
  }

  /** The next `count` requests fail with `errorType` (e.g. `KMSInternalException`, `ThrottlingException`). */
  public failNext(count: number, errorType = 'KMSInternalException'): void {
    this.#faults = { remaining: count, errorType };
  }

  /** DescribeKey as the caller `account`/`region` would see it; `undefined` when not found. */
  public describeKey(account: string, region: string, keyId: string): LocalKeyMetadata | undefined {
    const key = this.#find(account, region, keyId);
    return key === undefined ? undefined : { ...key.metadata };
  }

  #matches(config: LocalKeyConfig, account: string, region: string): boolean {
    return (config.account ?? account) === account && (config.region ?? region) === region;
  }

  #store(account: string, region: string, config: LocalKeyConfig & { keyId: string }): StoredKey {
    const keyUsage = config.keyUsage ?? 'ENCRYPT_DECRYPT';
    const keySpec = config.keySpec ?? 'SYMMETRIC_DEFAULT';
    const keyState = config.keyState ?? (config.enabled === false ? 'Disabled' : 'Enabled');
    const keyManager = config.keyManager ?? 'CUSTOMER';
    const stored: StoredKey = {
      aliases: config.aliases ?? [],
      metadata: {
        AWSAccountId: account,
        KeyId: config.keyId,
        Arn: `arn:aws:kms:${region}:${account}:key/${config.keyId}`,
        CreationDate: epochSeconds(new Date()),
        Enabled: keyState === 'Enabled',
        Description:
          config.description ??
          (keyManager === 'AWS' ? 'Default key that protects my Kinesis data when no other key is defined' : ''),
        KeyUsage: keyUsage,
        KeyState: keyState,
        Origin: 'AWS_KMS',
        KeyManager: keyManager,
        CustomerMasterKeySpec: keySpec,
        KeySpec: keySpec,
        ...algorithmsFor(keyUsage, keySpec),
        MultiRegion: false,
      },
    };
    this.#scope(account, region).push(stored);
    if (keyState === 'PendingDeletion') this.setKeyState(account, region, config.keyId, keyState);
    return stored;
  }

  /** Keys of one account/region, materialising templates and the AWS managed Kinesis key on first use. */
  #scope(account: string, region: string): StoredKey[] {
    const name = `${account}/${region}`;
    let keys = this.#keys.get(name);
    if (keys === undefined) {
      keys = [];
      this.#keys.set(name, keys);
      for (const template of this.#templates) {
        if (this.#matches(template, account, region))
          this.#store(account, region, template as LocalKeyConfig & { keyId: string });
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

  async #handle(req: LocalRequest): Promise<LocalResponse> {
    const input = (req.json ?? {}) as { KeyId?: unknown };
    const keyId = typeof input.KeyId === 'string' ? input.KeyId : undefined;
    const response = this.#answer(req, keyId);
    const error = response.status >= 400 ? response.headers?.['x-amzn-ErrorType'] : undefined;
    this.calls.push({
      operation: req.operation,
      account: req.account,
      region: req.region,
      keyId,
      ...(error ? { error } : {}),
    });
    return response;
  }

  #answer(req: LocalRequest, keyId: string | undefined): LocalResponse {
    if (this.#faults.remaining > 0) {
      this.#faults.remaining -= 1;
      const type = this.#faults.errorType;
      return awsJsonError(type, `Injected local fault: ${type}`, FAULT_STATUS[type] ?? 400);
    }
    switch (req.operation) {
      case 'DescribeKey': {
        if (keyId === undefined || keyId === '') {
          return awsJsonError(
            'ValidationException',
            "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"
          );
        }
        const key = this.#find(req.account, req.region, keyId);
        if (key === undefined) {
          const message = keyId.includes('alias/')
            ? `Alias ${keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${req.region}:${req.account}:${keyId}`} is not found.`
            : `Key '${keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${req.region}:${req.account}:key/${keyId}`}' does not exist`;
          return awsJsonError('NotFoundException', message);
        }
        return { status: 200, body: { KeyMetadata: key.metadata } };
      }
      case 'ListAliases': {
        const keys = this.#scope(req.account, req.region);
        const filter = keyId === undefined ? undefined : this.#find(req.account, req.region, keyId);
        if (keyId !== undefined && filter === undefined)
          return awsJsonError('NotFoundException', `Key '${keyId}' does not exist`);
        const Aliases = keys
          .filter((key) => filter === undefined || key === filter)
          .flatMap((key) =>
            key.aliases.map((alias) => ({
              AliasName: alias,
              AliasArn: `arn:aws:kms:${req.region}:${req.account}:${alias}`,
              TargetKeyId: key.metadata.KeyId,
              CreationDate: key.metadata.CreationDate,
              LastUpdatedDate: key.metadata.CreationDate,
            }))
          );
        return { status: 200, body: { Aliases, Truncated: false } };
      }
      default:
        return awsJsonError('UnknownOperationException', `Local KMS does not implement ${req.operation}`);
    }
  }
}
