import { partitionOf } from '../../../src/events/partitionOf';

// Expected values: the AWS SDK's partitions.json (aws/aws-sdk-js-v3 packages/util-endpoints, now served from
// @aws-sdk/core/client). "Every Region is in exactly one partition": AWS Fault Isolation Boundaries, Partitions,
// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['ap-southeast-5', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
    ['eu-isoe-west-1', 'aws-iso-e', 'cloud.adc-e.uk'],
    ['us-isof-south-1', 'aws-iso-f', 'csp.hci.ic.gov'],
    ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu'],
  ])('maps %s to %s', (region, name, dnsSuffix) => {
    // Act
    const resolved = partitionOf(region);

    // Assess
    expect(resolved).toEqual({ name, dnsSuffix });
  });

  it.each([
    ['cn-south-9', 'aws-cn'],
    ['us-gov-central-7', 'aws-us-gov'],
    ['us-isof-north-2', 'aws-iso-f'],
  ])("accepts the unlisted %s through the partition's regionRegex", (region, name) => {
    // Act & Assess
    expect(partitionOf(region)?.name).toBe(name);
  });

  it.each([
    ['garbage', 'garbage'],
    ['moon region', 'moon-north-1'],
    ['unknown prefix', 'xx-east-1'],
    ['upper case', 'US-EAST-1'],
    ['pseudo-region', 'aws-global'],
    ['partition pseudo-region', 'aws-cn-global'],
    ['availability zone', 'us-east-1a'],
    ['empty', ''],
    ['eusc outside de', 'eusc-fr-east-1'],
  ])('returns undefined for a %s (%j)', (_label, region) => {
    // Act & Assess
    expect(partitionOf(region)).toBeUndefined();
  });
});
