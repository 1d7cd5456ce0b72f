import type { ConfirmationInput } from './confirmationInput';
import type { Deployment } from './deployment';
import type { KeyApplication } from './keyBudget';
import type { KeyCheck, KeyPort } from './keyCheck';
import type { ReconcileReport } from './reconcileReport';
import type { StreamRequest } from './streamRequest';
import type { StreamState } from './streamState';

/** Re-exported for the modules that read it next to {@link StreamPort} (src/report). */
export type { StreamState };

/** Kinesis, as the domain needs it. Failures are thrown as domain errors (`failures.ts`), never SDK exceptions. */
export interface StreamPort {
  /** Current state, or undefined when the stream does not exist. */
  describe(streamArn: string): Promise<StreamState | undefined>;
  /**
   * Polls until the stream leaves CREATING/UPDATING; the first poll comes one interval after the call
   * (the caller has just read the stream).
   * @returns the settled state, `undefined` when it no longer exists, or `'Timeout'`
   */
  waitUntilSettled(streamArn: string, maxWaitSeconds: number): Promise<StreamState | undefined | 'Timeout'>;
  /** Every tag of the stream (ListTagsForStream, all pages). */
  tags(streamArn: string): Promise<Record<string, string>>;
  /** StartStreamEncryption with StreamARN, EncryptionType KMS and KeyId. */
  startEncryption(streamArn: string, keyId: string): Promise<void>;
  /** AddTagsToStream: sets these tags (overwriting the values of keys already present). */
  tag(streamArn: string, tags: Record<string, string>): Promise<void>;
  /** RemoveTagsFromStream: removes these tag keys. */
  untag(streamArn: string, keys: readonly string[]): Promise<void>;
}

/** Whether streams received records lately (CloudWatch AWS/Kinesis IncomingRecords). */
export interface StreamWritesPort {
  /**
   * IncomingRecords summed over the 24 h before `end`, > 0, per stream name of one account-region (a stream without
   * data points: false).
   * @throws when the metrics cannot be read (refused, unavailable): the caller leaves the field empty
   */
  receivingWrites(streamNames: readonly string[], end: Date): Promise<Map<string, boolean>>;
}

/** Who created streams (CloudTrail CreateStream events, its last 90 days). */
export interface StreamCreatorsPort {
  /**
   * The caller (`userIdentity.arn`) of the latest CreateStream of each of these stream names in one account-region;
   * a name without an event is left out.
   * @throws when CloudTrail cannot be read (refused, unavailable): the caller leaves the field empty
   */
  createdBy(streamNames: readonly string[]): Promise<Map<string, string>>;
}

/** Starts the confirm state machine; idempotent by execution name. */
export interface ConfirmationPort {
  /** @returns `false` when an execution of that name already existed */
  start(executionName: string, input: ConfirmationInput): Promise<boolean>;
}

/** Reports the end of a reconcile (a completion event, in production). */
export interface ReportPort {
  /** @throws when the report could not be delivered: the trigger must come back */
  report(report: ReconcileReport): Promise<void>;
}

/** Durable marker that this pipeline asked for encryption of a stream for an event. */
export interface ApplyRecord {
  eventId: string;
  streamArn: string;
  keyId: string;
  appliedAt: string;
}

/** Remembers apply intents so a retry after a crash confirms instead of applying again. */
export interface ApplyLedger {
  get(eventId: string): Promise<ApplyRecord | undefined>;
  put(record: ApplyRecord): Promise<void>;
}

/** Every key application on a stream in the last 24 h (the 25-per-day budget). */
export interface KeyApplicationLedger {
  /** Applications recorded for the stream (older ones may be included; callers count the window). */
  list(streamArn: string): Promise<KeyApplication[]>;
  /** Records one (idempotent per eventId). */
  record(streamArn: string, application: KeyApplication): Promise<void>;
}

/** Source of the default KeyId (environment, optionally overridden by an SSM parameter). */
export interface KeyIdSource {
  /**
   * @param where the stream's partition, account and region (an organisation may map accounts to their own keys)
   * @returns the KeyId to apply and where it came from
   */
  resolve(where?: Deployment): Promise<{ keyId: string; source: string }>;
}

/** The ports bound to one stream's account and region (an organisation: that account's credentials). */
export interface StreamPorts {
  streams: StreamPort;
  keys: KeyPort;
  keyCheck: KeyCheck;
}

/** Gives the ports of the account and region a request's stream lives in. */
export interface StreamPortsProvider {
  portsFor(request: StreamRequest): StreamPorts;
}
