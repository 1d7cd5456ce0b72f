import { Trigger } from './streamRequest';

/** Kinesis accepts a new KMS key on a stream this many times per rolling 24 h (StartStreamEncryption, "API Limits"). */
export const KEY_APPLICATIONS_PER_DAY = 25;

const DAY_MS = 24 * 60 * 60 * 1000;

/** One key application on a stream: this pipeline's, or another caller's seen in CloudTrail. */
export interface KeyApplication {
  /** ISO-8601 time of the application. */
  at: string;
  keyId: string;
  /** CloudTrail eventID of the trigger (ours) or of the StartStreamEncryption call (others'). */
  eventId: string;
  /** `pipeline`, or the caller's ARN. */
  by: string;
  /** Ours only: what made the pipeline apply (a `StopStreamEncryption` trigger makes it a drift repair). */
  trigger?: string;
  /** Drift repairs only: who decrypted the stream. */
  actor?: string;
}

/** Drift repairs (our applications after a StopStreamEncryption) within the rolling 24 h before `now`. */
export const driftRepairsOf = (applications: readonly KeyApplication[], now: Date): KeyApplication[] => {
  const since = now.getTime() - DAY_MS;
  const repairs = new Map<string, KeyApplication>();
  for (const application of applications) {
    if (
      application.by === 'pipeline' &&
      application.trigger === Trigger.StopStreamEncryption &&
      Date.parse(application.at) > since
    ) {
      repairs.set(application.eventId, application);
    }
  }
  return [...repairs.values()];
};

/** What is left of a stream's daily key budget. */
export interface KeyBudget {
  used: number;
  left: number;
  /** When the oldest counted application leaves the window (null when none is counted). */
  freesAt: string | null;
}

/** Applications within the rolling 24 h before `now`, counted once per eventId. */
export const keyBudgetOf = (applications: readonly KeyApplication[], now: Date): KeyBudget => {
  const since = now.getTime() - DAY_MS;
  const counted = new Map<string, KeyApplication>();
  for (const application of applications) {
    if (Date.parse(application.at) > since) counted.set(application.eventId, application);
  }
  const times = [...counted.values()].map(({ at }) => Date.parse(at)).sort((a, b) => a - b);
  const oldest = times[0];
  return {
    used: counted.size,
    left: Math.max(0, KEY_APPLICATIONS_PER_DAY - counted.size),
    freesAt: oldest === undefined ? null : new Date(oldest + DAY_MS).toISOString(),
  };
};
