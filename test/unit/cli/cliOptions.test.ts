import { cliOptions, UsageError } from '../../../src/cli/cliOptions';

describe('cliOptions', () => {
  it.each([
    [['audit'], { command: 'audit', regions: undefined, describeRate: 10, concurrency: 8 }],
    [['sweep', '--dry-run'], { command: 'audit' }],
    [
      ['sweep', '--region', 'us-east-1,eu-west-1', '--region', 'ap-east-1'],
      { command: 'sweep', regions: ['us-east-1', 'eu-west-1', 'ap-east-1'] },
    ],
    [['audit', '--region', 'all'], { regions: 'all' }],
    [
      ['audit', '--accounts', '111111111111,222222222222', '--role-name', 'Auditor'],
      { accounts: ['111111111111', '222222222222'], roleName: 'Auditor' },
    ],
    [
      ['audit', '--key', 'alias/team', '--describe-rate', '5', '--concurrency', '3', '--format', 'csv', '--out', 'd'],
      { key: 'alias/team', describeRate: 5, concurrency: 3, format: 'csv', out: 'd' },
    ],
    [
      ['audit', '--endpoint-url', 'http://127.0.0.1:4566', '--profile', 'p', '--tags', 'stream'],
      { endpointUrl: 'http://127.0.0.1:4566', profile: 'p', tags: 'stream' },
    ],
    [
      ['sweep', '--stage', 'prod', '--override-foreign-keys', '--key-policy-check', 'warn'],
      { stage: 'prod', overrideForeignKeys: true, keyPolicyCheck: 'warn' },
    ],
    [['sweep', '--stage', 'prod', '--no-override-foreign-keys'], { overrideForeignKeys: false }],
    [['audit', '--stream', 'a', '--stream', 'b,c'], { streams: ['a', 'b', 'c'], regions: undefined }],
    [
      ['sweep', '--stream', 'arn:aws:kinesis:eu-west-1:111111111111:stream/a', '--region', 'eu-west-1'],
      { streams: ['arn:aws:kinesis:eu-west-1:111111111111:stream/a'], regions: ['eu-west-1'] },
    ],
    [['sweep', '--stream', 'arn:aws:kinesis:eu-west-1:111111111111:stream/a'], { regions: ['eu-west-1'] }],
    [['sweep', '--stream', 'arn:aws:kinesis:eu-west-1:111111111111:stream/a', '--region', 'all'], { regions: 'all' }],
  ])('parses %j', (argv, expected) => {
    // Act
    const options = cliOptions(argv);

    // Assess
    expect(options).toMatchObject(expected);
  });

  it('leaves every setting a stage may give unset when no flag sets it', () => {
    // Act
    const options = cliOptions(['sweep', '--stage', 'prod']);

    // Assess
    expect(['key', 'overrideForeignKeys', 'keyPolicyCheck'].filter((name) => name in options)).toEqual([]);
  });

  it.each([
    [[], /a command is required/],
    [['encrypt'], /unknown command/],
    [['audit', '--bogus'], /Unknown option/],
    [['audit', '--region', 'all,us-east-1'], /cannot be combined/],
    [['audit', '--region', 'moon'], /not a region code/],
    // issue 21 item 11: well-formed but unknown to the SDK's partition data (@aws-sdk/util-endpoints partitions.json).
    [['audit', '--region', 'us-east-9'], /"us-east-9" is not a region the AWS SDK's partition data knows/],
    [['sweep', '--region', 'us-east-1,eu-west-99'], /"eu-west-99" is not a region/],
    [['audit', '--accounts', '123'], /12-digit/],
    [['audit', '--accounts', '111111111111'], /needs --role-name/],
    [['audit', '--role-name', 'R'], /needs --accounts/],
    [['audit', '--key', 'not a key'], /not a KMS KeyId/],
    [['audit', '--describe-rate', '21'], /describe-rate/],
    [['audit', '--describe-rate', '0'], /describe-rate/],
    [['audit', '--concurrency', 'x'], /concurrency/],
    [['audit', '--format', 'xml'], /format/],
    [['audit', '--endpoint-url', 'localhost'], /endpoint-url/],
    [['audit', 'extra'], /unexpected argument/],
    [
      ['audit', '--stream', 'arn:aws:kinesis:eu-west-1:111111111111:stream/a', '--region', 'us-east-1'],
      /region eu-west-1/,
    ],
    [
      [
        'audit',
        '--stream',
        'arn:aws:kinesis:us-east-1:333333333333:stream/a',
        '--accounts',
        '111111111111',
        '--role-name',
        'R',
      ],
      /account 333333333333/,
    ],
    [['audit', '--stream', 'arn:aws:sqs:us-east-1:111111111111:q'], /neither a stream name nor/],
    [['audit', '--stream', 'bad name!'], /neither a stream name nor/],
    [['audit', '--stage', 'prod/x'], /not a stage name/],
    [['audit', '--key-policy-check', 'strict'], /key-policy-check must be one of enforce, warn, off/],
    [['audit', '--override-foreign-keys', '--no-override-foreign-keys'], /cannot be combined/],
  ])('refuses %j as bad usage', (argv, message) => {
    // Act
    const parse = () => cliOptions(argv);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});
