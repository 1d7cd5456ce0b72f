import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { listTargets, type Planned, planTargets, type TargetOptions } from '../audit/sweepTargets';
import type { Deployment } from '../domain/deployment';
import type { KeyPolicyMode } from '../domain/keyCheck';

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

/** The planned account-regions of one sweep step, and how to list their streams. */
export interface DeploymentTargets {
  planned: Planned[];
  list: () => ReturnType<typeof listTargets>;
}

/**
 * The account-regions of a deployment's sweep, planned (reachable, ports built) but not listed: its own; an
 * organisation hub its own account in the hub region and every member region (its own credentials: the hub's
 * streams there are governed too), plus every other active account × memberRegions through the member role. Each
 * account-region once: the hub among the listed accounts (inside memberTargets) is swept as the hub only.
 */
export const deploymentTargets = async (
  scope: DeploymentScope,
  run: { sweepId: string; counts: Record<string, number>; note: (text: string) => void }
): Promise<DeploymentTargets> => {
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
  const planned = await planTargets(options);
  if (organization !== undefined) {
    const members = [...new Set(await scope.listAccounts())].filter((account) => account !== scope.home.account);
    run.counts.ListAccounts = (run.counts.ListAccounts ?? 0) + 1;
    planned.push(
      ...(await planTargets({
        ...options,
        regions: memberRegions,
        accounts: members,
        roleName: organization.memberRoleName,
      }))
    );
  }
  return { planned, list: () => listTargets(planned, options) };
};
