import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { KeyFacts, KeyPort } from '../domain/ports';

/** {@link KeyPort} on KMS DescribeKey (aliases resolve to their key). */
export class KmsKeyPort implements KeyPort {
  readonly #client: KMSClient;

  public constructor(client: KMSClient) {
    this.#client = client;
  }

  public async describeKey(keyId: string): Promise<KeyFacts> {
    const { KeyMetadata: key } = await this.#client.send(new DescribeKeyCommand({ KeyId: keyId }));
    if (key === undefined)
      throw Object.assign(new Error(`DescribeKey returned no metadata for ${keyId}`), { name: 'NotFoundException' });
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
