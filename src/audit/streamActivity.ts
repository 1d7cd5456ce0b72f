import { CloudTrailStreamCreators } from '../aws/cloudTrailStreamCreators';
import { CloudWatchStreamWrites } from '../aws/cloudWatchStreamWrites';
import type { SweepClients } from '../aws/sweepClients';
import { Compliance } from '../domain/compliance';
import type { ReportStream } from '../report/report';
import { severityOf } from '../report/severity';
import { receivingWritesByArn } from './receivingWrites';
import { createdByArn } from './streamCreators';

/** One account-region of a run and the clients its activity is read with. */
export interface ActivityTarget {
  target: { account: string; region: string };
  clients: Pick<SweepClients, 'cloudwatch' | 'cloudtrail'>;
}

/**
 * The rows of a run with what only CloudWatch and CloudTrail know, read once per account-region after the checks:
 * the one definition the CLI's report and the deployed sweep's share.
 * - `receivingWrites`: AWS/Kinesis IncomingRecords summed over the 24 h before `end` (the run's start) > 0
 *   (cloudwatch:GetMetricData, 500 streams a call), and the `severity` it decides;
 * - `createdBy`: the CreateStream caller from CloudTrail LookupEvents, NonCompliant rows only (cloudtrail:LookupEvents,
 *   within the account's 2 calls/s budget, sweepTargets.ts).
 * A read that is refused or fails leaves its field null and adds one note naming the account-regions; the run goes on.
 */
export const withStreamActivity = async (
  targets: readonly ActivityTarget[],
  rows: readonly ReportStream[],
  end: Date,
  note: (text: string) => void
): Promise<ReportStream[]> => {
  const readers = targets.map(({ target, clients }) => ({
    target,
    streams: rows
      .filter((row) => row.account === target.account && row.region === target.region)
      .map((row) => ({ name: row.streamName, arn: row.streamArn })),
    writes: new CloudWatchStreamWrites(clients.cloudwatch),
    creators: new CloudTrailStreamCreators(clients.cloudtrail),
  }));
  const writing = await receivingWritesByArn(readers, end, note);
  const creators = await createdByArn(
    readers,
    rows.filter((row) => row.compliance === Compliance.NonCompliant),
    note
  );
  return rows.map((row) => {
    const receivingWrites = writing.get(row.streamArn) ?? null;
    return {
      ...row,
      receivingWrites,
      severity: severityOf(row.compliance, receivingWrites),
      createdBy: creators.get(row.streamArn) ?? null,
    };
  });
};
