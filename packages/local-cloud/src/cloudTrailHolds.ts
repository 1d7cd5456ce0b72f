import type { CloudTrailEnvelope } from './cloudTrailEvent';

/** Selects a CloudTrail event to hold back. */
export type CloudTrailMatch = (event: CloudTrailEnvelope) => boolean;

/** CloudTrail events withheld from the bus, to be published later (a late delivery). */
export class CloudTrailHolds {
  readonly #holds: { match: CloudTrailMatch; resolve: (event: CloudTrailEnvelope) => void }[] = [];

  /** Resolves with the next event `match` accepts; that event is not delivered. */
  hold(match: CloudTrailMatch): Promise<CloudTrailEnvelope> {
    return new Promise((resolve) => this.#holds.push({ match, resolve }));
  }

  /** Hands `event` to the first hold that matches it; `false` when none does (deliver it). */
  take(event: CloudTrailEnvelope): boolean {
    const hold = this.#holds.find(({ match }) => match(event));
    if (hold === undefined) return false;
    this.#holds.splice(this.#holds.indexOf(hold), 1);
    hold.resolve(event);
    return true;
  }
}
