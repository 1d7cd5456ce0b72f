import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { CompletionDetail } from '../completion/completionDetail';
import { RetryableError } from '../domain/errors';
import { DetailType, EVENT_SOURCE } from '../domain/outcome';
import type { CompletionPort } from '../domain/ports';

/** {@link CompletionPort} on EventBridge PutEvents; a failed entry is an error, never ignored. */
export class EventBridgeCompletionPort implements CompletionPort {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;

  public constructor(client: EventBridgeClient, eventBusName: string) {
    this.#client = client;
    this.#eventBusName = eventBusName;
  }

  public async publish(detail: CompletionDetail): Promise<void> {
    const result = await this.#client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: EVENT_SOURCE,
            DetailType: DetailType[detail.outcome],
            Detail: JSON.stringify(detail),
            EventBusName: this.#eventBusName,
            Resources: detail.streamArn === null ? [] : [detail.streamArn],
          },
        ],
      })
    );
    if ((result.FailedEntryCount ?? 0) > 0) {
      const entry = result.Entries?.[0];
      throw new RetryableError(`PutEvents rejected the completion event: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
    }
  }
}
