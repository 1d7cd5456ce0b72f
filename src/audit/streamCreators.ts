import type { StreamCreatorsPort } from '../domain/ports';

/** One listed account-region and where its CreateStream callers are read. */
interface CreatorsTarget {
  target: { account: string; region: string };
  creators: StreamCreatorsPort;
}

/**
 * The CreateStream caller of each NonCompliant stream (`wanted`: its ARN, account, region and name), by ARN. An
 * account-region whose CloudTrail cannot be read leaves its streams out (createdBy: null); one note names them all.
 */
export const createdByArn = async (
  targets: readonly CreatorsTarget[],
  wanted: readonly { streamArn: string; account: string; region: string; streamName: string }[],
  note: (text: string) => void
): Promise<Map<string, string>> => {
  const byArn = new Map<string, string>();
  const refused: string[] = [];
  await Promise.all(
    targets.map(async ({ target, creators }) => {
      const streams = wanted.filter((row) => row.account === target.account && row.region === target.region);
      if (streams.length === 0) return;
      try {
        const byName = await creators.createdBy(streams.map((row) => row.streamName));
        for (const row of streams) {
          const caller = byName.get(row.streamName);
          if (caller !== undefined) byArn.set(row.streamArn, caller);
        }
      } catch (error) {
        const { name, message } = error as Error;
        refused.push(`${target.account}/${target.region} (${name}: ${message.slice(0, 160)})`);
      }
    })
  );
  if (refused.length > 0) {
    note(`createdBy left empty: CloudTrail LookupEvents could not be read in ${refused.sort().join(', ')}`);
  }
  return byArn;
};
