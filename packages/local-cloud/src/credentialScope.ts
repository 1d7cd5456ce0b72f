import type { IncomingHttpHeaders } from 'node:http';
import { sessionAccount } from './localIdentities';

/** Who signed a request, as the local cloud reads it. */
export interface Caller {
  /**
   * The access key id when it is 12 digits, the account of a session key (`ASIA<account>…`),
   * else `000000000000` (AWS CLI, SDK defaults).
   */
  account: string;
  /** Region of the SigV4 credential scope, else `us-east-1`. */
  region: string;
  /** Access key id of the SigV4 credential, or `''` when the request is unsigned. */
  accessKeyId: string;
}

const DEFAULT_ACCOUNT = '000000000000';
const DEFAULT_REGION = 'us-east-1';
const ACCOUNT_PATTERN = /^\d{12}$/;
const CREDENTIAL_PATTERN = /Credential=([^/,\s]+)\/[^/]+\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * Reads the access key id and region of a SigV4 credential, from the `Authorization`
 * header or from an `X-Amz-Credential` query parameter (presigned URL).
 */
const parseCredentialScope = (
  authorization: string | undefined,
  url: string
): { accessKeyId: string; region: string; service: string } | undefined => {
  const fromHeader = authorization?.match(CREDENTIAL_PATTERN);
  if (fromHeader?.[1] !== undefined && fromHeader[2] !== undefined) {
    return { accessKeyId: fromHeader[1], region: fromHeader[2], service: fromHeader[3] ?? '' };
  }
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : undefined;
  const credential = query?.get('X-Amz-Credential');
  const [accessKeyId, , region, service = ''] = credential?.split('/') ?? [];
  if (accessKeyId !== undefined && region !== undefined) {
    return { accessKeyId, region, service };
  }
  return undefined;
};

/**
 * The caller of a request from its SigV4 credential scope (the signature itself is not checked):
 * a 12-digit access key id (or a session key's digits) is the account, the scope's region the region.
 */
export const callerOf = (headers: IncomingHttpHeaders, url = ''): Caller => {
  const { authorization } = headers;
  const scope = parseCredentialScope(typeof authorization === 'string' ? authorization : undefined, url);
  const accessKeyId = scope?.accessKeyId ?? '';
  return {
    account: ACCOUNT_PATTERN.test(accessKeyId) ? accessKeyId : (sessionAccount(accessKeyId) ?? DEFAULT_ACCOUNT),
    region: scope?.region ?? DEFAULT_REGION,
    accessKeyId,
  };
};

/** Service of a request's SigV4 credential scope (e.g. `sts`), or `''` when the request is unsigned. */
export const signingServiceOf = (headers: IncomingHttpHeaders, url = ''): string => {
  const { authorization } = headers;
  return parseCredentialScope(typeof authorization === 'string' ? authorization : undefined, url)?.service ?? '';
};
