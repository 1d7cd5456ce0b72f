import { receivingWritesByArn } from '../../../src/audit/receivingWrites';
import { FakeStreamWrites } from '../../fakes/fakeStreamWrites';

const arnOf = (region: string, name: string) => `arn:aws:kinesis:${region}:111111111111:stream/${name}`;
const targetOf = (region: string, names: string[], writes: FakeStreamWrites) => ({
  target: { account: '111111111111', region },
  streams: names.map((name) => ({ name, arn: arnOf(region, name) })),
  writes,
});

describe('receivingWritesByArn', () => {
  it.each([
    ['both regions read', undefined, { 'us-east-1/a': true, 'us-east-1/b': false, 'eu-west-1/c': true }, 0],
    ['eu-west-1 refused', new Error('not authorized'), { 'us-east-1/a': true, 'us-east-1/b': false }, 1],
  ])('%s: the streams read by ARN, one note for what was refused', async (_label, refusal, expected, notes) => {
    // Prepare
    const east = new FakeStreamWrites(new Set(['a']));
    const west = new FakeStreamWrites(new Set(['c']), refusal);
    const said: string[] = [];

    // Act
    const found = await receivingWritesByArn(
      [targetOf('us-east-1', ['a', 'b'], east), targetOf('eu-west-1', ['c'], west)],
      new Date('2026-12-07T00:00:00Z'),
      (text) => said.push(text)
    );

    // Assess
    expect(
      Object.fromEntries([...found].map(([arn, writing]) => [`${arn.split(':')[3]}/${arn.split('/')[1]}`, writing]))
    ).toEqual(expected);
    expect(said).toHaveLength(notes);
    if (notes > 0)
      expect(said[0]).toMatch(/receivingWrites left empty.*111111111111\/eu-west-1 \(Error: not authorized\)/);
  });

  it('asks nothing for an account-region without streams', async () => {
    // Prepare
    const writes = new FakeStreamWrites();

    // Act
    await receivingWritesByArn([targetOf('us-east-1', [], writes)], new Date(), () => undefined);

    // Assess
    expect(writes.calls).toEqual([]);
  });
});
