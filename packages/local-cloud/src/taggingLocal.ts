import { type KinesisClient, ListStreamsCommand, ListTagsForStreamCommand } from '@aws-sdk/client-kinesis';
import { awsJsonError, type LocalRequest, type LocalResponse, type LocalService } from './gateway';
import { localKinesisClient } from './localKinesisClient';
import { regionPartition } from './regionPartition';

/** Gateway prefix of the Resource Groups Tagging API (JSON 1.1, `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.*`). */
export const TAGGING_TARGET_PREFIX = 'ResourceGroupsTaggingAPI_20170126';

/** "ResourcesPerPage … the maximum is 100" (Resource Groups Tagging API reference, GetResources). */
const MAX_PER_PAGE = 100;

type Mapping = { ResourceARN: string; Tags: { Key: string; Value: string }[] };

const streamNames = async (client: KinesisClient): Promise<string[]> => {
  const names: string[] = [];
  for (;;) {
    const output = await client.send(
      new ListStreamsCommand({ Limit: 100, ...(names.length > 0 && { ExclusiveStartStreamName: names.at(-1) }) })
    );
    names.push(...(output.StreamNames ?? []));
    if (output.HasMoreStreams !== true || (output.StreamNames ?? []).length === 0) return names;
  }
};

/**
 * A local `tag:GetResources` for `ResourceTypeFilters: ['kinesis:stream']`, read from the local Kinesis (names,
 * then each stream's tags) of the caller's account and region. As in AWS, only tagged streams are returned,
 * at most 100 per page; `PaginationToken` continues a listing taken on the first page. Other resource types
 * have none here; other operations are unknown.
 */
export const localTagging = (endpoint: string): LocalService => {
  const listings = new Map<string, Mapping[]>();
  let listing = 0;
  const firstPage = async (req: LocalRequest): Promise<Mapping[]> => {
    const client = localKinesisClient(endpoint, req.account, req.region);
    try {
      const names = await streamNames(client);
      const mappings: (Mapping | undefined)[] = new Array(names.length);
      let next = 0;
      // A few reads at once: kinesis-local answers in milliseconds; AWS builds this index itself.
      const reader = async (): Promise<void> => {
        while (next < names.length) {
          const index = next++;
          const name = names[index] as string;
          const { Tags = [] } = await client.send(new ListTagsForStreamCommand({ StreamName: name }));
          if (Tags.length === 0) continue;
          mappings[index] = {
            ResourceARN: `arn:${regionPartition(req.region)}:kinesis:${req.region}:${req.account}:stream/${name}`,
            Tags: Tags.map(({ Key, Value }) => ({ Key: Key ?? '', Value: Value ?? '' })),
          };
        }
      };
      await Promise.all(Array.from({ length: 8 }, reader));
      return mappings.filter((mapping): mapping is Mapping => mapping !== undefined);
    } finally {
      client.destroy();
    }
  };
  return async (req): Promise<LocalResponse> => {
    if (req.operation !== 'GetResources') {
      return awsJsonError('UnknownOperationException', `${req.operation} is not served by the local Tagging API`);
    }
    const body = (req.json ?? {}) as {
      ResourceTypeFilters?: string[];
      ResourcesPerPage?: number;
      PaginationToken?: string;
    };
    const perPage = Math.min(MAX_PER_PAGE, body.ResourcesPerPage ?? MAX_PER_PAGE);
    const [listingId, offsetText] = (body.PaginationToken ?? '').split(':');
    let mappings = listingId === undefined || listingId === '' ? undefined : listings.get(listingId);
    if (body.PaginationToken && mappings === undefined) {
      return awsJsonError('PaginationTokenExpiredException', 'The pagination token is unknown or expired');
    }
    const id = listingId || String(++listing);
    if (mappings === undefined) {
      const kinesis = (body.ResourceTypeFilters ?? ['kinesis:stream']).some((type) => /^kinesis(:stream)?$/.test(type));
      mappings = kinesis ? await firstPage(req) : [];
      listings.set(id, mappings);
    }
    const offset = Number(offsetText ?? 0);
    const page = mappings.slice(offset, offset + perPage);
    const more = offset + perPage < mappings.length;
    if (!more) listings.delete(id);
    return {
      status: 200,
      headers: {},
      body: { ResourceTagMappingList: page, PaginationToken: more ? `${id}:${offset + perPage}` : '' },
    };
  };
};
