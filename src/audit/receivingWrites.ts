import type { StreamWritesPort } from '../domain/ports';

/** One listed account-region: its streams and where their writes are read. */
interface WritesTarget {
  target: { account: string; region: string };
  streams: readonly { name: string; arn: string }[];
  writes: StreamWritesPort;
}

/**
 * Whether each stream received records in the 24 h before `end`, by ARN. An account-region whose metrics cannot be
 * read (cloudwatch:GetMetricData refused, unavailable) leaves its streams out (the report's receivingWrites: null)
 * and the run goes on; one note names every such account-region.
 */
export const receivingWritesByArn = async (
  targets: readonly WritesTarget[],
  end: Date,
  note: (text: string) => void
): Promise<Map<string, boolean>> => {
  const byArn = new Map<string, boolean>();
  const refused: string[] = [];
  await Promise.all(
    targets.map(async ({ target, streams, writes }) => {
      if (streams.length === 0) return;
      try {
        const byName = await writes.receivingWrites(
          streams.map((stream) => stream.name),
          end
        );
        for (const stream of streams) {
          const writing = byName.get(stream.name);
          if (writing !== undefined) byArn.set(stream.arn, writing);
        }
      } catch (error) {
        const { name, message } = error as Error;
        refused.push(`${target.account}/${target.region} (${name}: ${message.slice(0, 160)})`);
      }
    })
  );
  if (refused.length > 0) {
    note(
      `receivingWrites left empty: CloudWatch GetMetricData (IncomingRecords) could not be read in ${refused.sort().join(', ')}`
    );
  }
  return byArn;
};
