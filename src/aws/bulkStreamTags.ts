import {
  GetResourcesCommand,
  type GetResourcesCommandOutput,
  type ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { serviceFailure } from './serviceFailure';

/** GetResources returns at most 100 resources per page (ResourcesPerPage, Resource Groups Tagging API reference). */
const RESOURCES_PER_PAGE = 100;
const MAX_PAGES = 10_000;

/**
 * Tags of every Kinesis stream of the client's account and region in one paginated read: tag:GetResources with
 * `ResourceTypeFilters: ['kinesis:stream']`, 100 streams a page, instead of one ListTagsForStream (5/s per
 * account) per stream. GetResources returns only tagged or previously tagged resources: a stream it does not
 * list has no tags. Keyed by stream ARN.
 * @throws {AutoEncryptError} translated (denied, throttled, unknown operation on a Kinesis-only endpoint)
 */
export const bulkStreamTags = async (
  client: ResourceGroupsTaggingAPIClient
): Promise<Map<string, Record<string, string>>> => {
  const tags = new Map<string, Record<string, string>>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let output: GetResourcesCommandOutput;
    try {
      output = await client.send(
        new GetResourcesCommand({
          ResourceTypeFilters: ['kinesis:stream'],
          ResourcesPerPage: RESOURCES_PER_PAGE,
          ...(token !== undefined && { PaginationToken: token }),
        })
      );
    } catch (error) {
      throw serviceFailure(error, 'tag:GetResources', 'kinesis:stream');
    }
    for (const { ResourceARN, Tags } of output.ResourceTagMappingList ?? []) {
      if (ResourceARN === undefined) continue;
      tags.set(ResourceARN, Object.fromEntries((Tags ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? ''])));
    }
    token = output.PaginationToken === '' ? undefined : output.PaginationToken;
    if (token === undefined) return tags;
  }
  return tags;
};
