import { existsSync, readFileSync } from 'node:fs';
import { METRICS_NAMESPACE, MetricName } from '../../src/metrics/metricNames';

interface EmfDirective {
  Namespace?: string;
  Dimensions?: string[][];
  Metrics?: { Name?: string; Unit?: string }[];
}

const sumOf = (value: unknown): number => [value].flat().reduce((sum: number, item) => sum + Number(item), 0);

/** Durations are shown as their maximum, in seconds: how many units of each make a second. */
const MAXIMA: ReadonlyMap<string, number> = new Map([
  [MetricName.TimeToEncrypted, 1000],
  [MetricName.ExposureSeconds, 1],
]);

/**
 * Totals of the EMF metrics (namespace KinesisAutoEncrypt) in the Lambda workers' log files, as CloudWatch would
 * extract them: each value of the `service`-only metric sets (the `reason` / `region` sets count the same events
 * again), plus ColdStart. Counts are summed; durations (ms, s) keep their maximum.
 */
export const metricTotals = (files: readonly string[]): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const file of files.filter((path) => existsSync(path))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"_aws"')) continue;
      let document: Record<string, unknown> & { _aws?: { CloudWatchMetrics?: EmfDirective[] } };
      try {
        document = JSON.parse(line);
      } catch {
        continue;
      }
      for (const directive of document._aws?.CloudWatchMetrics ?? []) {
        if (directive.Namespace !== METRICS_NAMESPACE) continue;
        const serviceOnly = directive.Dimensions?.some((set) => set.length === 1 && set[0] === 'service') === true;
        for (const { Name, Unit } of directive.Metrics ?? []) {
          if (Name === undefined || (!serviceOnly && Name !== MetricName.ColdStart)) continue;
          const value = document[Name];
          totals[Name] =
            Unit === 'Count'
              ? (totals[Name] ?? 0) + sumOf(value)
              : Math.max(totals[Name] ?? 0, ...[value].flat().map(Number));
        }
      }
    }
  }
  return totals;
};

/** `Encrypted 3 · Failed 1 · TimeToEncrypted max 4.9 s · …` in {@link MetricName} order; absent metrics left out. */
export const formatMetricTotals = (totals: Record<string, number>): string => {
  const parts = Object.values(MetricName)
    .filter((name) => totals[name] !== undefined)
    .map((name) => {
      const value = totals[name] ?? 0;
      const perSecond = MAXIMA.get(name);
      if (perSecond !== undefined) return `${name} max ${(value / perSecond).toFixed(1)} s`;
      return `${name} ${Number.isInteger(value) ? value : value.toFixed(1)}`;
    });
  return parts.length === 0 ? 'no metrics yet' : parts.join(' · ');
};
