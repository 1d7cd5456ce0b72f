import { selectedStreams, streamArnParts } from '../../../src/audit/streamSelection';

const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:111111111111:stream/${name}`;
const listed = ['a', 'b', 'c'].map((name) => ({ name, arn: arnOf(name) }));

describe('streamSelection', () => {
  it.each([
    [undefined, ['a', 'b', 'c']],
    [[], ['a', 'b', 'c']],
    [['b'], ['b']],
    [
      [arnOf('c'), 'a'],
      ['a', 'c'],
    ],
    [['arn:aws:kinesis:eu-west-1:111111111111:stream/a'], []],
    [['zzz'], []],
  ])('--stream %j selects %j', (wanted, expected) => {
    // Act
    const selected = selectedStreams(listed, wanted);

    // Assess
    expect(selected.map((stream) => stream.name)).toEqual(expected);
  });

  it.each([
    ['orders', undefined],
    ['arn:aws:kinesis:eu-west-1:222222222222:stream/orders', { region: 'eu-west-1', account: '222222222222' }],
    ['arn:aws-cn:kinesis:cn-north-1:222222222222:stream/o', { region: 'cn-north-1', account: '222222222222' }],
  ])('%s names %j', (value, expected) => {
    // Act
    const parts = streamArnParts(value);

    // Assess
    expect(parts).toEqual(expected);
  });
});
