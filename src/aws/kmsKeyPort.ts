import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import { KeyProblem, KeyUnusableError } from '../domain/failures';
import type { KeyFacts, KeyPort } from '../domain/keyCheck';
import { kmsFailure } from './kmsFailure';

/** {@link KeyPort} on KMS DescribeKey (aliases resolve to their key). */
export class KmsKeyPort implements KeyPort {
  readonly #client: KMSClient;

  public constructor(client: KMSClient) {
    this.#client = client;
  }

  public async describeKey(keyId: string): Promise<KeyFacts> {
    let key: KeyMetadata | undefined;
    try {
      ({ KeyMetadata: key } = await this.#client.send(new DescribeKeyCommand({ KeyId: keyId })));
    } catch (error) {
      throw kmsFailure(error, keyId);
    }
    if (key === undefined) {
      throw new KeyUnusableError(keyId, KeyProblem.NotFound, `KMS key ${keyId} does not exist (no key metadata)`);
    }
    return {
      keyArn: key.Arn ?? keyId,
      keyState: key.KeyState ?? 'Unknown',
      enabled: key.Enabled === true,
      keyUsage: key.KeyUsage ?? 'Unknown',
      keySpec: key.KeySpec ?? key.CustomerMasterKeySpec ?? 'Unknown',
      keyManager: key.KeyManager ?? 'Unknown',
    };
  }
}
