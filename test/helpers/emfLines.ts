import Ajv from 'ajv';
import schema from '../fixtures/emf.schema.json';

// The schema of "Specification: Embedded metric format" (test/fixtures/emf.schema.json, draft-07 style);
// its `$id`s are JSON-pointer fragments ajv does not accept as ids, so they are dropped before compiling.
const withoutIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$id')
      .map(([key, item]) => [key, withoutIds(item)])
  );
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(withoutIds(schema) as object);

/** One EMF document as written by Powertools Metrics. */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit?: string }>;
    }>;
  };
  [member: string]: unknown;
}

/** Schema errors of one EMF document (empty when valid). */
export const emfErrors = (document: unknown): string[] =>
  validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);

/** The EMF documents among JSON lines (lines with an `_aws` member). */
export const emfDocumentsOf = (lines: string[]): EmfDocument[] =>
  lines.flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return value !== null && typeof value === 'object' && '_aws' in value ? [value as EmfDocument] : [];
    } catch {
      return [];
    }
  });

/** Runs `act` and returns the EMF documents written to stdout meanwhile (Powertools writes one per line). */
export const captureEmf = async (act: () => Promise<unknown>): Promise<EmfDocument[]> => {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return emfDocumentsOf(lines);
};

/** `namespace|name|dimension,…` of every metric value in the documents, once per value written. */
export const metricKeysOf = (documents: EmfDocument[]): string[] =>
  documents.flatMap((document) =>
    document._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Dimensions.flatMap((dimensions) =>
        directive.Metrics.map((metric) => `${directive.Namespace}|${metric.Name}|${[...dimensions].sort().join(',')}`)
      )
    )
  );

/** Sum of the values of a metric with exactly these dimensions (default `service`) across the documents. */
export const metricTotal = (documents: EmfDocument[], name: string, dimensions: string[] = ['service']): number =>
  documents.reduce((sum, document) => {
    const present = document._aws.CloudWatchMetrics.some(
      (directive) =>
        directive.Metrics.some((metric) => metric.Name === name) &&
        directive.Dimensions.some((set) => [...set].sort().join(',') === [...dimensions].sort().join(','))
    );
    const value = document[name];
    if (!present) return sum;
    return sum + (Array.isArray(value) ? value.reduce((a: number, b: number) => a + b, 0) : Number(value));
  }, 0);
