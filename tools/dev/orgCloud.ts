import type { BusEvent, LambdaRuntime, LocalEventBridge, LocalSts } from '@kinesis-auto-encrypt/local-cloud';
import { applyInputTransformer, parseBusArn, regionPartition } from '@kinesis-auto-encrypt/local-cloud';
import type { LocalAccounts } from './accountKeys';
import { pipelineRoleArn } from './localRoles';
import { MEMBER_TEMPLATE_PATH, memberStack } from './memberTemplate';
import type { ServerlessEventRule } from './ruleFromServerless';

/** The organisation of `npm start -- --org`: a hub and members in two regions. */
export const ORG_DEFAULTS = {
  hubAccount: '111111111111',
  hubRegion: 'us-east-1',
  members: ['222222222222', '333333333333', '444444444444'],
  memberRegions: ['us-east-1', 'eu-west-1'],
  organizationId: 'o-local0example',
  memberRoleName: 'kinesis-auto-encrypt-member',
} as const;

/** Name of the hub's custom bus the members forward to. */
export const HUB_BUS_NAME = 'kinesis-auto-encrypt-hub';

/** Organisation deployment of the local cloud (serverless.yml `deployment=org` plus the member StackSet). */
export interface OrgOptions {
  hubAccount?: string;
  hubRegion?: string;
  members?: readonly string[];
  memberRegions?: readonly string[];
  organizationId?: string;
  memberRoleName?: string;
  /** Member template; default `member/member.yml`. */
  memberTemplatePath?: string;
  /** Members whose member role is missing (its stack instance in the role region failed or was deleted). */
  withoutRole?: readonly string[];
  /** `ProbeEnabled` of the member stacks. */
  probeEnabled?: boolean;
}

/** {@link OrgOptions} with every default filled in. */
export type Organisation = Required<Omit<OrgOptions, 'probeEnabled'>> & { probeEnabled: boolean };

/** Fills in the defaults of {@link ORG_DEFAULTS}. */
export const organisationOf = (options: OrgOptions): Organisation => ({
  hubAccount: options.hubAccount ?? ORG_DEFAULTS.hubAccount,
  hubRegion: options.hubRegion ?? ORG_DEFAULTS.hubRegion,
  members: options.members ?? ORG_DEFAULTS.members,
  memberRegions: options.memberRegions ?? ORG_DEFAULTS.memberRegions,
  organizationId: options.organizationId ?? ORG_DEFAULTS.organizationId,
  memberRoleName: options.memberRoleName ?? ORG_DEFAULTS.memberRoleName,
  memberTemplatePath: options.memberTemplatePath ?? MEMBER_TEMPLATE_PATH,
  withoutRole: options.withoutRole ?? [],
  probeEnabled: options.probeEnabled ?? false,
});

/** ARN of the hub bus. */
const hubBusArn = (org: Organisation): string =>
  `arn:${regionPartition(org.hubRegion)}:events:${org.hubRegion}:${org.hubAccount}:event-bus/${HUB_BUS_NAME}`;

/** The hub-account role the state machine's Kinesis tasks assume for the hub's own streams (`HUB_ROLE_ARN`). */
const hubRoleArn = (org: Organisation): string =>
  `arn:${regionPartition(org.hubRegion)}:iam::${org.hubAccount}:role/${org.memberRoleName}-hub`;

/**
 * Every governed account and region, each once: the hub in its region and every member region (deploy/org.yml
 * HubRegionsStackSet), each other member in every member region.
 */
export const governedLocations = (org: Organisation): { account: string; region: string }[] => {
  const memberRegions = [...new Set(org.memberRegions)];
  return [
    ...[...new Set([org.hubRegion, ...memberRegions])].map((region) => ({ account: org.hubAccount, region })),
    ...[...new Set(org.members)]
      .filter((account) => account !== org.hubAccount)
      .flatMap((account) => memberRegions.map((region) => ({ account, region }))),
  ];
};

/** The function's environment in org mode (names of serverless.yml `deployment=org`). */
export const orgEnvironment = (org: Organisation): Record<string, string> => ({
  DEPLOYMENT: 'org',
  // Completion events go to the hub bus (one place to alert on).
  EVENT_BUS_NAME: HUB_BUS_NAME,
  ORGANIZATION_ID: org.organizationId,
  MEMBER_REGIONS: org.memberRegions.join(','),
  MEMBER_ROLE_NAME: org.memberRoleName,
  HUB_ROLE_ARN: hubRoleArn(org),
});

