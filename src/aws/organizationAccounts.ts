import {
  ListAccountsCommand,
  type ListAccountsCommandOutput,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { serviceFailure } from './serviceFailure';

const MAX_PAGES = 1_000;

/**
 * Ids of the organisation's active accounts: organizations:ListAccounts, every page. Callable only from the
 * management account or a delegated administrator ("This operation can be called only from the organization's
 * management account or by a member account that is a delegated administrator", Organizations API reference).
 */
export const organizationAccounts = async (client: OrganizationsClient): Promise<string[]> => {
  const accounts: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let output: ListAccountsCommandOutput;
    try {
      output = await client.send(new ListAccountsCommand({ ...(token !== undefined && { NextToken: token }) }));
    } catch (error) {
      throw serviceFailure(error, 'organizations:ListAccounts', '*');
    }
    for (const account of output.Accounts ?? []) {
      const state = account.State ?? account.Status;
      if (account.Id !== undefined && state === 'ACTIVE') accounts.push(account.Id);
    }
    token = output.NextToken ?? undefined;
    if (token === undefined) break;
  }
  return accounts.sort();
};
