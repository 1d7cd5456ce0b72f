import type { StreamCreatorsPort } from '../../src/domain/ports';

/** CloudTrail CreateStream callers in memory, by stream name; `refusal` is thrown. */
export class FakeStreamCreators implements StreamCreatorsPort {
  public readonly calls: string[][] = [];

  public constructor(
    public readonly callers: ReadonlyMap<string, string> = new Map(),
    public refusal?: Error
  ) {}

  public async createdBy(streamNames: readonly string[]): Promise<Map<string, string>> {
    this.calls.push([...streamNames]);
    if (this.refusal !== undefined) throw this.refusal;
    return new Map(
      streamNames.flatMap((name) => {
        const caller = this.callers.get(name);
        return caller === undefined ? [] : [[name, caller] as const];
      })
    );
  }
}
