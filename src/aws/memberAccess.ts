import type { Config } from '../config/loadConfig';
import { AccountCredentials } from './accountCredentials';
import { createStsClient } from './clients';

/** How an organisation hub reaches its member accounts. */
export interface MemberAccess {
  credentials: AccountCredentials;
  /** The role the state machine assumes for a stream's account: the member role, or the hub's stream role. */
  roleArnOf: (account: string) => string;
}

/**
 * Member access of an organisation deployment (undefined for an account deployment): one STS client in the hub
 * region and one credential cache per execution environment.
 */
export const memberAccessFor = (config: Config): MemberAccess | undefined => {
  const organization = config.organization;
  if (organization === undefined) return undefined;
  const credentials = new AccountCredentials(createStsClient(config.deployment.region), {
    partition: config.deployment.partition,
    roleName: organization.memberRoleName,
  });
  return {
    credentials,
    roleArnOf: (account) =>
      account === config.deployment.account ? organization.hubRoleArn : credentials.roleArnOf(account),
  };
};
