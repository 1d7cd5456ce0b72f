import type { StreamWritesPort } from '../../src/domain/ports';

/** CloudWatch IncomingRecords in memory: the streams named in `writing` received records; `refusal` is thrown. */
export class FakeStreamWrites implements StreamWritesPort {
  public readonly calls: string[][] = [];

  public constructor(
    public readonly writing: ReadonlySet<string> = new Set(),
    public refusal?: Error
  ) {}

  public async receivingWrites(streamNames: readonly string[]): Promise<Map<string, boolean>> {
    this.calls.push([...streamNames]);
    if (this.refusal !== undefined) throw this.refusal;
    return new Map(streamNames.map((name) => [name, this.writing.has(name)]));
  }
}
