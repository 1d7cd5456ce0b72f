import { asDeploymentParameter, type DecidingSetting, reasonText } from '../../../src/domain/reason';
import { asCliFlag } from '../../../src/report/cliSettingNames';

const TEXT = 'Stream is encrypted with another KMS key (alias/team); left as is';

describe('reasonText: the setting that decided, in the reader language', () => {
  it.each<[DecidingSetting, string, string]>([
    [{ setting: 'mode', value: 'audit' }, 'mode=audit', 'audit'],
    [{ setting: 'overrideForeignKeys', value: false }, 'overrideForeignKeys=false', 'without --override-foreign-keys'],
    [{ setting: 'overrideForeignKeys', value: true }, 'overrideForeignKeys=true', '--override-foreign-keys'],
    [{ setting: 'keyPolicyCheck', value: 'enforce' }, 'keyPolicyCheck=enforce', '--key-policy-check enforce'],
    [{ setting: 'keyBudgetReserve', value: 2 }, 'keyBudgetReserve=2', '2 key applications kept in reserve'],
    [{ setting: 'maxDriftRepairsPerDay', value: 3 }, 'maxDriftRepairsPerDay=3', 'at most 3 drift repairs per 24 h'],
  ])('%j: the pipeline says (%s), the CLI (%s)', (decidedBy, parameter, flag) => {
    // Act
    const pipeline = reasonText(TEXT, decidedBy, asDeploymentParameter);
    const cli = reasonText(TEXT, decidedBy, asCliFlag);

    // Assess
    expect(pipeline).toBe(`${TEXT} (${parameter})`);
    expect(cli).toBe(`${TEXT} (${flag})`);
  });

  it('says the text alone when no setting decided', () => {
    expect(reasonText(TEXT, undefined, asCliFlag)).toBe(TEXT);
  });
});
