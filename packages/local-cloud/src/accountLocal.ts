import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { awsJsonError, type LocalRequest, type LocalResponse, type LocalService } from './gateway';
import { regionPartition } from './regionPartition';

/** A partition of the SDK's partition data (partitions.json, as bundled in @aws-sdk/core). */
interface PartitionData {
  id: string;
  regions: Record<string, unknown>;
}

/** The JSON object literal that starts at `start` (a `{`), by bracket matching outside strings. */
const objectAt = (text: string, start: number): string => {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return text.slice(start, index + 1);
  }
  throw new Error('unterminated partition data');
};

const CORE_CLIENT = ['@aws-sdk', 'core', 'client'].join('/');

let partitions: PartitionData[] | undefined;

/**
 * The regions of every partition, from the partition data the AWS SDK resolves endpoints with
 * (`@aws-sdk/util-endpoints` `partition()` reads it from `@aws-sdk/core/client`, which does not export the list).
 */
export const sdkPartitions = (): PartitionData[] => {
  if (partitions !== undefined) return partitions;
  // The module util-endpoints itself loads its partition data from.
  const fromUtilEndpoints = createRequire(require.resolve('@aws-sdk/util-endpoints'));
  const text = readFileSync(fromUtilEndpoints.resolve(CORE_CLIENT), 'utf8');
  const key = text.indexOf('"partitions"');
  if (key === -1) throw new Error('no partition data in @aws-sdk/core/client');
  const parsed = JSON.parse(objectAt(text, text.lastIndexOf('{', key))) as { partitions: PartitionData[] };
  partitions = parsed.partitions;
  return partitions;
};

/** The region codes of a partition (its pseudo-regions such as `aws-global` left out). */
export const partitionRegions = (name: string): string[] =>
  Object.keys(sdkPartitions().find(({ id }) => id === name)?.regions ?? {})
    .filter((region) => /^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(region))
    .sort();

/**
 * A minimal AWS Account Management API: `ListRegions` (REST-JSON `POST /listRegions`) answers every region of the
 * caller's partition as `ENABLED_BY_DEFAULT` (the local cloud has no opt-in state), filtered by
 * `RegionOptStatusContains`, paged by `MaxResults` (1-50) / `NextToken`
 * (https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html).
 */
export const localAccount =
  (): LocalService =>
  async (req: LocalRequest): Promise<LocalResponse> => {
    if (req.operation !== 'ListRegions') {
      return awsJsonError('UnknownOperationException', `The local Account API has no ${req.operation}`);
    }
    const input = (req.json ?? {}) as { RegionOptStatusContains?: string[]; MaxResults?: number; NextToken?: string };
    const wanted = input.RegionOptStatusContains;
    const all =
      wanted === undefined || wanted.length === 0 || wanted.includes('ENABLED_BY_DEFAULT')
        ? partitionRegions(regionPartition(req.region))
        : [];
    const size = Math.min(Math.max(input.MaxResults ?? 20, 1), 50);
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(start) || start < 0 || start > all.length) {
      return awsJsonError('ValidationException', 'The NextToken is not valid');
    }
    const page = all.slice(start, start + size);
    return {
      status: 200,
      body: {
        Regions: page.map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED_BY_DEFAULT' })),
        ...(start + size < all.length && { NextToken: String(start + size) }),
      },
    };
  };
