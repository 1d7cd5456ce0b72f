import type { ReportPort } from '../../src/domain/ports';
import type { ReconcileReport } from '../../src/domain/reconcileReport';

/** In-memory {@link ReportPort}: keeps every report; `failWith` makes reporting throw. */
export class FakeReports implements ReportPort {
  public readonly reports: ReconcileReport[] = [];
  public failWith: Error | undefined;

  public async report(report: ReconcileReport): Promise<void> {
    if (this.failWith !== undefined) throw this.failWith;
    this.reports.push(report);
  }
}
