import type { KeyIdSource } from '../domain/ports';

/**
 * Where a key came from, as the deployment's reader knows it: the stage parameter `kmsKeyId`, or the SSM key
 * parameter and its entry (the labels of the pipeline's key source, `SsmKeyIdSource`, translated).
 */
const keySourceLabel = (source: string): string => {
  if (source === 'kmsKeyId') return 'stage parameter kmsKeyId';
  const ssm = /^ssm:([^[]+)(?:\[(.+)\])?$/.exec(source);
  if (ssm === null) return source;
  return `SSM parameter ${ssm[1]}${ssm[2] === undefined ? '' : ` (entry "${ssm[2]}")`}`;
};

/** A key source naming where each key came from as {@link keySourceLabel} does, after `prefix` (e.g. `stage prod: `). */
export const labelledKeySource = (keys: KeyIdSource, prefix = ''): KeyIdSource => ({
  resolve: async (where) => {
    const chosen = await keys.resolve(where);
    return { ...chosen, source: `${prefix}${keySourceLabel(chosen.source)}` };
  },
});

/** One KeyId for every account and region (`--key`, or the CLI's default), named after where it came from. */
export const fixedKeySource = (keyId: string, source: string): KeyIdSource => ({
  resolve: async () => ({ keyId, source }),
});
