/**
 * Identities of the local cloud's callers. Code the local cloud runs for a project (Lambda workers, Step Functions
 * tasks) signs with a session access key id `ASIA<account><code>` of a *service role* the project registers
 * ({@link registerServiceRole}), like the temporary credentials of a role session; every other client signs with
 * its 12-digit account as access key id and is an IAM user. The gateway maps both to the account; the CloudTrail
 * recorder and the local STS turn them into `userIdentity`. Sessions the local STS issued (localSessions.ts) have
 * the same shape of key (code `R…`) and are sessions of their role.
 */
import { roleSessionOf } from './localSessions';
import { regionPartition } from './regionPartition';

/** A role whose sessions the project's code signs with: its name, the 4-letter code of its keys, its session name. */
export interface ServiceRole {
  name: string;
  /** Four capital letters, not starting with `R` (the local STS's own sessions). */
  code: string;
  session: string;
}

const SERVICE_CODE = /^[A-QS-Z][A-Z]{3}$/;
const SESSION_KEY = /^ASIA(\d{12})([A-Z]{4})$/;
const serviceRoles = new Map<string, ServiceRole>();

/** Registers a service role for this process (idempotent for the same role; a code taken by another role throws). */
export const registerServiceRole = (role: ServiceRole): void => {
  if (!SERVICE_CODE.test(role.code)) throw new Error(`Service role code ${role.code}: expected 4 capitals, not R…`);
  const known = serviceRoles.get(role.code);
  if (known !== undefined && (known.name !== role.name || known.session !== role.session)) {
    throw new Error(`Service role code ${role.code} is taken by ${known.name}`);
  }
  serviceRoles.set(role.code, role);
};

/** Access key id of a session of a registered service role in an account. */
export const serviceAccessKeyId = (account: string, role: ServiceRole): string => {
  registerServiceRole(role);
  return `ASIA${account}${role.code}`;
};

/** The account of a session access key id (`ASIA<account><code>`), else undefined. */
export const sessionAccount = (accessKeyId: string): string | undefined => SESSION_KEY.exec(accessKeyId)?.[1];

/** CloudTrail `userIdentity` of an IAM user or of an assumed-role session. */
export type UserIdentity =
  | { type: 'IAMUser'; principalId: string; arn: string; accountId: string; accessKeyId: string; userName: string }
  | {
      type: 'AssumedRole';
      principalId: string;
      arn: string;
      accountId: string;
      accessKeyId: string;
      sessionContext: {
        sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string };
        attributes: { creationDate: string; mfaAuthenticated: 'false' };
      };
    };

/**
 * `userIdentity` CloudTrail records for a caller: a session the local STS issued, a session of a registered
 * service role, else the IAM user `local`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * Its ARNs are in the partition of the region called (`arn:aws-cn:…` in China).
 */
export const userIdentityFor = (
  account: string,
  accessKeyId: string,
  now: Date = new Date(),
  region = 'us-east-1'
): UserIdentity => {
  const partition = regionPartition(region);
  const issued = roleSessionOf(accessKeyId);
  if (issued !== undefined) {
    return assumedRole({ partition, account: issued.account, accessKeyId, now, code: 'ROLE' }, issued);
  }
  const code = SESSION_KEY.exec(accessKeyId)?.[2];
  const role = code === undefined ? undefined : serviceRoles.get(code);
  if (role === undefined) {
    return {
      type: 'IAMUser',
      principalId: `AIDA${account}LOCAL`,
      arn: `arn:${partition}:iam::${account}:user/local`,
      accountId: account,
      accessKeyId,
      userName: 'local',
    };
  }
  return assumedRole(
    { partition, account, accessKeyId, now, code: role.code },
    { roleName: role.name, sessionName: role.session }
  );
};

const assumedRole = (
  caller: { partition: string; account: string; accessKeyId: string; now: Date; code: string },
  role: { roleName: string; sessionName: string }
): UserIdentity => {
  const { partition, account, accessKeyId, now, code } = caller;
  const { roleName: name, sessionName: session } = role;
  const roleId = `AROA${account}${code}`;
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:${partition}:sts::${account}:assumed-role/${name}/${session}`,
    accountId: account,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: `arn:${partition}:iam::${account}:role/${name}`,
        accountId: account,
        userName: name,
      },
      attributes: { creationDate: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
    },
  };
};
