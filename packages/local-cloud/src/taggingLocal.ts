import { awsJsonError, type LocalResponse, type LocalService } from './gateway';
import type { KinesisTagIndex, StreamTagMapping } from './kinesisTagIndex';

/** Gateway prefix of the Resource Groups Tagging API (JSON 1.1, `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.*`). */
export const TAGGING_TARGET_PREFIX = 'ResourceGroupsTaggingAPI_20170126';

/** "ResourcesPerPage … the maximum is 100" (Resource Groups Tagging API reference, GetResources). */
const MAX_PER_PAGE = 100;

/**
 * A local `tag:GetResources` for `ResourceTypeFilters: ['kinesis:stream']`: the tagged streams of the caller's
 * account and region from `index` (the tags the gateway saw Kinesis take; like AWS's own index, no Kinesis call is
 * made). As in AWS, only tagged streams are returned, at most 100 per page; `PaginationToken` continues a listing
 * taken on the first page. Other resource types have none here; other operations are unknown.
 */
export const localTagging = (index: KinesisTagIndex): LocalService => {
  const listings = new Map<string, StreamTagMapping[]>();
  let listing = 0;
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
      mappings = kinesis ? index.tagged(req.account, req.region) : [];
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
