import { partition } from '@aws-sdk/util-endpoints';

/** The partition of a region (`aws`, `aws-cn`, `aws-us-gov`, …) from the AWS SDK's partition data. */
export const regionPartition = (region: string): string => partition(region).name;
