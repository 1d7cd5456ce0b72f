import type { Deployment } from '../domain/deployment';
import { ConfigurationError } from '../domain/errors';
import { partitionOf } from '../events/partitionOf';

/** An organisation deployment (DEPLOYMENT=org): the hub governs the streams of every member account. */
export interface Organization {
  /** ORGANIZATION_ID, `o-…`. */
  organizationId: string;
  /** MEMBER_REGIONS: the regions whose streams are governed, besides the hub's own. */
  memberRegions: readonly string[];
  /** MEMBER_ROLE_NAME: the role in every member account the pipeline assumes (and whose calls are its own). */
  memberRoleName: string;
  /** HUB_ROLE_ARN: the role the state machine assumes for the hub account's own streams. */
  hubRoleArn: string;
}

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
// IAM RoleName: 1-64 characters of [\w+=,.@-] (IAM API reference, CreateRole).
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/[\w+=,.@/-]+$/;

const listOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Reads DEPLOYMENT (`account`, the default, or `org`) and, for `org`, ORGANIZATION_ID, MEMBER_REGIONS,
 * MEMBER_ROLE_NAME and HUB_ROLE_ARN; in account mode those are ignored (they may be empty).
 * @returns undefined in account mode
 * @throws {ConfigurationError} naming every missing or bad variable
 */
export const organizationFrom = (env: NodeJS.ProcessEnv, hub: Deployment): Organization | undefined => {
  const mode = (env.DEPLOYMENT ?? '').trim();
  if (mode === '' || mode === 'account') return undefined;
  if (mode !== 'org') {
    throw new ConfigurationError(
      `Invalid configuration: DEPLOYMENT: expected account or org, got ${mode.slice(0, 40)}`
    );
  }
  const issues: string[] = [];
  const organizationId = (env.ORGANIZATION_ID ?? '').trim();
  if (!ORGANIZATION_ID.test(organizationId)) issues.push('ORGANIZATION_ID: expected an organization id (o-…)');
  const memberRegions = listOf(env.MEMBER_REGIONS);
  if (memberRegions.length === 0) issues.push('MEMBER_REGIONS: expected comma-separated regions (e.g. us-east-1)');
  for (const region of memberRegions) {
    const partition = partitionOf(region)?.name;
    if (partition === undefined) issues.push(`MEMBER_REGIONS: ${region.slice(0, 40)} is not a known AWS region`);
    else if (partition !== hub.partition)
      issues.push(`MEMBER_REGIONS: ${region} is in partition ${partition}, the hub in ${hub.partition}`);
  }
  const memberRoleName = (env.MEMBER_ROLE_NAME ?? '').trim();
  if (!ROLE_NAME.test(memberRoleName)) issues.push('MEMBER_ROLE_NAME: expected an IAM role name (1-64 of [\\w+=,.@-])');
  const hubRoleArn = (env.HUB_ROLE_ARN ?? '').trim();
  const arn = ROLE_ARN.exec(hubRoleArn);
  if (arn === null) issues.push('HUB_ROLE_ARN: expected an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)');
  else if (arn[1] !== hub.partition || arn[2] !== hub.account)
    issues.push(`HUB_ROLE_ARN: expected a role of the hub account ${hub.account} (partition ${hub.partition})`);
  if (issues.length > 0) {
    throw new ConfigurationError(`Invalid configuration (DEPLOYMENT=org): ${issues.join('; ')}`);
  }
  return { organizationId, memberRegions: [...new Set(memberRegions)], memberRoleName, hubRoleArn };
};
