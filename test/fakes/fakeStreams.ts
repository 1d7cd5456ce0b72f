import type { StreamPort } from '../../src/domain/ports';
import type { StreamState } from '../../src/domain/streamState';

/**
 * In-memory {@link StreamPort}: one stream whose reads come from a script (the last entry repeats),
 * and whose StartStreamEncryption answers come from another (undefined = accepted). Tag calls change its tags,
 * unless `tagFailures` holds an error for the next one.
 */
export class FakeStreams implements StreamPort {
  public readonly calls: string[] = [];
  /** Errors the next AddTagsToStream / RemoveTagsFromStream calls throw, in order. */
  public readonly tagFailures: Error[] = [];
  readonly #reads: (StreamState | undefined | Error)[];
  readonly #applies: (Error | undefined)[];
  #tags: Record<string, string> | Error;

  public constructor(
    reads: (StreamState | undefined | Error)[],
    applies: (Error | undefined)[] = [],
    tags: Record<string, string> | Error = {}
  ) {
    this.#reads = [...reads];
    this.#applies = [...applies];
    this.#tags = tags;
  }

  public async tags(streamArn: string): Promise<Record<string, string>> {
    this.calls.push(`tags ${streamArn}`);
    if (this.#tags instanceof Error) throw this.#tags;
    return { ...this.#tags };
  }

  public async describe(streamArn: string): Promise<StreamState | undefined> {
    this.calls.push(`describe ${streamArn}`);
    const next = this.#reads.length > 1 ? this.#reads.shift() : this.#reads[0];
    if (next instanceof Error) throw next;
    return next === undefined ? undefined : { ...next };
  }

  public async waitUntilSettled(
    streamArn: string,
    maxWaitSeconds: number
  ): Promise<StreamState | undefined | 'Timeout'> {
    this.calls.push(`wait ${streamArn}`);
    for (let polls = 0; polls < Math.max(1, maxWaitSeconds); polls++) {
      const state = await this.describe(streamArn);
      if (state?.status !== 'CREATING' && state?.status !== 'UPDATING') return state;
    }
    return 'Timeout';
  }

  public async startEncryption(streamArn: string, keyId: string): Promise<void> {
    this.calls.push(`apply ${streamArn} ${keyId}`);
    const answer = this.#applies.shift();
    if (answer !== undefined) throw answer;
  }

  public async tag(streamArn: string, tags: Record<string, string>): Promise<void> {
    this.calls.push(`tag ${streamArn} ${JSON.stringify(tags)}`);
    const failure = this.tagFailures.shift();
    if (failure !== undefined) throw failure;
    if (!(this.#tags instanceof Error)) this.#tags = { ...this.#tags, ...tags };
  }

  public async untag(streamArn: string, keys: readonly string[]): Promise<void> {
    this.calls.push(`untag ${streamArn} ${JSON.stringify(keys)}`);
    const failure = this.tagFailures.shift();
    if (failure !== undefined) throw failure;
    if (!(this.#tags instanceof Error)) {
      const remaining = this.#tags;
      this.#tags = Object.fromEntries(Object.entries(remaining).filter(([key]) => !keys.includes(key)));
    }
  }

  /** The tag calls made (AddTagsToStream as `tag …`, RemoveTagsFromStream as `untag …`). */
  public get tagCalls(): string[] {
    return this.calls.filter((call) => call.startsWith('tag ') || call.startsWith('untag '));
  }

  /** How many StartStreamEncryption calls were made. */
  public get applies(): number {
    return this.calls.filter((call) => call.startsWith('apply')).length;
  }
}
