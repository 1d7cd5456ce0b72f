/**
 * The write guard on the local cloud: the SCP `kinesis-auto-encrypt guard-policy` prints (src/guard/guardPolicy.ts),
 * decided for every Kinesis call by the gateway (the local cloud's kinesisAuthorizer with iam-simulate).
 */
import {
  type GatewayAuthorizer,
  KINESIS_TARGET_PREFIX,
  kinesisAuthorizer,
  type LocalGatewayOptions,
  regionPartition,
  type ServiceRole,
  serviceAccessKeyId,
  serviceControlPolicyEvaluator,
} from '@kinesis-auto-encrypt/local-cloud';
import { guardPolicy, type Partition } from '../../src/guard/guardPolicy';

/**
 * Who may set the exemption and key tags on the local cloud (`--exemption-approvers`): the demo creates its streams
 * with policy tags with a session of this role; every other client is the IAM user `local`.
 */
const APPROVER: ServiceRole = {
  name: 'kinesis-auto-encrypt-local-ExemptionApprover',
  code: 'APRV',
  session: 'approver',
};

/** Access key id of a session of the local exemption approver in an account. */
export const approverAccessKeyId = (account: string): string => serviceAccessKeyId(account, APPROVER);

/** The SCP the local write guard enforces: the CLI's, for the member role name and the partition of `region`. */
export const localGuardPolicy = (memberRoleName: string, region: string): object =>
  guardPolicy({
    partition: regionPartition(region) as Partition,
    memberRoleName,
    breakGlassRoles: [],
    exemptionApprovers: [`arn:${regionPartition(region)}:iam::*:role/${APPROVER.name}`],
    allowExemptions: true,
  }).policy;

/** The gateway's authorizers: the write guard's SCP on every Kinesis call. */
export const writeGuardAuthorizers = (
  memberRoleName: string,
  region: string
): NonNullable<LocalGatewayOptions['authorizers']> => {
  const authorize: GatewayAuthorizer = kinesisAuthorizer(
    serviceControlPolicyEvaluator([
      { name: 'kinesis-auto-encrypt-write-guard', policy: localGuardPolicy(memberRoleName, region) },
    ])
  );
  return { [KINESIS_TARGET_PREFIX]: authorize };
};
