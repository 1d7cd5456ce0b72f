import { type EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import type { CompletionDetail } from '../completion/completionDetail';
import type { CompletionPublisher } from '../completion/completionReporter';
import { RetryableError } from '../domain/errors';
import { DetailType, EVENT_SOURCE } from '../domain/outcome';
import { serviceFailure } from './serviceFailure';

/** {@link CompletionPublisher} on EventBridge PutEvents; a failed entry is an error, never ignored. */
export class EventBridgeCompletionPort implements CompletionPublisher {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;

  public constructor(client: EventBridgeClient, eventBusName: string) {
    this.#client = client;
    this.#eventBusName = eventBusName;
  }

  public async publish(detail: CompletionDetail): Promise<void> {
    const entry = {
      Source: EVENT_SOURCE,
      DetailType: DetailType[detail.outcome],
      Detail: JSON.stringify(detail),
      EventBusName: this.#eventBusName,
      Resources: detail.streamArn === null ? [] : [detail.streamArn],
    };
    let result: PutEventsCommandOutput;
    try {
      result = await this.#client.send(new PutEventsCommand({ Entries: [entry] }));
    } catch (error) {
      throw serviceFailure(error, 'events:PutEvents', this.#eventBusName);
    }
    if ((result.FailedEntryCount ?? 0) > 0) {
      const failed = result.Entries?.[0];
      throw new RetryableError(`PutEvents rejected the completion event: ${failed?.ErrorCode} ${failed?.ErrorMessage}`);
    }
  }
}
