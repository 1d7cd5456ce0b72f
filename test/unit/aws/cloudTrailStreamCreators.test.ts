import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailStreamCreators } from '../../../src/aws/cloudTrailStreamCreators';

const cloudtrail = mockClient(CloudTrailClient);
const eventOf = (streamName: string, arn: string) => ({
  CloudTrailEvent: JSON.stringify({ requestParameters: { streamName }, userIdentity: { arn } }),
});

describe('CloudTrailStreamCreators', () => {
  beforeEach(() => cloudtrail.reset());

  it.each([
    [['a'], { a: 'arn:aws:iam::1:user/new' }, 1],
    [['a', 'b'], { a: 'arn:aws:iam::1:user/new', b: 'arn:aws:iam::1:role/ci' }, 2],
    [['a', 'zzz'], { a: 'arn:aws:iam::1:user/new' }, 3],
  ])('names %j: callers %j, newest CreateStream first, %d page(s) read', async (names, expected, pages) => {
    // Prepare
    cloudtrail
      .on(LookupEventsCommand)
      .resolvesOnce({
        Events: [eventOf('a', 'arn:aws:iam::1:user/new'), { CloudTrailEvent: 'not json' }],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Events: [eventOf('a', 'arn:aws:iam::1:user/old'), eventOf('b', 'arn:aws:iam::1:role/ci')],
        NextToken: 'p3',
      })
      .resolvesOnce({ Events: [] });

    // Act
    const found = await new CloudTrailStreamCreators(new CloudTrailClient({})).createdBy(names);

    // Assess
    expect(Object.fromEntries(found)).toEqual(expected);
    expect(cloudtrail).toHaveReceivedCommandTimes(LookupEventsCommand, pages);
    expect(cloudtrail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateStream' }],
    });
  });

  it('throws when LookupEvents is refused (the caller leaves the field empty)', async () => {
    // Prepare
    cloudtrail.on(LookupEventsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    // Act
    const read = new CloudTrailStreamCreators(new CloudTrailClient({})).createdBy(['a']);

    // Assess
    await expect(read).rejects.toThrow('denied');
  });
});
