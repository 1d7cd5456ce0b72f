import type { KMSClient } from '@aws-sdk/client-kms';
import type { Deployment } from '../domain/deployment';
import type { KeyPolicyJudge, KeyPolicyPort } from '../domain/keyCheck';
import { keyPolicyVerdict } from '../keyPolicy/keyPolicyVerdict';
import { type KeyPolicyRead, KmsKeyPolicySource } from './kmsKeyPolicySource';
import { serviceFailure } from './serviceFailure';

/**
 * Key policy pre-flight: reads the key policy (kms:GetKeyPolicy) once, and judges it per stream with
 * {@link keyPolicyVerdict}: may some principal of the stream's account call kms:GenerateDataKey and kms:Decrypt
 * through Kinesis for that stream? A policy that cannot be read (a key of another account — GetKeyPolicy has no
 * cross-account use —, access denied, key not found) is not evaluated: the verdict is then usable, and the reason
 * says why it was not judged.
 */
export class KmsKeyPolicyCheck implements KeyPolicyPort {
  readonly #source: KmsKeyPolicySource;

  public constructor(client: KMSClient) {
    this.#source = new KmsKeyPolicySource(client);
  }

  /** @throws {AutoEncryptError} (retryable or throttled) when KMS could not answer */
  public async policyOf(keyArn: string, deployment: Deployment): Promise<KeyPolicyJudge> {
    const keyAccount = keyArn.startsWith('arn:') ? keyArn.split(':')[4] : undefined;
    if (keyAccount !== undefined && keyAccount !== deployment.account) {
      const reason = `policy not readable: ${keyArn} belongs to account ${keyAccount} and GetKeyPolicy has no cross-account use; not evaluated`;
      return () => ({ usable: true, reason });
    }
    let read: KeyPolicyRead;
    try {
      read = await this.#source.keyPolicy(keyArn);
    } catch (error) {
      throw serviceFailure(error, `KMS GetKeyPolicy of ${keyArn}`, keyArn);
    }
    if (!read.readable) {
      const reason = `policy not readable: ${read.reason}; not evaluated`;
      return () => ({ usable: true, reason });
    }
    const { policy } = read;
    return (stream) => keyPolicyVerdict(policy, { ...stream, keyArn });
  }
}
