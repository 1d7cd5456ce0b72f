import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { accountBudget, listTarget, planTarget, type TargetOptions } from '../audit/sweepTargets';
import { AccountCredentials } from '../aws/accountCredentials';
import type { ApiCallBudget } from '../aws/apiCallBudget';
import { createSweepStsClient } from '../aws/sweepClients';
import type { Deployment } from '../domain/deployment';
import type { KeyCheckCache, KeyPolicyMode } from '../domain/keyCheck';
import { partitionOf } from '../events/partitionOf';
import { accountRegionKey, type SweepAccountRegion } from './sweepAccountRegion';

/** What a deployment sweeps: its own account-region and, for an organisation hub, its members'. */
export interface DeploymentScope {
  /** The hub (or the account deployment): its account and region. */
  home: Deployment;
  /** deployment=org: the member role and the member regions. */
  organization?: { memberRoleName: string; memberRegions: readonly string[] };
  /** organizations:ListAccounts: the organisation's active accounts. */
  listAccounts: () => Promise<string[]>;
  describePerSecond: number;
  keyPolicyCheck: KeyPolicyMode;
  credentials: AwsCredentialIdentityProvider;
}

/**
 * The account-regions of a deployment's sweep, none opened (no client, no credentials until a step takes one): its
 * own; an organisation hub its own account in the hub region and every member region (its own credentials: the hub's
 * streams there are governed too), plus every other active account × memberRegions through the member role, region
 * by region (consecutive account-regions are of different accounts, each with its own describe budget). Each
 * account-region once: the hub among the listed accounts (inside memberTargets) is swept as the hub only. One
 * {@link ApiCallBudget} per account, shared by its regions; one member-role credential cache for the sweep.
 */
export const deploymentTargets = async (
  scope: DeploymentScope,
  run: { sweepId: string; counts: Record<string, number>; note: (text: string) => void }
): Promise<SweepAccountRegion[]> => {
  const organization = scope.organization;
  const memberRegions = [...new Set(organization?.memberRegions ?? [])];
  const options: TargetOptions = {
    regions: [...new Set([scope.home.region, ...memberRegions])],
    ownAccount: scope.home.account,
    describeRate: scope.describePerSecond,
    tags: 'bulk',
    keyPolicyCheck: scope.keyPolicyCheck,
    credentials: scope.credentials,
    homeRegion: scope.home.region,
    onListed: () => {},
    ...run,
  };
  const places: { account: string; region: string; credentials: AwsCredentialIdentityProvider }[] = [
    scope.home.region,
    ...memberRegions.filter((region) => region !== scope.home.region),
  ].map((region) => ({ account: scope.home.account, region, credentials: scope.credentials }));
  if (organization !== undefined) {
    const members = [...new Set(await scope.listAccounts())].filter((account) => account !== scope.home.account);
    run.counts.ListAccounts = (run.counts.ListAccounts ?? 0) + 1;
    const roles = new AccountCredentials(
      createSweepStsClient({ region: scope.home.region, credentials: scope.credentials }),
      { partition: partitionOf(scope.home.region)?.name ?? 'aws', roleName: organization.memberRoleName }
    );
    for (const region of memberRegions) {
      for (const account of members) {
        places.push({ account, region, credentials: () => roles.credentialsFor(account, `sweep-${run.sweepId}`) });
      }
    }
  }
  const budgets = new Map<string, ApiCallBudget>();
  // Per account-region, what its key checks learnt (data only): the pre-flight's answers serve every step's checks.
  const keyCaches = new Map<string, KeyCheckCache>();
  const keyCacheOf = (place: { account: string; region: string }): KeyCheckCache => {
    const cache = keyCaches.get(accountRegionKey(place)) ?? new Map();
    keyCaches.set(accountRegionKey(place), cache);
    return cache;
  };
  const budgetOf = (account: string): ApiCallBudget => {
    const budget = budgets.get(account) ?? accountBudget(options);
    budgets.set(account, budget);
    return budget;
  };
  return places.map(({ account, region, credentials }) => ({
    account,
    region,
    open: () => {
      const planned = planTarget(
        options,
        account,
        region,
        credentials,
        budgetOf(account),
        keyCacheOf({ account, region })
      );
      return {
        target: planned.target,
        budget: planned.budget,
        clients: planned.clients,
        list: async () => {
          const { streams, target } = await listTarget(planned, options);
          return { streams, ...(target.tags !== undefined && { tags: target.tags }) };
        },
      };
    },
  }));
};