interface OrgParts {
  bus: LocalEventBridge;
  sts: LocalSts;
  lambda: LambdaRuntime;
  accounts: LocalAccounts;
  rule: ServerlessEventRule;
}

/**
 * Deploys the organisation on the local cloud. Hub: the bus `kinesis-auto-encrypt-hub` with the hub rule
 * (deploy/org.yml HubTriggerRule: the member rules' pattern, the function's input transformer) and the
 * function's own default-bus rule (serverless.yml) for the hub's streams, both invoking the one hub function;
 * the hub role (HubStreamRole). Every member account and region, and the hub account in the other member regions
 * (HubRegionsStackSet): the member stack's `Forward*` rules on the default bus, forwarding to the hub bus, and in a
 * member's role region the member role with the template's trust policy.
 */
export const deployOrganisation = (org: Organisation, parts: OrgParts): void => {
  const { bus, sts, lambda, accounts, rule } = parts;
  const { hubAccount, hubRegion } = org;
  sts.addToOrganization(org.organizationId, [hubAccount, ...org.members]);
  bus.createBus(hubAccount, hubRegion, HUB_BUS_NAME);
  const invokeHub = (event: BusEvent) => {
    // Keys of the stream's account and region exist on first use.
    accounts.add(event.account, event.region);
    const input = rule.inputTransformer === undefined ? event : applyInputTransformer(rule.inputTransformer, event);
    return lambda.invokeAsync(hubAccount, hubRegion, input);
  };
  bus.addRule({
    name: `kinesis-auto-encrypt-local-${rule.functionName}`,
    pattern: rule.pattern,
    account: hubAccount,
    region: hubRegion,
    target: invokeHub,
  });
  const parameters = {
    HubEventBusArn: hubBusArn(org),
    HubFunctionRoleArn: pipelineRoleArn(hubAccount, 'function', hubRegion),
    HubStateMachineRoleArn: pipelineRoleArn(hubAccount, 'stateMachine', hubRegion),
    // deploy/sweep.yml names the org's sweep role <memberRoleName>-sweep (the write guard's SCP exempts that name).
    HubSweepRoleArn: `arn:${regionPartition(hubRegion)}:iam::${hubAccount}:role/${org.memberRoleName}-sweep`,
    OrganizationId: org.organizationId,
    MemberRoleName: org.memberRoleName,
    // As deploy/deployment.js memberRoleRegion (default: the hub region, which packaging requires in memberRegions).
    RoleRegion: org.memberRegions.includes(hubRegion) ? hubRegion : (org.memberRegions[0] ?? hubRegion),
    ProbeEnabled: String(org.probeEnabled),
  };
  const hubStack = memberStack(parameters, hubAccount, hubRegion, org.memberTemplatePath);
  for (const forward of hubStack.forwardRules) {
    bus.addRule({
      name: `kinesis-auto-encrypt-local-hub-${forward.logicalId}`,
      pattern: forward.pattern,
      eventBusName: HUB_BUS_NAME,
      account: hubAccount,
      region: hubRegion,
      target: invokeHub,
    });
  }
  for (const { account, region } of governedLocations(org)) {
    accounts.add(account, region);
    // The hub region: the function's own default-bus rule above.
    if (account === hubAccount && region === hubRegion) continue;
    // The hub account elsewhere: HubRegionsStackSet, the member stack with the hub region as RoleRegion (no role).
    const stack =
      account === hubAccount
        ? memberStack({ ...parameters, RoleRegion: hubRegion }, account, region, org.memberTemplatePath)
        : memberStack(parameters, account, region, org.memberTemplatePath);
    for (const forward of stack.forwardRules) {
      const target = parseBusArn(forward.targetArn);
      if (target === undefined) throw new Error(`${forward.logicalId}: target ${forward.targetArn} is not a bus ARN`);
      bus.addRule({
        name: forward.logicalId,
        pattern: forward.pattern,
        account,
        region,
        target: (event: BusEvent) => bus.publish(event, target.eventBusName, target),
      });
    }
    if (stack.role !== undefined && account !== hubAccount && !org.withoutRole.includes(account)) {
      sts.addRole(account, stack.role.roleName, stack.role.trustPolicy);
    }
  }
  // HubStreamRole of the hub stack: trusted by the state machine role only.
  sts.addRole(hubAccount, `${org.memberRoleName}-hub`, {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: pipelineRoleArn(hubAccount, 'stateMachine', hubRegion) },
        Action: 'sts:AssumeRole',
      },
    ],
  });
};
