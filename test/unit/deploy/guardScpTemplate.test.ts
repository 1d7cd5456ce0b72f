import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardPolicy, type Partition } from '../../../src/guard/guardPolicy';

interface TemplateSettings {
  stage: string;
  partition: string;
  memberRoleName: string;
  allowExemptions: boolean;
  memberTargets: string[];
}
interface PolicyTemplate {
  Resources: { WriteGuardPolicy: { Type: string; Properties: Record<string, unknown> } };
}
type Plugin = new (serverless: unknown, options: { package?: string }) => { hooks: Record<string, () => void> };

/** deploy/guardScpTemplate.js as osls loads it (a plugin class, plain JS) with its template builder. */
const plugin = require('../../../deploy/guardScpTemplate') as Plugin & {
  guardScpTemplate: (settings: TemplateSettings) => PolicyTemplate;
  GUARD_SCP_TEMPLATE_FILE: string;
};

const TARGETS = ['ou-abcd-11111111', 'r-abcd'];

/** The plugin with a serverless object as osls hands it over after resolving serverless.yml. */
const pluginFor = (writeGuard: string, packageDir: string) =>
  new plugin(
    {
      service: {
        provider: { stage: 'org', region: 'cn-north-1' },
        custom: {
          writeGuardScp: {
            writeGuard,
            memberRoleName: 'kae-member',
            allowExemptions: 'false',
            memberTargets: TARGETS,
          },
        },
      },
      serviceDir: packageDir,
    },
    { package: packageDir }
  );

describe('guard-scp-template.json (deploy/guardScpTemplate.js)', () => {
  it.each<{ partition: Partition; memberRoleName: string; allowExemptions: boolean }>([
    { partition: 'aws', memberRoleName: 'kinesis-auto-encrypt-member', allowExemptions: true },
    { partition: 'aws', memberRoleName: 'kinesis-auto-encrypt-member', allowExemptions: false },
    { partition: 'aws-cn', memberRoleName: 'kae-member', allowExemptions: true },
    { partition: 'aws-us-gov', memberRoleName: 'x'.repeat(55), allowExemptions: false },
  ])(
    'holds the SCP of src/guard/guardPolicy.ts for $partition, $memberRoleName, allowExemptions $allowExemptions',
    ({ partition, memberRoleName, allowExemptions }) => {
      // Prepare
      const expected = guardPolicy({
        partition,
        memberRoleName,
        allowExemptions,
        breakGlassRoles: [],
        exemptionApprovers: [],
      });

      // Act
      const template = plugin.guardScpTemplate({
        stage: 'org',
        partition,
        memberRoleName,
        allowExemptions,
        memberTargets: TARGETS,
      });

      // Assess
      const policy = template.Resources.WriteGuardPolicy;
      expect(policy.Type).toBe('AWS::Organizations::Policy');
      expect(policy.Properties).toEqual({
        Name: 'kinesis-auto-encrypt-org-write-guard',
        Description: expect.any(String),
        Type: 'SERVICE_CONTROL_POLICY',
        Content: expected.policy,
        TargetIds: TARGETS,
      });
      expect(JSON.stringify(policy.Properties.Content)).toBe(expected.minified);
    }
  );

  it('refuses a role name the SCP cannot name (<name>-sweep over 64 characters)', () => {
    // Act
    const build = () =>
      plugin.guardScpTemplate({
        stage: 'org',
        partition: 'aws',
        memberRoleName: 'x'.repeat(56),
        allowExemptions: true,
        memberTargets: TARGETS,
      });

    // Assess
    expect(build).toThrow(/--member-role-name "x+" is not an IAM role name of at most 55 characters/);
  });

  it.each([
    { writeGuard: 'enforce', written: true },
    { writeGuard: 'prepare', written: false },
    { writeGuard: 'off', written: false },
  ])('after packaging with writeGuard=$writeGuard, writes the template: $written', ({ writeGuard, written }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'kae-guard-scp-'));
    const finalize = pluginFor(writeGuard, dir).hooks['after:package:finalize'];

    try {
      // Act
      finalize?.();

      // Assess: the stack's region (cn-north-1) gives the partition
      const file = join(dir, plugin.GUARD_SCP_TEMPLATE_FILE);
      expect(existsSync(file)).toBe(written);
      if (written) {
        const template = JSON.parse(readFileSync(file, 'utf8')) as PolicyTemplate;
        expect(template.Resources.WriteGuardPolicy.Properties.Content).toEqual(
          guardPolicy({
            partition: 'aws-cn',
            memberRoleName: 'kae-member',
            allowExemptions: false,
            breakGlassRoles: [],
            exemptionApprovers: [],
          }).policy
        );
        expect(template.Resources.WriteGuardPolicy.Properties.TargetIds).toEqual(TARGETS);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
