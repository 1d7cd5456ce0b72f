/**
 * Identities of the local cloud's callers. The pipeline's own code (Lambda workers, Step Functions tasks)
 * signs with a session access key id `ASIA<account><role code>`, like the temporary credentials of a role
 * session; every other client signs with its 12-digit account as access key id and is an IAM user.
 * The gateway maps both to the account; the CloudTrail recorder turns them into `userIdentity`.
 * Sessions the local STS issued (localSessions.ts) have the same shape of key and are sessions of their role.
 */
import { roleSessionOf } from './localSessions';

/** The pipeline's roles (logical ids of serverless.yml), each with the 4-character code of its sessions. */
const LOCAL_ROLES = {
  function: { name: 'kinesis-auto-encrypt-local-EncryptStreamRole', code: 'LMBD', session: 'encryptStream' },
  stateMachine: {
    name: 'kinesis-auto-encrypt-local-ConfirmEncryptionStateMachineRole',
    code: 'SFNS',
    session: 'confirm-encryption',
  },
  // The scheduled sweep's function (deploy/sweep.yml); the member role trusts it too.
  sweep: { name: 'kinesis-auto-encrypt-local-SweepRole', code: 'SWEP', session: 'sweep' },
} as const;

type LocalRole = keyof typeof LOCAL_ROLES;

const SESSION_KEY = /^ASIA(\d{12})([A-Z]{4})$/;

/** Access key id of a session of one of the pipeline's roles in an account. */
export const sessionAccessKeyId = (account: string, role: LocalRole): string =>
  `ASIA${account}${LOCAL_ROLES[role].code}`;

/** The account of a session access key id made by {@link sessionAccessKeyId}, else undefined. */
export const sessionAccount = (accessKeyId: string): string | undefined => SESSION_KEY.exec(accessKeyId)?.[1];

/** ARN of one of the pipeline's roles in an account. */
export const pipelineRoleArn = (account: string, role: LocalRole): string =>
  `arn:aws:iam::${account}:role/${LOCAL_ROLES[role].name}`;

/** OWN_ROLE_ARNS of the function in an account (as serverless.yml builds it from the two roles). */
export const ownRoleArns = (account: string): string =>
  [pipelineRoleArn(account, 'function'), pipelineRoleArn(account, 'stateMachine')].join(',');

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
 * `userIdentity` CloudTrail records for a caller: an assumed-role session of the pipeline's role for a
 * session key of {@link sessionAccessKeyId}, else the IAM user `local`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 */
export const userIdentityFor = (account: string, accessKeyId: string, now: Date = new Date()): UserIdentity => {
  const code = SESSION_KEY.exec(accessKeyId)?.[2];
  const role = (Object.keys(LOCAL_ROLES) as LocalRole[]).find((key) => LOCAL_ROLES[key].code === code);
  const issued = roleSessionOf(accessKeyId);
  if (issued !== undefined) {
    return assumedRole(issued.account, accessKeyId, issued.roleName, issued.sessionName, 'ROLE', now);
  }
  if (role === undefined) {
    return {
      type: 'IAMUser',
      principalId: `AIDA${account}LOCAL`,
      arn: `arn:aws:iam::${account}:user/local`,
      accountId: account,
      accessKeyId,
      userName: 'local',
    };
  }
  const { name, session } = LOCAL_ROLES[role];
  return assumedRole(account, accessKeyId, name, session, LOCAL_ROLES[role].code, now);
};

const assumedRole = (
  account: string,
  accessKeyId: string,
  name: string,
  session: string,
  code: string,
  now: Date
): UserIdentity => {
  const roleId = `AROA${account}${code}`;
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
    accountId: account,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: `arn:aws:iam::${account}:role/${name}`,
        accountId: account,
        userName: name,
      },
      attributes: { creationDate: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
    },
  };
};
