import { partition } from '@aws-sdk/util-endpoints';

/** The partition of a region, from the AWS SDK's own partition data. */
export interface RegionPartition {
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`, … */
  name: string;
  /** Endpoint DNS suffix of the partition, e.g. `amazonaws.com.cn`. */
  dnsSuffix: string;
}

/** Issue message for a region {@link partitionOf} does not know. */
export const UNKNOWN_REGION =
  'expected an AWS region known to the AWS SDK partition data (@aws-sdk/util-endpoints; update it for a new region)';

/** A region code; excludes the SDK's pseudo-regions such as `aws-global`. */
const REGION_CODE = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;

/**
 * Partition of a region as `@aws-sdk/util-endpoints` resolves it: a region the SDK lists, or one
 * matching a non-default partition's `regionRegex` (e.g. a new `cn-*` region).
 * The SDK maps every other string to `aws`; such a string is only accepted when the SDK lists it,
 * so garbage and regions newer than the installed SDK return `undefined`.
 */
export const partitionOf = (region: string): RegionPartition | undefined => {
  if (!REGION_CODE.test(region)) return undefined;
  const resolved = partition(region);
  const listed = 'description' in resolved;
  if (!listed && resolved.name === 'aws') return undefined;
  return { name: resolved.name, dnsSuffix: resolved.dnsSuffix };
};
