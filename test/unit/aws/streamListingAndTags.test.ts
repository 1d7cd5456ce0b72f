import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  ListTagsForStreamCommand,
} from '@aws-sdk/client-kinesis';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { bulkStreamTags } from '../../../src/aws/bulkStreamTags';
import { enabledRegions } from '../../../src/aws/enabledRegions';
import { listStreams } from '../../../src/aws/kinesisStreamLister';
import { KinesisStreamPort } from '../../../src/aws/kinesisStreamPort';
import { streamArnsOf } from '../../../src/aws/streamArnsOf';
import { AccessDeniedError } from '../../../src/domain/failures';

/*
 * AWS behaviours relied on:
 * - ListStreams (Kinesis API reference, https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html):
 *   `Limit` at most 100; `StreamSummaries` with `NextToken`, or names with `HasMoreStreams` and
 *   `ExclusiveStartStreamName` = the last name; 5 transactions per second per account.
 * - tag:GetResources (Resource Groups Tagging API reference,
 *   https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html): returns tagged or
 *   previously tagged resources only ("GetResources does not return untagged resources"), `ResourcesPerPage` up to
 *   100, `PaginationToken` empty on the last page; `ResourceTypeFilters` `service:resourceType` (kinesis:stream).
 * - ListTagsForStream: one stream per call, 5 transactions per second per account (Kinesis API reference).
 * - account:ListRegions (AWS Account Management API reference,
 *   https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html): `RegionOptStatusContains`,
 *   `MaxResults` at most 50, `NextToken`.
 */
