import { InvalidEventError } from '../domain/errors';
import type { StreamRequest } from '../domain/streamRequest';

/** Where an organisation hub acts: its own region and the member regions. */
export interface GovernedRegions {
  hubRegion: string;
  memberRegions: readonly string[];
}

/**
 * Organisation: a stream outside the hub region and MEMBER_REGIONS is not governed by this hub (no member
 * stack there forwards its events on purpose), so its event is rejected, not acted on.
 */
export const assertGovernedRegion = (request: StreamRequest, regions: GovernedRegions): void => {
  if (request.region === regions.hubRegion || regions.memberRegions.includes(request.region)) return;
  throw new InvalidEventError([
    {
      path: 'detail.awsRegion',
      message: `stream is in ${request.region}, which this hub does not govern (MEMBER_REGIONS ${regions.memberRegions.join(',')}, hub ${regions.hubRegion})`,
    },
  ]);
};
