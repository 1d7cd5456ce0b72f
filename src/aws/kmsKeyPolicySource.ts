import { GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';

/** A key policy, or why it could not be read (the pre-flight then cannot judge the key). */
export type KeyPolicyRead = { readable: true; policy: string } | { readable: false; reason: string };

/** Errors after which the policy stays unreadable however often it is asked for. */
const UNREADABLE = new Set(['AccessDeniedException', 'NotFoundException', 'KMSInvalidStateException']);

/**
 * Reads a key's policy with kms:GetKeyPolicy (`PolicyName: 'default'`, the only valid name).
 * GetKeyPolicy has no cross-account use, so a key of another account is always unreadable here.
 * Other errors (throttling, service faults) are thrown for the caller to retry.
 */
export class KmsKeyPolicySource {
  readonly #client: KMSClient;

  public constructor(client: KMSClient) {
    this.#client = client;
  }

  public async keyPolicy(keyArn: string): Promise<KeyPolicyRead> {
    try {
      const { Policy } = await this.#client.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
      if (Policy === undefined) return { readable: false, reason: `GetKeyPolicy returned no policy for ${keyArn}` };
      return { readable: true, policy: Policy };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (!UNREADABLE.has(name)) throw error;
      return {
        readable: false,
        reason: `cannot read the key policy of ${keyArn} (${name}: ${(error as Error).message})`,
      };
    }
  }
}
