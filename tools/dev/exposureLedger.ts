/**
 * What producers writing to new streams saw: records accepted unencrypted (exposed), writes the write guard refused,
 * and how long after its creation each stream took its first record. Times are milliseconds of one clock.
 */

/** Records accepted within this long after a stream was first seen ACTIVE with KMS may be stored unencrypted. */
export const KMS_SETTLE_MS = 5000;

/** The totals of a ledger. */
export interface ExposureSummary {
  /** Records accepted unencrypted: EncryptionType NONE, or accepted < {@link KMS_SETTLE_MS} after ACTIVE with KMS. */
  exposedRecords: number;
  /** Write calls refused by the write guard (AccessDeniedException). */
  refusedWrites: number;
  /** Streams the ledger followed. */
  streams: number;
  /** 95th percentile over the streams of creation → first accepted write, in seconds; null when none accepted one. */
  firstWriteP95Seconds: number | null;
  /** Streams that never accepted a record. */
  streamsWithoutWrite: number;
}

interface StreamEntry {
  createdAt: number;
  /** First time the stream was seen ACTIVE with EncryptionType KMS. */
  kmsActiveAt?: number;
  accepted: { at: number; encryptionType: string; records: number }[];
  refused: number;
}

/** Nearest-rank percentile of `values` (`p` in 0–100); null for none. */
export const percentile = (values: readonly number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
};

/** Counts, per stream, what its producer's writes met; {@link ExposureLedger.summary} judges them. */
export class ExposureLedger {
  readonly #streams = new Map<string, StreamEntry>();

  /** The stream's CreateStream returned at `at`. */
  public created(stream: string, at: number): void {
    if (!this.#streams.has(stream)) this.#streams.set(stream, { createdAt: at, accepted: [], refused: 0 });
  }

  /** The stream was seen ACTIVE with KMS at `at` (the first sighting counts). */
  public sawKmsActive(stream: string, at: number): void {
    const entry = this.#entry(stream);
    entry.kmsActiveAt = Math.min(entry.kmsActiveAt ?? at, at);
  }

  /**
   * The pipeline confirmed the stream ACTIVE with KMS: its completion's `timestamps.confirmedAt` is a sighting too
   * (the earliest sighting, anyone's, is the closest to the true moment; a producer's own polls may lag under load).
   */
  public confirmed(stream: string, detail: unknown): void {
    const confirmedAt = (detail as { timestamps?: { confirmedAt?: unknown } } | null)?.timestamps?.confirmedAt;
    const at = typeof confirmedAt === 'string' ? Date.parse(confirmedAt) : Number.NaN;
    if (Number.isFinite(at) && this.#streams.has(stream)) this.sawKmsActive(stream, at);
  }

  /** A write of `records` records was accepted at `at`, its response saying `encryptionType`. */
  public accepted(stream: string, at: number, encryptionType: string, records = 1): void {
    this.#entry(stream).accepted.push({ at, encryptionType, records });
  }

  /** A write was refused by the write guard. */
  public refused(stream: string): void {
    this.#entry(stream).refused += 1;
  }

  /** Whether the stream has been seen ACTIVE with KMS. */
  public hasSeenKmsActive(stream: string): boolean {
    return this.#streams.get(stream)?.kmsActiveAt !== undefined;
  }

  /** The totals now (a record accepted before KMS was seen counts as exposed). */
  public summary(): ExposureSummary {
    let exposedRecords = 0;
    let refusedWrites = 0;
    const firstWrites: number[] = [];
    for (const entry of this.#streams.values()) {
      refusedWrites += entry.refused;
      for (const { at, encryptionType, records } of entry.accepted) {
        const settled = entry.kmsActiveAt !== undefined && at >= entry.kmsActiveAt + KMS_SETTLE_MS;
        if (encryptionType !== 'KMS' || !settled) exposedRecords += records;
      }
      const first = Math.min(...entry.accepted.map(({ at }) => at));
      if (Number.isFinite(first)) firstWrites.push((first - entry.createdAt) / 1000);
    }
    return {
      exposedRecords,
      refusedWrites,
      streams: this.#streams.size,
      firstWriteP95Seconds: percentile(firstWrites, 95),
      streamsWithoutWrite: this.#streams.size - firstWrites.length,
    };
  }

  #entry(stream: string): StreamEntry {
    const entry = this.#streams.get(stream);
    if (entry === undefined) throw new Error(`Exposure ledger: stream ${stream} was not created first`);
    return entry;
  }
}

/** `exposure: <N> records accepted unencrypted, <M> writes refused by the write guard, first accepted write <s> s after creation (p95)` */
export const exposureLine = (summary: ExposureSummary): string =>
  `exposure: ${summary.exposedRecords} records accepted unencrypted, ${summary.refusedWrites} writes refused by the ` +
  `write guard, first accepted write ${summary.firstWriteP95Seconds === null ? 'n/a' : summary.firstWriteP95Seconds.toFixed(1)} s after creation (p95)`;
