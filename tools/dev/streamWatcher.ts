import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { BusEvent } from '@kinesis-auto-encrypt/local-cloud';
import { streamNameOf } from '@kinesis-auto-encrypt/local-cloud';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type CompletionEvent, isStreamCompletion } from './completionEvents';
import type { LocalCloud } from './localCloud';
import { completionLine, dim, Stage, stageLine, streamLabel } from './progress';

export type { CompletionEvent } from './completionEvents';

interface Watched {
  label: string;
  stage: string;
  timer: NodeJS.Timeout;
  done: Promise<CompletionEvent>;
  resolve: (event: CompletionEvent) => void;
}

const POLL_MS = 500;

const keyOf = (account: string | null, region: string | null, name: string | null): string =>
  `${account ?? ''}/${region ?? ''}/${name ?? ''}`;

/**
 * Shows the life of streams for a person: one line per stage change (polled with
 * DescribeStreamSummary at most twice a second per stream, plus CloudTrail events from the bus)
 * and one line per trigger for its completion event.
 */
export class StreamWatcher {
  readonly #cloud: LocalCloud;
  readonly #print: (line: string) => void;
  readonly #start: number;
  readonly #watched = new Map<string, Watched>();
  /** Triggers (CloudTrail eventID) and detail-types already printed: one line each. */
  readonly #printed = new Set<string>();
  readonly #clients = new Map<string, KinesisClient>();
  #autoWatch = false;
  readonly #onEvent = (event: BusEvent): void => this.#handle(event);

  constructor(cloud: LocalCloud, print: (line: string) => void, start = Date.now()) {
    this.#cloud = cloud;
    this.#print = print;
    this.#start = start;
    cloud.bus.on('event', this.#onEvent);
  }

  /** Also watch every stream whose successful CreateStream reaches the bus. */
  autoWatch(enabled = true): void {
    this.#autoWatch = enabled;
  }

  /** Starts watching a stream (idempotent); resolves with its first completion event. */
  watch(account: string, region: string, name: string): Promise<CompletionEvent> {
    const key = keyOf(account, region, name);
    const existing = this.#watched.get(key);
    if (existing !== undefined) return existing.done;
    let resolve: (event: CompletionEvent) => void = () => undefined;
    const done = new Promise<CompletionEvent>((r) => {
      resolve = r;
    });
    const watched: Watched = {
      label: streamLabel(account, region, name),
      stage: '',
      timer: setInterval(() => void this.#poll(account, region, name, watched), POLL_MS),
      done,
      resolve,
    };
    this.#watched.set(key, watched);
    void this.#poll(account, region, name, watched);
    return done;
  }

  /** Prints a note about a stream. */
  note(account: string, region: string, name: string, text: string): void {
    this.#print(stageLine(this.#start, streamLabel(account, region, name), dim(text)));
  }

  stop(): void {
    this.#cloud.bus.off('event', this.#onEvent);
    for (const watched of this.#watched.values()) clearInterval(watched.timer);
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }

  #setStage(watched: Watched, stage: string): void {
    if (watched.stage === stage) return;
    watched.stage = stage;
    this.#print(stageLine(this.#start, watched.label, stage));
  }

  #handle(event: BusEvent): void {
    if (isStreamCompletion(event)) {
      const completion = event;
      const { account, region, streamName, eventId } = completion.detail;
      // One line per trigger: a completion published again for the same trigger (a redelivery) is not news.
      const printed = `${eventId ?? completion.id} ${completion['detail-type']}`;
      if (!this.#printed.has(printed)) {
        this.#printed.add(printed);
        this.#print(completionLine(this.#start, completion.detail));
      }
      const watched = this.#watched.get(keyOf(account, region, streamName));
      if (watched !== undefined && watched.stage !== Stage.Done) {
        clearInterval(watched.timer);
        this.#setStage(watched, Stage.Done);
        watched.resolve(completion);
      }
      return;
    }
    if (event.source !== 'aws.kinesis') return;
    const detail = event.detail as { eventName?: string; errorCode?: string; requestParameters?: { keyId?: string } };
    const name = streamNameOf(detail.requestParameters);
    if (name === undefined) return;
    if (detail.eventName === 'CreateStream' && detail.errorCode === undefined && this.#autoWatch) {
      void this.watch(event.account, event.region, name);
    }
    const watched = this.#watched.get(keyOf(event.account, event.region, name));
    if (watched === undefined || watched.stage === Stage.Done) return;
    if (detail.eventName === 'StartStreamEncryption' && detail.errorCode === undefined) {
      this.#setStage(
        watched,
        `${Stage.Applying} (StartStreamEncryption, KeyId ${detail.requestParameters?.keyId ?? '?'})`
      );
    }
  }

  async #poll(account: string, region: string, name: string, watched: Watched): Promise<void> {
    if (watched.stage === Stage.Done) return;
    const client = this.#client(account, region);
    try {
      const { StreamDescriptionSummary: summary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: name })
      );
      if (summary === undefined || watched.stage === Stage.Done) return;
      if (summary.StreamStatus === 'ACTIVE') {
        this.#setStage(
          watched,
          summary.EncryptionType === 'KMS' ? `${Stage.Encrypted} (KeyId ${summary.KeyId ?? '?'})` : Stage.Active
        );
      } else if (summary.StreamStatus === 'UPDATING') {
        this.#setStage(watched, Stage.Updating);
      } else if (summary.StreamStatus !== undefined) {
        this.#setStage(watched, summary.StreamStatus);
      }
    } catch {
      // not created yet, or stopping: the next poll tells
    }
  }

  #client(account: string, region: string): KinesisClient {
    const key = `${account}/${region}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new KinesisClient({
        endpoint: this.#cloud.endpoint,
        region,
        credentials: { accessKeyId: account, secretAccessKey: 'local' },
        requestHandler: new NodeHttpHandler(),
        maxAttempts: 1,
      });
      this.#clients.set(key, client);
    }
    return client;
  }
}
