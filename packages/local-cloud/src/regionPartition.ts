import { partition } from '@aws-sdk/util-endpoints';

/** The partition of a region (`aws`, `aws-cn`, `aws-us-gov`, …) from the AWS SDK's partition data. */
export const regionPartition = (region: string): string => partition(region).name;

/** The domain of a region's endpoints (`amazonaws.com`, `amazonaws.com.cn`, …), CloudFormation's `AWS::URLSuffix`. */
export const regionUrlSuffix = (region: string): string => partition(region).dnsSuffix;
