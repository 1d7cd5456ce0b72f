// osls plugin (serverless.yml `plugins`): packaging with writeGuard=enforce (deployment=org, deploy/stageParameters.js)
// also writes guard-scp-template.json into the package folder, a CloudFormation template for the management account
// or a delegated administrator for AWS Organizations policies: one AWS::Organizations::Policy of type
// SERVICE_CONTROL_POLICY, the write guard's SCP, attached to memberTargets (docs/write-guard.md). The hub cannot attach
// it: it is a StackSets delegate, and organizations:AttachPolicy needs the management account or a delegated policy
// administrator.
//
// The policy comes from its one source, src/guard/guardPolicy.ts (the CLI's `guard-policy`): bundled here with esbuild,
// as serverless-esbuild bundles the handlers, since osls loads deploy/ without a TypeScript loader.
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { buildSync } = require('esbuild');
const { partitionOf } = require('./awsFormats');

const GUARD_POLICY_SOURCE = join(__dirname, '..', 'src', 'guard', 'guardPolicy.ts');
const TEMPLATE_FILE = 'guard-scp-template.json';

let guardPolicyModule;

/** src/guard/guardPolicy.ts as CommonJS (bundled once per process). */
const loadGuardPolicy = () => {
  if (guardPolicyModule === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'kae-guard-policy-'));
    const outfile = join(dir, 'guardPolicy.js');
    try {
      buildSync({ entryPoints: [GUARD_POLICY_SOURCE], bundle: true, platform: 'node', format: 'cjs', outfile });
      guardPolicyModule = require(outfile);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return guardPolicyModule;
};

/**
 * The template: the SCP of `npx kinesis-auto-encrypt guard-policy --partition <partition> --member-role-name <name>
 * --allow-exemptions <…>` (no break-glass roles, no exemption approvers: add them with the CLI and replace Content)
 * on every target.
 * @param {{ stage: string, partition: string, memberRoleName: string, allowExemptions: boolean, memberTargets: string[] }} settings
 * @throws when guardPolicy refuses the options or the policy is over the SCP size limit
 */
const guardScpTemplate = ({ stage, partition, memberRoleName, allowExemptions, memberTargets }) => {
  const { guardPolicy } = loadGuardPolicy();
  const { policy } = guardPolicy({
    partition,
    memberRoleName,
    breakGlassRoles: [],
    exemptionApprovers: [],
    allowExemptions,
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `kinesis-auto-encrypt ${stage} write guard: the service control policy that refuses writes to Kinesis streams the pipeline has not tagged kinesis-auto-encrypt:encrypted. Deploy in the management account or a delegated administrator for AWS Organizations policies (docs/write-guard.md).`,
    Resources: {
      WriteGuardPolicy: {
        Type: 'AWS::Organizations::Policy',
        Properties: {
          Name: `kinesis-auto-encrypt-${stage}-write-guard`,
          Description: 'Kinesis writes only to streams kinesis-auto-encrypt confirmed encrypted (or exempt)',
          Type: 'SERVICE_CONTROL_POLICY',
          // A JSON object, not a string: CloudFormation detects drift of an object only
          // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html).
          // guardPolicy refused it if its minified text were over the SCP limit of 5,120 characters.
          Content: policy,
          TargetIds: [...memberTargets],
        },
      },
    },
    Outputs: {
      WriteGuardPolicyId: { Value: { Ref: 'WriteGuardPolicy' } },
    },
  };
};

/** Writes guard-scp-template.json after `serverless package` when writeGuard=enforce. */
class GuardScpTemplatePlugin {
  constructor(serverless, options, { log } = {}) {
    this.serverless = serverless;
    this.options = options ?? {};
    this.log = log;
    this.hooks = { 'after:package:finalize': () => this.write() };
  }

  /** The `--package` folder, the service's package.path, or `.serverless/` (as osls packages). */
  packageDir() {
    return (
      this.options.package ?? this.serverless.service.package?.path ?? join(this.serverless.serviceDir, '.serverless')
    );
  }

  write() {
    const settings = this.serverless.service.custom?.writeGuardScp ?? {};
    if (settings.writeGuard !== 'enforce') return;
    const region = this.serverless.service.provider.region;
    const template = guardScpTemplate({
      stage: this.serverless.service.provider.stage,
      partition: partitionOf(region) ?? 'aws',
      memberRoleName: settings.memberRoleName,
      allowExemptions: String(settings.allowExemptions) === 'true',
      memberTargets: settings.memberTargets ?? [],
    });
    const dir = this.packageDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, TEMPLATE_FILE), `${JSON.stringify(template, null, 2)}\n`);
    this.log?.notice?.(
      `${TEMPLATE_FILE}: the write guard's SCP for the management account or a delegated administrator (docs/write-guard.md)`
    );
  }
}

module.exports = GuardScpTemplatePlugin;
module.exports.guardScpTemplate = guardScpTemplate;
module.exports.GUARD_SCP_TEMPLATE_FILE = TEMPLATE_FILE;
