import type { KMSClient } from '@aws-sdk/client-kms';
import type { KeyPolicyPort } from '../domain/keyCheck';
import { type KeyPolicyContext, type KeyPolicyVerdict, keyPolicyVerdict } from '../keyPolicy/keyPolicyVerdict';
import { type KeyPolicyRead, KmsKeyPolicySource } from './kmsKeyPolicySource';
import { serviceFailure } from './serviceFailure';

/** The stream's deployment: whose principals must be able to use the key, and where. */
export type KeyPolicyCheckContext = Omit<KeyPolicyContext, 'keyArn'>;

/**
 * Key policy pre-flight: reads the key policy (kms:GetKeyPolicy) and evaluates with
 * {@link keyPolicyVerdict} whether principals of the stream's account may call kms:GenerateDataKey
 * and kms:Decrypt through Kinesis. A policy that cannot be read (a key of another account —
 * GetKeyPolicy has no cross-account use —, access denied, key not found) is not evaluated: the
 * verdict is then usable, and the reason says why it was not judged.
 */
export class KmsKeyPolicyCheck implements KeyPolicyPort {
  readonly #source: KmsKeyPolicySource;

  public constructor(client: KMSClient) {
    this.#source = new KmsKeyPolicySource(client);
  }

  /** @throws {AutoEncryptError} (retryable or throttled) when KMS could not answer */
  public async check(keyArn: string, context: KeyPolicyCheckContext): Promise<KeyPolicyVerdict> {
    const keyAccount = keyArn.startsWith('arn:') ? keyArn.split(':')[4] : undefined;
    if (keyAccount !== undefined && keyAccount !== context.account) {
      return {
        usable: true,
        reason: `policy not readable: ${keyArn} belongs to account ${keyAccount} and GetKeyPolicy has no cross-account use; not evaluated`,
      };
    }
    let read: KeyPolicyRead;
    try {
      read = await this.#source.keyPolicy(keyArn);
    } catch (error) {
      throw serviceFailure(error, `KMS GetKeyPolicy of ${keyArn}`, keyArn);
    }
    if (!read.readable) return { usable: true, reason: `policy not readable: ${read.reason}; not evaluated` };
    return keyPolicyVerdict(read.policy, { ...context, keyArn });
  }
}
