import { parseCloudFormationYaml } from './cloudFormationYaml';
import { type CloudFormationTemplate, type PackagedService, packageTemplate } from './packageTemplate';

/** The parameters of the organisation deployment the issue packages (`serverless package --stage org …`). */
export const ORG_PACKAGE = {
  stage: 'org',
  params: {
    deployment: 'org',
    organizationId: 'o-example123',
    memberTargets: 'ou-abcd-11111111',
    memberRegions: 'us-east-1,eu-west-1',
  },
} as const;

/** The hub template of the organisation deployment and the member template its StackSet deploys. */
export interface OrgPackage {
  service: PackagedService;
  hub: CloudFormationTemplate;
  member: CloudFormationTemplate;
  /** The StackSet's TemplateBody, as written. */
  memberText: string;
  /** The StackSet's parameters: name → value as the hub template writes it. */
  memberParameters: Record<string, unknown>;
}

/**
 * Packages (or reuses) the organisation deployment, with `params` over {@link ORG_PACKAGE}'s, and reads the member
 * template out of its StackSet `MemberStackSet`.
 */
export const packageOrg = async (params: Record<string, string> = {}): Promise<OrgPackage> => {
  const service = await packageTemplate({ stage: ORG_PACKAGE.stage, params: { ...ORG_PACKAGE.params, ...params } });
  const hub = service.template;
  const stackSet = hub.Resources.MemberStackSet;
  if (stackSet?.Type !== 'AWS::CloudFormation::StackSet') throw new Error('no StackSet MemberStackSet');
  const properties = stackSet.Properties ?? {};
  const memberText = String(properties.TemplateBody);
  const memberParameters = Object.fromEntries(
    (properties.Parameters as { ParameterKey: string; ParameterValue: unknown }[]).map(
      ({ ParameterKey, ParameterValue }) => [ParameterKey, ParameterValue]
    )
  );
  return { service, hub, member: parseCloudFormationYaml(memberText), memberText, memberParameters };
};
