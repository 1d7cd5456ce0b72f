import { type AccountClient, ListRegionsCommand, type ListRegionsCommandOutput } from '@aws-sdk/client-account';
import { serviceFailure } from './serviceFailure';

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
      throw serviceFailure(error, 'account:ListRegions', 'account');
    }
    for (const { RegionName } of output.Regions ?? []) if (RegionName !== undefined) regions.push(RegionName);
    token = output.NextToken ?? undefined;
    if (token === undefined) break;
  }
  return regions.sort();
};
