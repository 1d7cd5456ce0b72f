/**
 * The pipeline's roles on the local cloud (logical ids of serverless.yml), each registered with the local cloud as a
 * service role: their sessions sign with `ASIA<account><code>` and CloudTrail records them as these roles.
 */
import {
  regionPartition,
  registerServiceRole,
  type ServiceRole,
  serviceAccessKeyId,
} from '@kinesis-auto-encrypt/local-cloud';

const LOCAL_ROLES = {
  function: { name: 'kinesis-auto-encrypt-local-EncryptStreamRole', code: 'LMBD', session: 'encryptStream' },
  stateMachine: {
    name: 'kinesis-auto-encrypt-local-ConfirmEncryptionStateMachineRole',
    code: 'SFNS',
    session: 'confirm-encryption',
  },
  // The scheduled sweep's function (deploy/sweep.yml); the member role trusts it too.
  sweep: { name: 'kinesis-auto-encrypt-local-SweepRole', code: 'SWEP', session: 'sweep' },
  // The hub's sweep role in an organisation: deploy/sweep.yml names it <memberRoleName>-sweep, and the member roles
  // trust that name (member/member.yml HubSweepRoleArn); the local organisation's default member role name.
  orgSweep: { name: 'kinesis-auto-encrypt-member-sweep', code: 'OSWP', session: 'sweep' },
} as const satisfies Record<string, ServiceRole>;

for (const role of Object.values(LOCAL_ROLES)) registerServiceRole(role);

type LocalRole = keyof typeof LOCAL_ROLES;

/** Access key id of a session of one of the pipeline's roles in an account. */
export const sessionAccessKeyId = (account: string, role: LocalRole): string =>
  serviceAccessKeyId(account, LOCAL_ROLES[role]);

/** ARN of one of the pipeline's roles in an account, in the partition of `region` (IAM is global to a partition). */
export const pipelineRoleArn = (account: string, role: LocalRole, region = 'us-east-1'): string =>
  `arn:${regionPartition(region)}:iam::${account}:role/${LOCAL_ROLES[role].name}`;

/** OWN_ROLE_ARNS of the function in an account and region (as serverless.yml builds it from the two roles). */
export const ownRoleArns = (account: string, region = 'us-east-1'): string =>
  [pipelineRoleArn(account, 'function', region), pipelineRoleArn(account, 'stateMachine', region)].join(',');
