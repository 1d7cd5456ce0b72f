import { type AccountClient, ListRegionsCommand, type ListRegionsCommandOutput } from '@aws-sdk/client-account';
import { AutoEncryptError } from '../domain/errors';
import { codeOf, messageOf, serviceFailure } from './serviceFailure';

/** Throttling codes of the Account API (ListRegions "Errors": TooManyRequestsException). */
const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling']);

/**
 * A 4xx answer other than throttling or a denial (an endpoint without the Account API, a validation error) comes
 * back the same on every try: it is not transient, and the way around it is naming the regions.
 */
const listRegionsFailure = (error: unknown): AutoEncryptError => {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  const code = codeOf(error);
  const clientFault = (error as { $fault?: string }).$fault === 'client' || (status >= 400 && status < 500);
  if (!clientFault || THROTTLED.has(code) || code.startsWith('AccessDenied')) {
    return serviceFailure(error, 'account:ListRegions', 'account');
  }
  return new AutoEncryptError(
    `account:ListRegions was refused (${code}: ${messageOf(error).slice(0, 300)}): --region all cannot list the enabled regions here; name them with --region`,
    { cause: error, code }
  );
};

/**
 * Regions enabled for the caller's account: account:ListRegions with `RegionOptStatusContains` ENABLED and
 * ENABLED_BY_DEFAULT (AWS Account Management API reference, ListRegions; MaxResults at most 50), all pages.
 * Opt-in regions the account has not enabled are left out: their APIs would refuse the credentials.
 */
export const enabledRegions = async (client: AccountClient): Promise<string[]> => {
  const regions: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    let output: ListRegionsCommandOutput;
    try {
      output = await client.send(
        new ListRegionsCommand({
          RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
          MaxResults: 50,
          ...(token !== undefined && { NextToken: token }),
        })
      );
    } catch (error) {
      throw listRegionsFailure(error);
    }
    for (const { RegionName } of output.Regions ?? []) if (RegionName !== undefined) regions.push(RegionName);
    token = output.NextToken ?? undefined;
    if (token === undefined) break;
  }
  return regions.sort();
};
