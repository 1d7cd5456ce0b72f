import { runCli } from '../../../src/cli/runCli';
import { guardPolicy } from '../../../src/guard/guardPolicy';
import { cliIo } from '../../helpers/cliIo';

/** guard-policy is given no credentials provider: it must not need one. */
const io = () => cliIo();

describe('kinesis-auto-encrypt guard-policy', () => {
  it('prints the default policy as one line of minified JSON, exit 0', async () => {
    // Prepare
    const { out, err, io: cliIo } = io();

    // Act
    const code = await runCli(['guard-policy'], cliIo);

    // Assess
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('')).toMatch(/^\{"Version":"2012-10-17","Statement":\[\{"Sid":"NoWriteUnguarded"[^\n\s]*\}\n$/);
    expect(JSON.parse(out.join(''))).toEqual(
      guardPolicy({
        partition: 'aws',
        memberRoleName: 'kinesis-auto-encrypt-member',
        breakGlassRoles: [],
        exemptionApprovers: [],
        allowExemptions: true,
      }).policy
    );
  });

  it('passes every option (lists comma-separated and repeated) to the policy', async () => {
    // Prepare
    const { out, io: cliIo } = io();

    // Act
    const code = await runCli(
      [
        'guard-policy',
        '--partition',
        'aws-us-gov',
        '--member-role-name',
        'guard',
        '--break-glass-roles',
        'arn:aws-us-gov:iam::*:role/BreakGlass*, arn:aws-us-gov:iam::111122223333:role/Ops',
        '--break-glass-roles',
        'arn:aws-us-gov:iam::222233334444:user/oncall',
        '--exemption-approvers',
        'arn:aws-us-gov:iam::111122223333:role/Approver',
        '--allow-exemptions',
        'false',
      ],
      cliIo
    );

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual(
      guardPolicy({
        partition: 'aws-us-gov',
        memberRoleName: 'guard',
        breakGlassRoles: [
          'arn:aws-us-gov:iam::*:role/BreakGlass*',
          'arn:aws-us-gov:iam::111122223333:role/Ops',
          'arn:aws-us-gov:iam::222233334444:user/oncall',
        ],
        exemptionApprovers: ['arn:aws-us-gov:iam::111122223333:role/Approver'],
        allowExemptions: false,
      }).policy
    );
  });

  it.each([
    [['--partition', 'aws-moon'], /^kinesis-auto-encrypt guard-policy: --partition must be one of aws, aws-cn, /],
    [['--allow-exemptions', 'yes'], /--allow-exemptions must be true or false, got "yes"/],
    [['--member-role-name', 'a b'], /--member-role-name "a b" is not an IAM role name/],
    [['--exemption-approvers', 'Approver'], /--exemption-approvers "Approver" is not an IAM principal ARN pattern/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /unexpected argument "extra"/],
    [
      ['--break-glass-roles', Array.from({ length: 80 }, (_, i) => `arn:aws:iam::111122223333:role/bg-${i}`).join(',')],
      /over the SCP limit of 5,120 by [\d,]+: --break-glass-roles takes [\d,]+ \(80 patterns\)/,
    ],
  ])('%j: exit 2, one line on stderr, nothing on stdout', async (argv, message) => {
    // Prepare
    const { out, err, io: cliIo } = io();

    // Act
    const code = await runCli(['guard-policy', ...argv], cliIo);

    // Assess
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(err[0]?.trimEnd()).not.toContain('\n');
  });

  it('--help prints the command usage, exit 0', async () => {
    // Prepare
    const { out, io: cliIo } = io();

    // Act
    const code = await runCli(['guard-policy', '--help'], cliIo);

    // Assess
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^Usage: kinesis-auto-encrypt guard-policy \[options\]/);
    expect(out.join('')).toContain('--break-glass-roles');
  });
});
