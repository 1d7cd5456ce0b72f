/**
 * AWS partition of a region: `aws-cn` for cn-*, `aws-us-gov` for us-gov-*, `aws-iso` / `aws-iso-b`
 * for the isolated regions, `aws-eusc` for the European Sovereign Cloud, else `aws`.
 */
export const partitionForRegion = (region: string): string => {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
};
