import { parseStageSettings } from '../../../src/config/stageSettings';
import { resolveConditions } from '../../helpers/leastPrivilege';
import { type CloudFormationTemplate, packageTemplate } from '../../helpers/packageTemplate';

/** The settings parameter of a packaged template, and its value as the CLI parses it. */
const settingsOf = (template: CloudFormationTemplate) => {
  const found = Object.values(template.Resources).filter(
    (resource) =>
      resource.Type === 'AWS::SSM::Parameter' && String(resource.Properties?.Name ?? '').endsWith('/settings')
  );
  const properties = found[0]?.Properties ?? {};
  return {
    count: found.length,
    name: properties.Name,
    type: properties.Type,
    value: parseStageSettings(String(properties.Value), String(properties.Name)),
  };
};

describe('the stack publishes its effective settings for the CLI (/kinesis-auto-encrypt/<stage>/settings)', () => {
  let defaults: CloudFormationTemplate;
  let prod: CloudFormationTemplate;

  beforeAll(async () => {
    defaults = resolveConditions((await packageTemplate()).template);
    prod = resolveConditions(
      (
        await packageTemplate({
          stage: 'settingsprod',
          params: {
            kmsKeyId: 'alias/prod-key',
            mode: 'audit',
            overrideForeignKeys: 'true',
            allowExemptions: 'false',
            keyPolicyCheck: 'warn',
            keyBudgetReserve: '4',
          },
        })
      ).template
    );
  }, 10 * 60_000);

  it.each([
    [
      'the default parameters',
      () => defaults,
      'dev',
      {
        kmsKeyId: 'alias/aws/kinesis',
        mode: 'enforce',
        overrideForeignKeys: false,
        allowExemptions: true,
        allowKeyTags: true,
        keyPolicyCheck: 'enforce',
        keyBudgetReserve: 2,
      },
    ],
    [
      'stage parameters given',
      () => prod,
      'settingsprod',
      {
        kmsKeyId: 'alias/prod-key',
        mode: 'audit',
        overrideForeignKeys: true,
        allowExemptions: false,
        allowKeyTags: true,
        keyPolicyCheck: 'warn',
        keyBudgetReserve: 4,
      },
    ],
  ])('one String parameter holding the settings of %s', (_label, template, stage, expected) => {
    // Act
    const settings = settingsOf(template());

    // Assess
    expect(settings).toMatchObject({ count: 1, name: `/kinesis-auto-encrypt/${stage}/settings`, type: 'String' });
    expect(settings.value).toEqual({
      version: '1',
      stage,
      deployment: 'account',
      kmsKeySsmParameter: `/kinesis-auto-encrypt/${stage}/default-kms-key-id`,
      allowCrossAccountKey: false,
      maxDriftRepairsPerDay: 3,
      ...expected,
    });
  });
});
