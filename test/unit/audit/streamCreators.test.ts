import { createdByArn } from '../../../src/audit/streamCreators';
import { FakeStreamCreators } from '../../fakes/fakeStreamCreators';

const rowOf = (region: string, streamName: string) => ({
  account: '111111111111',
  region,
  streamName,
  streamArn: `arn:aws:kinesis:${region}:111111111111:stream/${streamName}`,
});

describe('createdByArn', () => {
  it.each([
    [
      'both regions read',
      undefined,
      { a: 'arn:aws:iam::111111111111:user/dev', c: 'arn:aws:iam::111111111111:role/ci' },
      0,
    ],
    ['eu-west-1 refused', new Error('denied'), { a: 'arn:aws:iam::111111111111:user/dev' }, 1],
  ])('%s: callers by ARN, one note for what was refused', async (_label, refusal, expected, notes) => {
    // Prepare
    const east = new FakeStreamCreators(new Map([['a', 'arn:aws:iam::111111111111:user/dev']]));
    const west = new FakeStreamCreators(new Map([['c', 'arn:aws:iam::111111111111:role/ci']]), refusal);
    const targets = [
      { target: { account: '111111111111', region: 'us-east-1' }, creators: east },
      { target: { account: '111111111111', region: 'eu-west-1' }, creators: west },
      { target: { account: '111111111111', region: 'ap-east-1' }, creators: new FakeStreamCreators() },
    ];
    const said: string[] = [];

    // Act
    const found = await createdByArn(
      targets,
      [rowOf('us-east-1', 'a'), rowOf('us-east-1', 'b'), rowOf('eu-west-1', 'c')],
      (t) => said.push(t)
    );

    // Assess
    expect(Object.fromEntries([...found].map(([arn, caller]) => [arn.split('/')[1], caller]))).toEqual(expected);
    expect(east.calls).toEqual([['a', 'b']]);
    expect(targets[2]?.creators.calls).toEqual([]);
    expect(said).toHaveLength(notes);
  });
});
