import type { ReportPort } from '../domain/ports';
import type { ReconcileReport } from '../domain/reconcileReport';
import type { CompletionDetail } from './completionDetail';
import { completionFor } from './completionFor';

/** Where completion details go (EventBridge PutEvents in production). */
export interface CompletionPublisher {
  /** @throws when the event was not accepted */
  publish(detail: CompletionDetail): Promise<void>;
}

/** {@link ReportPort} that turns each report into its completion detail and publishes it. */
export class CompletionReporter implements ReportPort {
  readonly #publisher: CompletionPublisher;

  public constructor(publisher: CompletionPublisher) {
    this.#publisher = publisher;
  }

  public async report(report: ReconcileReport): Promise<void> {
    await this.#publisher.publish(completionFor(report));
  }
}
