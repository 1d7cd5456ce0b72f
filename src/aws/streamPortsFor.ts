import type { Deployment } from '../domain/deployment';
import { KeyCheck, type KeyCheckCache, type KeyPolicyMode } from '../domain/keyCheck';
import type { StreamPorts } from '../domain/ports';
import type { AccountClients } from './clients';
import { KinesisStreamPort } from './kinesisStreamPort';
import { KmsKeyPolicyCheck } from './kmsKeyPolicyCheck';
import { KmsKeyPort } from './kmsKeyPort';

/** How keys are checked before they are applied (the same everywhere). */
export interface KeyCheckSettings {
  ttlMs: number;
  mode: KeyPolicyMode;
  onWarning: (message: string) => void;
  /** What earlier checks of this account-region learnt of its keys (default: nothing). */
  cache?: KeyCheckCache;
}

/**
 * The stream and key ports on one account's clients. The key check is per account and region: an alias
 * resolves there, and the key policy must let that account's principals use the key.
 */
export const streamPortsFor = (clients: AccountClients, where: Deployment, settings: KeyCheckSettings): StreamPorts => {
  const keys = new KmsKeyPort(clients.kms);
  const policies = {
    port: new KmsKeyPolicyCheck(clients.kms),
    deployment: where,
    mode: settings.mode,
    onWarning: settings.onWarning,
  };
  return {
    streams: new KinesisStreamPort(clients.kinesis, clients.kinesisApply),
    keys,
    keyCheck: new KeyCheck(keys, {
      ttlMs: settings.ttlMs,
      policies,
      ...(settings.cache !== undefined && { cache: settings.cache }),
    }),
  };
};
