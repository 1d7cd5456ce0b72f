import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { StreamCreatorsPort } from '../domain/ports';

/** Pages of 50 CreateStream events read at most (CloudTrail LookupEvents: 2 calls/s per account and region). */
const MAX_PAGES = 20;

const creatorOf = (cloudTrailEvent: string | undefined): { streamName?: string; caller?: string } => {
  try {
    const event = JSON.parse(cloudTrailEvent ?? '{}') as {
      requestParameters?: { streamName?: string };
      userIdentity?: { arn?: string };
    };
    return { streamName: event.requestParameters?.streamName, caller: event.userIdentity?.arn };
  } catch {
    return {};
  }
};

/**
 * {@link StreamCreatorsPort} on CloudTrail LookupEvents (EventName CreateStream, newest first, its 90 days), at most
 * {@link MAX_PAGES} pages, stopping once every name is found.
 */
export class CloudTrailStreamCreators implements StreamCreatorsPort {
  public constructor(private readonly client: CloudTrailClient) {}

  public async createdBy(streamNames: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(streamNames);
    const found = new Map<string, string>();
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES && found.size < wanted.size; page++) {
      const answer = await this.client.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateStream' }],
          MaxResults: 50,
          ...(nextToken !== undefined && { NextToken: nextToken }),
        })
      );
      for (const event of answer.Events ?? []) {
        const { streamName, caller } = creatorOf(event.CloudTrailEvent);
        if (streamName !== undefined && caller !== undefined && wanted.has(streamName) && !found.has(streamName)) {
          found.set(streamName, caller);
        }
      }
      nextToken = answer.NextToken;
      if (nextToken === undefined) break;
    }
    return found;
  }
}
