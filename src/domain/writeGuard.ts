import type { Deployment } from './deployment';
import type { ErrorSummary } from './errorSummary';
import type { KeyPort } from './keyCheck';
import { classifyKeyId, KeyIdForm } from './keyId';

/**
 * Tag the pipeline sets (value: the key ARN) once a stream is confirmed encrypted and settled, and removes when it is
 * not; the write guard's SCP refuses writes to a stream without it (docs/write-guard.md).
 */
export const GUARD_TAG_KEY = 'kinesis-auto-encrypt:encrypted';

/** Stage parameter `writeGuard` (WRITE_GUARD): `off`, or the pipeline keeps the guard tag (`prepare`, `enforce`). */
export const WriteGuard = { Off: 'off', Prepare: 'prepare', Enforce: 'enforce' } as const;

export type WriteGuard = (typeof WriteGuard)[keyof typeof WriteGuard];

/** What one reconcile (or confirmation) did with the guard tag; the completion event's `guardTag`. */
export interface GuardTagResult {
  /** `Set` by this call, already `Present` with the value, `Removed` (stale or forged), or the call `Failed`. */
  status: 'Set' | 'Present' | 'Removed' | 'Failed';
  /** The key ARN the tag carries or was to carry; null for a removal. */
  value: string | null;
  error: ErrorSummary | null;
}

/** Whether the pipeline keeps the guard tag: a write guard, and a mode that changes streams. */
export const keepsGuardTag = (writeGuard: WriteGuard | undefined, mode: string): boolean =>
  writeGuard !== undefined && writeGuard !== WriteGuard.Off && mode === 'enforce';

/**
 * The ARN of the key a KeyId names, for the guard tag's value: a key ARN as it is; otherwise KMS DescribeKey in the
 * stream's account and region (`KeyMetadata.Arn`). When DescribeKey is refused (a team's key outside the pipeline's
 * `kms:DescribeKey` scope), the ARN is built from the KeyId in the stream's account and region: `key/<id>` for a key
 * id, the alias ARN for an alias, which names the key as well. Never throws.
 */
export const keyArnOf = async (keys: KeyPort, keyId: string, where: Deployment): Promise<string> => {
  const form = classifyKeyId(keyId);
  if (form === KeyIdForm.KeyArn) return keyId;
  try {
    return (await keys.describeKey(keyId)).keyArn;
  } catch {
    if (form === KeyIdForm.AliasArn) return keyId;
    const kind = form === KeyIdForm.KeyId ? 'key/' : '';
    return `arn:${where.partition}:kms:${where.region}:${where.account}:${kind}${keyId}`;
  }
};
