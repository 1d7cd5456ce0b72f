import { cliOptions, fixFlagsOf } from '../../../src/cli/cliOptions';
import { Compliance } from '../../../src/domain/compliance';
import { fixCommandOf } from '../../../src/report/fixCommand';
import { streamRow } from '../../helpers/reportFixture';

const ARN = 'arn:aws:kinesis:us-east-1:111111111111:stream/payments';

describe('fixCommandOf', () => {
  it.each([
    ['a compliant stream', { compliance: Compliance.Compliant }, [], ''],
    ['an exempt stream', { compliance: Compliance.Exempt, outcome: 'Exempt' }, [], ''],
    ['a stream not checked', { compliance: Compliance.NotChecked, outcome: 'NotChecked' }, [], ''],
    [
      'an unencrypted stream in audit',
      { compliance: Compliance.NonCompliant, outcome: 'NonCompliant' },
      [],
      `kinesis-auto-encrypt sweep --stream ${ARN} --region us-east-1`,
    ],
    [
      'an unencrypted stream, the run with --key and --profile',
      { compliance: Compliance.NonCompliant, outcome: 'NonCompliant' },
      ['--profile', 'sec audit', '--key', 'alias/team'],
      `kinesis-auto-encrypt sweep --stream ${ARN} --region us-east-1 --profile 'sec audit' --key alias/team`,
    ],
    [
      'a stream whose key tag names a key that cannot be used',
      { compliance: Compliance.NonCompliant, outcome: 'Failed', policy: 'enforce / key tag' },
      [],
      `aws kinesis remove-tags-from-stream --stream-arn ${ARN} --tag-keys kinesis-auto-encrypt:key --region us-east-1 && kinesis-auto-encrypt sweep --stream ${ARN} --region us-east-1`,
    ],
  ] as const)('%s: %j', (_label, change, flags, expected) => {
    // Prepare
    const row = streamRow({ streamName: 'payments', ...change });

    // Act
    const command = fixCommandOf(row, flags);

    // Assess
    expect(command).toBe(expected);
  });

  it.each([
    [['audit'], []],
    [
      ['audit', '--key', 'alias/k', '--tags', 'stream', '--concurrency', '2'],
      ['--key', 'alias/k'],
    ],
    [
      ['audit', '--stage', 'prod', '--no-override-foreign-keys', '--key-policy-check', 'warn'],
      ['--stage', 'prod', '--no-override-foreign-keys', '--key-policy-check', 'warn'],
    ],
    [
      ['audit', '--endpoint-url', 'http://127.0.0.1:4566', '--accounts', '111111111111', '--role-name', 'R'],
      ['--endpoint-url', 'http://127.0.0.1:4566', '--accounts', '111111111111', '--role-name', 'R'],
    ],
  ])('the run %j repeats the flags that decide: %j', (argv, expected) => {
    // Act
    const flags = fixFlagsOf(cliOptions(argv));

    // Assess
    expect(flags).toEqual(expected);
  });
});
