import type { SweepTarget } from '../audit/checkStream';
import type { ApiCallBudget } from '../aws/apiCallBudget';
import type { StreamWithArn } from '../aws/streamArnsOf';
import type { SweepClients } from '../aws/sweepClients';

/**
 * An account-region of a deployed sweep before it is taken: nothing (clients, credentials, sockets) is held for it
 * until {@link SweepAccountRegion.open}, so an organisation of 1,000 accounts × 17 regions holds only the
 * account-regions in flight.
 */
export interface SweepAccountRegion {
  account: string;
  region: string;
  /** Its clients and ports, created now; dropped once the account-region is done. */
  open(): OpenedAccountRegion;
}

/** An account-region in flight: its ports and how to list its streams. */
interface OpenedAccountRegion {
  target: SweepTarget;
  /** The account's API call budget (shared by its regions). */
  budget: ApiCallBudget;
  /** The clients its activity (receivingWrites, createdBy) is read with, at the end of the sweep. */
  clients: Pick<SweepClients, 'cloudwatch' | 'cloudtrail'>;
  /** Its streams (ListStreams pages) and their tags (tag:GetResources; absent: each stream's tags are read alone). */
  list(): Promise<{ streams: StreamWithArn[]; tags?: ReadonlyMap<string, Readonly<Record<string, string>>> }>;
}

/** `<account>/<region>`: how the sweep state names an account-region. */
export const accountRegionKey = ({ account, region }: { account: string; region: string }): string =>
  `${account}/${region}`;
