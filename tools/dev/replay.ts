import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BusEvent, FailureRecord } from '@kinesis-auto-encrypt/local-cloud';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  type CloudTrailEnvelope,
  localKinesisClient,
  matchesPattern,
} from '@kinesis-auto-encrypt/local-cloud';
import { isRecord } from '../../src/domain/isRecord';
import type { LocalCloud } from './localCloud';
import { isCompletionEvent, startLocalCloud } from './localCloud';
import type { LocalCloudOptions } from './localCloudOptions';
import { replayCallOf } from './replayCall';
import { ruleFromServerless } from './ruleFromServerless';
import type { CompletionEvent } from './streamWatcher';

/** Exit codes of `npm start -- --event <file>`. */
const ReplayExit = {
  /** Encrypted, AlreadyCompliant or Exempt. */
  Ok: 0,
  /** Any other outcome (Failed, Skipped, NonCompliant, Rejected). */
  NotEncrypted: 1,
  /** Not JSON, or not a CloudTrail record / EventBridge CloudTrail event. */
  InvalidEvent: 2,
  /** A valid event the deployed rule would not deliver. */
  NoMatch: 3,
  /** The local cloud failed or no completion event arrived in time. */
  Error: 4,
} as const;

/** Why a saved event cannot be replayed. */
class ReplayError extends Error {
  constructor(
    message: string,
    readonly exitCode: number
  ) {
    super(message);
    this.name = 'ReplayError';
  }
}

type Json = Record<string, unknown>;

const isCloudTrailRecord = (value: Json): boolean =>
  typeof value.eventSource === 'string' && typeof value.eventName === 'string' && typeof value.eventTime === 'string';

/** Wraps a bare CloudTrail record the way EventBridge delivers it. */
const wrapCloudTrailRecord = (record: Json): BusEvent => {
  const identity = isRecord(record.userIdentity) ? record.userIdentity : {};
  const account = String(record.recipientAccountId ?? identity.accountId ?? '000000000000');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': CLOUDTRAIL_DETAIL_TYPE,
    source: `aws.${String(record.eventSource).replace(/\.amazonaws\.com$/, '')}`,
    account,
    time: String(record.eventTime),
    region: String(record.awsRegion ?? 'us-east-1'),
    resources: [],
    detail: record,
  };
};

/**
 * Reads a saved event: an EventBridge event of a CloudTrail record, a bare CloudTrail record,
 * or a CloudTrail log file with exactly one record.
 * @throws {ReplayError} when it is not JSON or not a CloudTrail record
 */
const parseSavedEvent = (text: string): BusEvent => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReplayError(`The file is not JSON: ${(error as Error).message}`, ReplayExit.InvalidEvent);
  }
  if (isRecord(value) && Array.isArray(value.Records) && value.Records.length === 1) value = value.Records[0];
  if (!isRecord(value)) throw new ReplayError('The file is not a JSON object', ReplayExit.InvalidEvent);
  if (isRecord(value.detail) && typeof value['detail-type'] === 'string') {
    if (!isCloudTrailRecord(value.detail)) {
      throw new ReplayError(
        'The event detail is not a CloudTrail record (no eventSource/eventName/eventTime)',
        ReplayExit.InvalidEvent
      );
    }
    return value as unknown as BusEvent;
  }
  if (isCloudTrailRecord(value)) return wrapCloudTrailRecord(value);
  throw new ReplayError(
    'The file is neither an EventBridge event ("detail-type", "detail") nor a CloudTrail record (eventSource, eventName, eventTime)',
    ReplayExit.InvalidEvent
  );
};

/** Explains why the rule does not match, or `undefined` when it does. */
const whyNoMatch = (pattern: Json, event: BusEvent): string | undefined => {
  if (matchesPattern(pattern, event)) return undefined;
  const detail = event.detail as { eventName?: unknown; errorCode?: unknown; eventSource?: unknown };
  if (detail.errorCode !== undefined) {
    return `The event records a failed call (errorCode ${String(detail.errorCode)}): the rule only matches successful calls`;
  }
  return `The event (${String(detail.eventName)}) does not match the rule pattern ${JSON.stringify(pattern)} (source ${event.source}, detail-type ${event['detail-type']})`;
};

