import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  conditionHolds,
  parseCloudFormationYaml,
  regionPartition,
  regionUrlSuffix,
  resolveIntrinsics,
  type TemplateContext,
} from '@kinesis-auto-encrypt/local-cloud';
import { isRecord } from '../../src/domain/isRecord';
import { REPO_ROOT } from './repoRoot';

/** Path of the member stack's template (deployed by the hub's StackSet). */
export const MEMBER_TEMPLATE_PATH = join(REPO_ROOT, 'member', 'member.yml');

/** A `Forward*` rule of the member template on the default bus: its pattern and the bus it forwards to. */
interface ForwardRule {
  logicalId: string;
  pattern: Record<string, unknown>;
  /** ARN of the target bus (the hub bus). */
  targetArn: string;
}

/** What the member stack creates in one account and region. */
export interface MemberStack {
  forwardRules: ForwardRule[];
  /** The member role, when the stack creates it in this region (condition `IsRoleRegion`). */
  role?: { roleName: string; trustPolicy: unknown };
}

interface Resource {
  Type?: string;
  Condition?: string;
  Properties?: Record<string, unknown>;
}

/**
 * The resources of the member template (`member/member.yml`) one stack instance creates in `account` and
 * `region`, its parameters filled with `parameters` (over the template's defaults). Only what the local
 * cloud emulates is read: the `Forward*` rules on the default bus and the member role's trust policy.
 */
export const memberStack = (
  parameters: Record<string, string>,
  account: string,
  region: string,
  path: string = MEMBER_TEMPLATE_PATH
): MemberStack => {
  const template = parseCloudFormationYaml(readFileSync(path, 'utf8'));
  if (!isRecord(template) || !isRecord(template.Resources)) throw new Error(`${path}: no Resources`);
  const defaults = Object.fromEntries(
    Object.entries(isRecord(template.Parameters) ? template.Parameters : {}).flatMap(([name, definition]) =>
      isRecord(definition) && definition.Default !== undefined ? [[name, String(definition.Default)]] : []
    )
  );
  const context: TemplateContext = {
    parameters: { ...defaults, ...parameters },
    pseudo: {
      'AWS::AccountId': account,
      'AWS::Region': region,
      'AWS::Partition': regionPartition(region),
      'AWS::URLSuffix': regionUrlSuffix(region),
    },
    conditions: isRecord(template.Conditions) ? template.Conditions : {},
  };
  const stack: MemberStack = { forwardRules: [] };
  for (const [logicalId, value] of Object.entries(template.Resources)) {
    const resource = value as Resource;
    if (resource.Condition !== undefined && !conditionHolds(resource.Condition, context)) continue;
    // Only the forward rules and the member role are modelled (queues, alarms and their policies are not).
    const modelled =
      (resource.Type === 'AWS::Events::Rule' && logicalId.startsWith('Forward')) ||
      (resource.Type === 'AWS::IAM::Role' && logicalId === 'MemberRole');
    if (!modelled) continue;
    const properties = resolveIntrinsics(resource.Properties ?? {}, context) as Record<string, unknown>;
    if (resource.Type === 'AWS::Events::Rule' && logicalId.startsWith('Forward')) {
      const bus = properties.EventBusName;
      if (bus !== undefined && bus !== 'default') continue;
      if (properties.State === 'DISABLED') continue;
      for (const target of Array.isArray(properties.Targets) ? properties.Targets : []) {
        if (isRecord(target) && isRecord(properties.EventPattern)) {
          stack.forwardRules.push({ logicalId, pattern: properties.EventPattern, targetArn: String(target.Arn) });
        }
      }
    }
    if (resource.Type === 'AWS::IAM::Role' && logicalId === 'MemberRole') {
      stack.role = { roleName: String(properties.RoleName), trustPolicy: properties.AssumeRolePolicyDocument };
    }
  }
  return stack;
};
