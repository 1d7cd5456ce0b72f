/** `KeyState` values the local KMS models. */
export type LocalKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';
type LocalKeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
type LocalKeyManager = 'CUSTOMER' | 'AWS';

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
  /** Key policy document (JSON); default: the default key policy of the key's account. */
  policy?: string;
  account?: string;
  region?: string;
}

import { regionPartition } from './regionPartition';

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

/** Sets `KeyState` and `Enabled`; a key pending deletion gets a 7-day `DeletionDate`. */
export const setMetadataState = (metadata: LocalKeyMetadata, keyState: LocalKeyState): void => {
  metadata.KeyState = keyState;
  metadata.Enabled = keyState === 'Enabled';
  if (keyState === 'PendingDeletion') {
    metadata.DeletionDate = epochSeconds(new Date(Date.now() + 7 * 86_400_000));
    metadata.PendingDeletionWindowInDays = 7;
  } else {
    delete metadata.DeletionDate;
    delete metadata.PendingDeletionWindowInDays;
  }
};

/** The DescribeKey metadata of a configured key in one account and region. */
export const keyMetadata = (
  account: string,
  region: string,
  config: LocalKeyConfig & { keyId: string }
): LocalKeyMetadata => {
  const keyUsage = config.keyUsage ?? 'ENCRYPT_DECRYPT';
  const keySpec = config.keySpec ?? 'SYMMETRIC_DEFAULT';
  const keyState = config.keyState ?? (config.enabled === false ? 'Disabled' : 'Enabled');
  const keyManager = config.keyManager ?? 'CUSTOMER';
  const metadata: LocalKeyMetadata = {
    AWSAccountId: account,
    KeyId: config.keyId,
    Arn: `arn:${regionPartition(region)}:kms:${region}:${account}:key/${config.keyId}`,
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
  };
  if (keyState === 'PendingDeletion') setMetadataState(metadata, keyState);
  return metadata;
};

/**
 * The default key policy KMS gives a key created without one: the account root may use the key, which
 * delegates to IAM (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html). The root's ARN
 * is in the key's partition (`arn:aws-cn:iam::<account>:root` in China).
 */
export const defaultKeyPolicy = (account: string, partition = 'aws'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
