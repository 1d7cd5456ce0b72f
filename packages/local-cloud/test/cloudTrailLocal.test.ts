import {
  CloudTrailClient,
  type Event,
  type LookupAttribute,
  LookupEventsCommand,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { buildCloudTrailRecord, CLOUDTRAIL_TARGET_PREFIX, LocalCloudTrail, LocalGateway } from '../src/index';

/*
 * LookupEvents as the CloudTrail API reference describes it
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html): one lookup attribute at most
 * ("Currently the list can contain only one item", InvalidLookupAttributesException), StartTime "after or at" and
 * EndTime "before or at" (InvalidTimeRangeException when the start is after the end), MaxResults "maximum of 50",
 * NextToken paging, and each Event (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html) with
 * EventId, EventName, EventTime, EventSource, Username, Resources and "CloudTrailEvent: A JSON string that contains a
 * representation of the event returned". Events are per account and region (a client's credentials and region).
 */
const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const record = (operation: string, request: object, minutes: number, account = ACCOUNT, region = 'eu-west-1') =>
  buildCloudTrailRecord({ operation, account, region, accessKeyId: account, request, eventTime: at(minutes) });

describe('the local CloudTrail answers LookupEvents', () => {
  const gateway = new LocalGateway();
  const trail = new LocalCloudTrail({ now: () => T0 + 3_600_000, lookupsPerSecond: Number.POSITIVE_INFINITY });
  const records = [
    record('CreateStream', { StreamName: 'orders', ShardCount: 1 }, 0),
    record('AddTagsToStream', { StreamName: 'orders', Tags: { team: 'a' } }, 1),
    record('CreateStream', { StreamName: 'payments', ShardCount: 1 }, 2),
    record('StopStreamEncryption', { StreamARN: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/payments` }, 3),
    record('CreateStream', { StreamName: 'clicks', ShardCount: 1 }, 4),
    record('CreateStream', { StreamName: 'elsewhere', ShardCount: 1 }, 5, OTHER_ACCOUNT),
    record('CreateStream', { StreamName: 'in-us', ShardCount: 1 }, 6, ACCOUNT, 'us-east-1'),
  ];
  let client: CloudTrailClient;

  beforeAll(async () => {
    for (const entry of records) trail.record(entry);
    gateway.register(CLOUDTRAIL_TARGET_PREFIX, trail.service);
    const endpoint = await gateway.start();
    client = new CloudTrailClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await gateway.stop();
  });

  const names = (events: Event[] | undefined) =>
    (events ?? []).map((event) => `${event.EventName} ${event.Resources?.[0]?.ResourceName ?? '-'}`);

  it.each<{ title: string; attribute?: LookupAttribute; start?: number; end?: number; expected: string[] }>([
    {
      title: 'every event of the caller account and region, newest first',
      expected: [
        'CreateStream clicks',
        'StopStreamEncryption payments',
        'CreateStream payments',
        'AddTagsToStream orders',
        'CreateStream orders',
      ],
    },
    {
      title: 'EventName CreateStream',
      attribute: { AttributeKey: 'EventName', AttributeValue: 'CreateStream' },
      expected: ['CreateStream clicks', 'CreateStream payments', 'CreateStream orders'],
    },
    {
      title: 'ResourceName of a stream named by name or by ARN',
      attribute: { AttributeKey: 'ResourceName', AttributeValue: 'payments' },
      expected: ['StopStreamEncryption payments', 'CreateStream payments'],
    },
    {
      title: 'StartTime and EndTime, both inclusive',
      start: 1,
      end: 3,
      expected: ['StopStreamEncryption payments', 'CreateStream payments', 'AddTagsToStream orders'],
    },
    {
      title: 'ResourceType AWS::Kinesis::Stream with a time range',
      attribute: { AttributeKey: 'ResourceType', AttributeValue: 'AWS::Kinesis::Stream' },
      start: 4,
      expected: ['CreateStream clicks'],
    },
  ])('filters: $title', async ({ attribute, start, end, expected }) => {
    // Act
    const answer = await client.send(
      new LookupEventsCommand({
        ...(attribute !== undefined && { LookupAttributes: [attribute] }),
        ...(start !== undefined && { StartTime: at(start) }),
        ...(end !== undefined && { EndTime: at(end) }),
      })
    );

    // Assess
    expect(names(answer.Events)).toEqual(expected);
    expect(answer.NextToken).toBeUndefined();
  });

  it('returns each event in the API shape, CloudTrailEvent the record as a JSON string', async () => {
    // Prepare
    const created = records[0];

    // Act
    const answer = await client.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'orders' }] })
    );
    const event = answer.Events?.find(({ EventName }) => EventName === 'CreateStream');

    // Assess
    expect(event).toEqual({
      EventId: created?.eventID,
      EventName: 'CreateStream',
      ReadOnly: 'false',
      AccessKeyId: ACCOUNT,
      EventTime: at(0),
      EventSource: 'kinesis.amazonaws.com',
      Username: 'local',
      Resources: [{ ResourceType: 'AWS::Kinesis::Stream', ResourceName: 'orders' }],
      CloudTrailEvent: expect.any(String),
    });
    expect(JSON.parse(event?.CloudTrailEvent ?? '')).toEqual(created);
    expect(JSON.parse(event?.CloudTrailEvent ?? '').userIdentity.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/local`);
  });

  it('pages with MaxResults and NextToken until every event is read', async () => {
    // Act
    const pages: number[] = [];
    const events: Event[] = [];
    for await (const page of paginateLookupEvents({ client, pageSize: 2 }, {})) {
      pages.push(page.Events?.length ?? 0);
      events.push(...(page.Events ?? []));
    }

    // Assess
    expect(pages).toEqual([2, 2, 1]);
    expect(new Set(events.map(({ EventId }) => EventId)).size).toBe(5);
  });

  it.each([
    {
      title: 'two lookup attributes',
      input: {
        LookupAttributes: [
          { AttributeKey: 'EventName' as const, AttributeValue: 'CreateStream' },
          { AttributeKey: 'ResourceName' as const, AttributeValue: 'orders' },
        ],
      },
      error: 'InvalidLookupAttributesException',
    },
    { title: 'a start after the end', input: { StartTime: at(3), EndTime: at(1) }, error: 'InvalidTimeRangeException' },
    { title: 'MaxResults over 50', input: { MaxResults: 51 }, error: 'InvalidMaxResultsException' },
    { title: 'a NextToken it never gave', input: { NextToken: 'forged' }, error: 'InvalidNextTokenException' },
  ])('refuses $title with $error', async ({ input, error }) => {
    // Act
    const refused = client.send(new LookupEventsCommand(input));

    // Assess
    await expect(refused).rejects.toMatchObject({ name: error });
  });

  it('keeps each account and region apart', async () => {
    // Prepare
    const other = new CloudTrailClient({
      endpoint: gateway.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: OTHER_ACCOUNT, secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
    const us = new CloudTrailClient({
      endpoint: gateway.url,
      region: 'us-east-1',
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });

    // Act
    const [inOther, inUs] = await Promise.all([
      other.send(new LookupEventsCommand({})),
      us.send(new LookupEventsCommand({})),
    ]);
    other.destroy();
    us.destroy();

    // Assess
    expect(names(inOther.Events)).toEqual(['CreateStream elsewhere']);
    expect(names(inUs.Events)).toEqual(['CreateStream in-us']);
  });

  it('refuses a third LookupEvents within a second of the same account and region with ThrottlingException', async () => {
    // Prepare: the default quota, two per second per account and region
    const limited = new LocalCloudTrail();
    const throttled = new LocalGateway();
    throttled.register(CLOUDTRAIL_TARGET_PREFIX, limited.service);
    const endpoint = await throttled.start();
    const clientIn = (region: string) =>
      new CloudTrailClient({
        endpoint,
        region,
        credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'local' },
        requestHandler: new NodeHttpHandler(),
        maxAttempts: 1,
      });
    const [eu, us] = [clientIn('eu-west-1'), clientIn('us-east-1')];

    // Act
    const answers = await Promise.allSettled([
      eu.send(new LookupEventsCommand({})),
      eu.send(new LookupEventsCommand({})),
      eu.send(new LookupEventsCommand({})),
      us.send(new LookupEventsCommand({})),
    ]);
    eu.destroy();
    us.destroy();
    await throttled.stop();

    // Assess
    const names = answers.map((answer) => (answer.status === 'fulfilled' ? 'ok' : (answer.reason as Error).name));
    expect(names.filter((name) => name === 'ThrottlingException')).toHaveLength(1);
    expect(names[3]).toBe('ok');
  });
});