/** Options of {@link replayEvent}. */
export interface ReplayOptions extends LocalCloudOptions {
  /** Give up waiting for the completion event after this long (default 180 s). */
  timeoutMs?: number;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

/**
 * Replays a saved event: performs the call it records on the local Kinesis (same account, region
 * and stream; a stream it is about is created first, see {@link replayCallOf}), withholds the newly
 * recorded event, delivers the given one through the rule and resolves with its completion event.
 */
const replayEvent = async (event: BusEvent, options: ReplayOptions = {}): Promise<CompletionEvent> => {
  const rule = ruleFromServerless(options.serverlessPath);
  const reason = whyNoMatch(rule.pattern, event);
  if (reason !== undefined) throw new ReplayError(reason, ReplayExit.NoMatch);
  const call = replayCallOf(event);
  if (call === undefined) {
    throw new ReplayError('requestParameters names no stream (streamName or streamARN)', ReplayExit.InvalidEvent);
  }
  const { account, region } = event;
  if (!/^\d{12}$/.test(account))
    throw new ReplayError(`account "${account}" is not a 12-digit account id`, ReplayExit.InvalidEvent);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const eventId = typeof event.detail.eventID === 'string' ? event.detail.eventID : null;

  log(`Starting the local cloud for account ${account} in ${region}…`);
  const cloud: LocalCloud = await startLocalCloud({ ...options, accounts: [account], regions: [region] });
  try {
    log(`Handler logs: ${cloud.logFile}`);
    const completion = new Promise<CompletionEvent>((resolve, reject) => {
      cloud.lambda.on('failure', (record: FailureRecord) => {
        const payload = record.requestPayload as { detail?: { eventID?: unknown } };
        if (eventId === null || payload.detail?.eventID === eventId) {
          const { errorType, errorMessage } = record.responsePayload;
          reject(
            new ReplayError(
              `The handler failed after ${record.requestContext.approximateInvokeCount} attempts (${errorType}: ${errorMessage}); see ${cloud.failureFile} and ${cloud.logFile}`,
              ReplayExit.Error
            )
          );
        }
      });
      cloud.bus.on('event', (candidate: BusEvent) => {
        if (!isCompletionEvent(candidate)) return;
        const detail = (candidate as CompletionEvent).detail;
        const same =
          eventId !== null
            ? detail.eventId === eventId
            : detail.account === account && detail.region === region && detail.streamName === call.streamName;
        if (same) resolve(candidate as CompletionEvent);
      });
    });
    const client = localKinesisClient(cloud.endpoint, account, region);
    let recorded: Promise<CloudTrailEnvelope>;
    try {
      await call.setup(client, cloud);
      // The recorded call is recorded again: deliver the saved event instead of the new one.
      recorded = cloud.holdCloudTrail(
        (envelope: CloudTrailEnvelope) =>
          envelope.account === account && envelope.region === region && envelope.detail.eventName === call.eventName
      );
      await call.perform(client);
    } catch (error) {
      throw new ReplayError(
        `${call.eventName} on ${call.streamName} failed locally: ${(error as Error).message}`,
        ReplayExit.Error
      );
    } finally {
      client.destroy();
    }
    const performed = await recorded;
    log(
      `${call.eventName} ${call.streamName} (${account}/${region}) performed; delivering the saved event ${eventId ?? '(no eventID)'}…`
    );
    // The call is performed again now: the saved event carries its time, or it would be about an earlier
    // stream of that name (and be Skipped as superseded).
    const eventTime = performed.detail.eventTime;
    cloud.bus.publish({ ...event, time: eventTime, detail: { ...event.detail, eventTime } });
    const timeoutMs = options.timeoutMs ?? 180_000;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(new ReplayError(`No completion event after ${timeoutMs} ms; see ${cloud.logFile}`, ReplayExit.Error)),
        timeoutMs
      ).unref()
    );
    const result = await Promise.race([completion, timeout]);
    await cloud.idle();
    return result;
  } finally {
    await cloud.stop();
  }
};

/** Replays the event in `file`; prints the completion event on stdout and returns the exit code. */
export const replayFile = async (file: string, options: ReplayOptions = {}): Promise<number> => {
  try {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ReplayError(`Cannot read ${file}: ${(error as Error).message}`, ReplayExit.InvalidEvent);
    }
    const completion = await replayEvent(parseSavedEvent(text), options);
    process.stdout.write(`${JSON.stringify(completion, null, 2)}\n`);
    const { outcome, reason } = completion.detail;
    if (outcome === 'Encrypted' || outcome === 'AlreadyCompliant' || outcome === 'Exempt') return ReplayExit.Ok;
    process.stderr.write(`Outcome ${outcome}: ${reason}\n`);
    return ReplayExit.NotEncrypted;
  } catch (error) {
    if (error instanceof ReplayError) {
      process.stderr.write(`Cannot replay ${file}: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`Replay failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ReplayExit.Error;
  }
};
