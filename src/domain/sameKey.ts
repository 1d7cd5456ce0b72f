import type { KeyPort } from './ports';

/** Same key when the KeyIds are equal or both resolve to the same key ARN (KMS DescribeKey through the port). */
export const sameKey = async (keys: KeyPort, streamKeyId: string, expected: string): Promise<boolean> => {
  if (streamKeyId === expected) return true;
  try {
    const [a, b] = await Promise.all([keys.describeKey(streamKeyId), keys.describeKey(expected)]);
    return a.keyArn === b.keyArn;
  } catch {
    return false;
  }
};
