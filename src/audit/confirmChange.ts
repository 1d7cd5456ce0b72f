import { setTimeout } from 'node:timers/promises';
import { type KeyPort, sameKey } from '../domain/keyCheck';
import type { StreamPort } from '../domain/ports';
import type { StreamState } from '../domain/streamState';
import type { Confirmation } from '../report/streamRowOf';

const busy = (state: StreamState): boolean => state.status === 'CREATING' || state.status === 'UPDATING';

/**
 * Waits until a stream the sweep changed is ACTIVE with EncryptionType KMS and the applied key (by any of its
 * names), polling DescribeStreamSummary every `intervalMs` (each poll spends the account's describe budget), like
 * the pipeline's confirm state machine. Stops at `timeoutSeconds` or when `signal` aborts.
 */
export const confirmChange = async (
  ports: { streams: StreamPort; keys: KeyPort },
  streamArn: string,
  keyId: string,
  options: { timeoutSeconds: number; signal: AbortSignal; intervalMs?: number }
): Promise<Confirmation> => {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let state: StreamState | undefined;
  while (Date.now() < deadline) {
    try {
      await setTimeout(options.intervalMs ?? 1000, undefined, { signal: options.signal });
    } catch {
      return { confirmed: false, state, reason: 'interrupted before the change was confirmed', interrupted: true };
    }
    state = await ports.streams.describe(streamArn);
    if (state === undefined)
      return { confirmed: false, state, reason: 'stream deleted before its change was confirmed' };
    if (busy(state)) continue;
    if (
      state.status === 'ACTIVE' &&
      state.encryptionType === 'KMS' &&
      state.keyId !== undefined &&
      (await sameKey(ports.keys, state.keyId, keyId))
    ) {
      return { confirmed: true, state, confirmedAt: new Date().toISOString() };
    }
    return {
      confirmed: false,
      state,
      reason: `stream settled ${state.status} with EncryptionType ${state.encryptionType} and key ${state.keyId ?? '-'}, not ${keyId}`,
    };
  }
  return {
    confirmed: false,
    state,
    reason: `not confirmed within ${options.timeoutSeconds} s (still ${state?.status ?? 'unknown'})`,
  };
};