const kinesis = mockClient(KinesisClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const account = mockClient(AccountClient);

const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:111111111111:stream/${name}`;
const WHERE = { partition: 'aws', region: 'us-east-1', account: '111111111111' };
const names = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `s-${from + index}`);

const collect = async (client: KinesisClient) => {
  const pages = [];
  for await (const page of listStreams(client)) pages.push(page);
  return pages;
};

beforeEach(() => {
  kinesis.reset();
  tagging.reset();
  account.reset();
});

describe('listStreams', () => {
  it('follows NextToken and keeps the StreamSummaries (ARN, status, creation time)', async () => {
    // Prepare
    const created = new Date('2026-11-01T00:00:00Z');
    kinesis
      .on(ListStreamsCommand, { Limit: 100 })
      .resolves({
        StreamNames: ['a'],
        StreamSummaries: [
          { StreamName: 'a', StreamARN: arnOf('a'), StreamStatus: 'ACTIVE', StreamCreationTimestamp: created },
        ],
        HasMoreStreams: true,
        NextToken: 't1',
      })
      .on(ListStreamsCommand, { NextToken: 't1' })
      .resolves({
        StreamNames: ['b'],
        StreamSummaries: [
          { StreamName: 'b', StreamARN: arnOf('b'), StreamStatus: 'CREATING', StreamCreationTimestamp: created },
        ],
        HasMoreStreams: false,
      });

    // Act
    const pages = await collect(new KinesisClient({ region: 'us-east-1' }));

    // Assess
    expect(pages).toEqual([
      [{ name: 'a', arn: arnOf('a'), status: 'ACTIVE', createdAt: created.toISOString() }],
      [{ name: 'b', arn: arnOf('b'), status: 'CREATING', createdAt: created.toISOString() }],
    ]);
    expect(kinesis).toHaveReceivedCommandTimes(ListStreamsCommand, 2);
    expect(kinesis).toHaveReceivedNthSpecificCommandWith(2, ListStreamsCommand, { NextToken: 't1' });
  });

  it('pages by ExclusiveStartStreamName when the service returns names only (kinesis-mock), and builds each ARN without a call', async () => {
    // Prepare
    kinesis
      .on(ListStreamsCommand, { Limit: 100 })
      .resolves({ StreamNames: names(100), HasMoreStreams: true })
      .on(ListStreamsCommand, { Limit: 100, ExclusiveStartStreamName: 's-99' })
      .resolves({ StreamNames: names(30, 100), HasMoreStreams: false });
    const client = new KinesisClient({ region: 'us-east-1' });

    // Act
    const streams = streamArnsOf((await collect(client)).flat(), WHERE);

    // Assess
    expect(streams).toHaveLength(130);
    expect(streams[129]).toEqual({ name: 's-129', arn: arnOf('s-129') });
    expect(kinesis).toHaveReceivedCommandTimes(ListStreamsCommand, 2);
    expect(kinesis).not.toHaveReceivedCommand(DescribeStreamSummaryCommand);
  });

  it.each([
    ['aws-cn', 'cn-north-1', 'arn:aws-cn:kinesis:cn-north-1:111122223333:stream/s'],
    ['aws-us-gov', 'us-gov-west-1', 'arn:aws-us-gov:kinesis:us-gov-west-1:111122223333:stream/s'],
  ])('builds a names-only stream ARN in the %s partition', (partition, region, arn) => {
    // Act
    const [stream] = streamArnsOf([{ name: 's' }], { partition, region, account: '111122223333' });

    // Assess
    expect(stream?.arn).toBe(arn);
  });
});

describe('tags of 100 streams: tag:GetResources in bulk against ListTagsForStream per stream', () => {
  it('GetResources: 1 call per 100 streams; ListTagsForStream: 100 calls (20 s at 5/s per account)', async () => {
    // Prepare
    const streams = names(100);
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: streams.slice(0, 60).map((name) => ({
        ResourceARN: arnOf(name),
        Tags: [{ Key: 'team', Value: name }],
      })),
      PaginationToken: '',
    });
    kinesis.on(ListTagsForStreamCommand).callsFake(async ({ StreamARN }: { StreamARN: string }) => ({
      Tags: [{ Key: 'team', Value: StreamARN.split('/')[1] }],
      HasMoreTags: false,
    }));
    const port = new KinesisStreamPort(new KinesisClient({}), new KinesisClient({}));

    // Act
    const bulk = await bulkStreamTags(new ResourceGroupsTaggingAPIClient({ region: 'us-east-1' }));
    const perStream = await Promise.all(streams.slice(0, 60).map((name) => port.tags(arnOf(name))));
    await Promise.all(streams.slice(60).map((name) => port.tags(arnOf(name))));

    // Assess
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 1);
    expect(tagging).toHaveReceivedCommandWith(GetResourcesCommand, {
      ResourceTypeFilters: ['kinesis:stream'],
      ResourcesPerPage: 100,
    });
    expect(kinesis).toHaveReceivedCommandTimes(ListTagsForStreamCommand, 100);
    expect(streams.slice(0, 60).map((name) => bulk.get(arnOf(name)))).toEqual(perStream);
    // A stream GetResources does not list has no tags.
    expect(bulk.get(arnOf('s-99'))).toBeUndefined();
  });

  it('follows PaginationToken and translates a refusal', async () => {
    // Prepare
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: arnOf('a'), Tags: [] }], PaginationToken: 'p2' })
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: arnOf('b'), Tags: [{ Key: 'k', Value: 'v' }] }] })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const client = new ResourceGroupsTaggingAPIClient({ region: 'us-east-1' });

    // Act
    const tags = await bulkStreamTags(client);
    const refused = await bulkStreamTags(client).catch((error: unknown) => error);

    // Assess
    expect([...tags]).toEqual([
      [arnOf('a'), {}],
      [arnOf('b'), { k: 'v' }],
    ]);
    expect(tagging).toHaveReceivedNthSpecificCommandWith(2, GetResourcesCommand, { PaginationToken: 'p2' });
    expect(refused).toBeInstanceOf(AccessDeniedError);
  });
});

describe('enabledRegions', () => {
  it('asks for ENABLED and ENABLED_BY_DEFAULT regions, all pages', async () => {
    // Prepare
    account
      .on(ListRegionsCommand)
      .resolvesOnce({ Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }], NextToken: 'n' })
      .resolvesOnce({ Regions: [{ RegionName: 'ap-east-1' }] });

    // Act
    const regions = await enabledRegions(new AccountClient({ region: 'us-east-1' }));

    // Assess
    expect(regions).toEqual(['ap-east-1', 'eu-west-1', 'us-east-1']);
    expect(account).toHaveReceivedNthSpecificCommandWith(1, ListRegionsCommand, {
      RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
      MaxResults: 50,
    });
    expect(account).toHaveReceivedNthSpecificCommandWith(2, ListRegionsCommand, { NextToken: 'n' });
  });

  it('calls an endpoint without ListRegions (a 4xx client fault) refused, not transient, and points to --region', async () => {
    // Prepare: an endpoint that does not serve the Account API answers 400 UnknownOperationException; a 4xx client
    // fault other than throttling is not retried by the SDK (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
    account.on(ListRegionsCommand).rejects(
      Object.assign(new Error('No local service for listRegions'), {
        name: 'UnknownOperationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      })
    );

    // Act
    const failure = await enabledRegions(new AccountClient({ region: 'us-east-1' })).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ retryable: false, code: 'UnknownOperationException' });
    expect((failure as Error).message).not.toMatch(/transient/);
    expect((failure as Error).message).toMatch(/account:ListRegions was refused \(UnknownOperationException.*--region/);
  });
});
