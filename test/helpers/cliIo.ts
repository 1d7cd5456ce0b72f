import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** What runCli wrote, and the io it wrote through (no credentials provider unless `account` is given). */
export const cliIo = (account?: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const credentialsFor = (): AwsCredentialIdentityProvider => async () => ({
    accessKeyId: account ?? '',
    secretAccessKey: 'x',
  });
  return {
    out,
    err,
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
      signal: new AbortController().signal,
      ...(account !== undefined && { credentialsFor }),
    },
  };
};
