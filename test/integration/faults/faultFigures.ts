import { existsSync, readFileSync } from 'node:fs';
import type { InvocationRecord } from '../../../tools/dev';
import { emfDocumentsOf, metricTotal } from '../../helpers/emfLines';
import type { Harness } from '../local/harness';

/** What one fault scenario did and how every event ended. */
export interface FaultFigures {
  scenario: string;
  /** Errors the local cloud answered instead of a service (or workers killed). */
  injected: number;
  /** Deliveries of the CreateStream event(s) to the function (first attempts). */
  deliveries: number;
  /** Deliveries of an event already handled that ended successfully without acting again (stored result). */
  held: number;
  /** Lambda attempts after the first (async retries). */
  retries: number;
  /** StartStreamEncryption calls recorded by the local CloudTrail. */
  applies: number;
  /** Completion events (source `kinesis-auto-encrypt`). */
  completions: number;
  /** Records on the Lambda failure destination. */
  failureDestination: number;
  /** Failure records redriven. */
  redriven: number;
  /** Events that ended neither with a completion event nor on the failure destination. */
  lost: number;
  /** Outcomes of the completion events, e.g. `Encrypted`. */
  outcome: string;
  /** Alarms of deploy/monitoring.yml the scenario's metrics and queues would raise (docs/runbook.md). */
  alarms: string;
}

/** Error names of the state machine's Failed verdicts (each also fails its execution). */
const EXECUTION_FAILURES = new Set(['ConfirmationTimedOut', 'EncryptionMismatch', 'ProbeNotEncrypted']);
/** maxExposureMinutes' default, in seconds. */
const EXPOSURE_BOUND_SECONDS = 900;

/**
 * The alarms the scenario would raise, from the EMF lines recordMetrics wrote for its streams, the failure
 * destination and the function's failed attempts (`function-errors` pages only when errors span two 5-minute periods).
 */
const alarmsOf = (harness: Harness, names: readonly string[], failedAttempts: number, failures: number): string => {
  const file = harness.cloud.metricsLogFile;
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const documents = emfDocumentsOf(lines).filter(({ streamName }) => names.includes(String(streamName)));
  const alarms = [
    metricTotal(documents, 'Failed') > 0 && 'failed',
    documents.some(({ compliance }) => compliance === 'NonCompliant') && 'non-compliant',
    documents.some(({ ExposureSeconds }) => Number(ExposureSeconds) > EXPOSURE_BOUND_SECONDS) && 'exposure-too-long',
    documents.some(({ errorName }) => EXECUTION_FAILURES.has(String(errorName))) && 'executions-failed',
    failures > 0 && 'failure-queue-depth',
    failedAttempts > 0 && `function-errors if over 2 periods (${failedAttempts} errors)`,
  ].filter((alarm): alarm is string => typeof alarm === 'string');
  return alarms.join(', ') || 'none';
};

const recorded: FaultFigures[] = [];

/** Keeps the figures of one scenario for {@link printFaultFigures}. */
export const recordFaultFigures = (figures: FaultFigures): FaultFigures => {
  recorded.push(figures);
  return figures;
};

/** CloudTrail `detail.eventID` of an event, if it has one. */
export const eventIdOf = (event: unknown): string | undefined => {
  const id = (event as { detail?: { eventID?: unknown } } | undefined)?.detail?.eventID;
  return typeof id === 'string' ? id : undefined;
};

/**
 * Counts the figures of the streams `names` from what the local cloud saw: bus events (CloudTrail
 * and completion events), Lambda invocation attempts and the failure destination.
 */
export const countFaultFigures = (
  harness: Harness,
  invocations: readonly InvocationRecord[],
  scenario: { scenario: string; names: readonly string[]; injected: number; redriven?: number }
): FaultFigures => {
  const created = scenario.names.flatMap((name) =>
    harness.cloudTrailFor(name, 'CreateStream').filter(({ detail }) => detail.errorCode === undefined)
  );
  const eventIds = new Set(created.map(({ detail }) => String(detail.eventID)));
  const attempts = invocations.filter(({ event }) => eventIds.has(eventIdOf(event) ?? ''));
  const completions = scenario.names.flatMap((name) => harness.completionsFor(name));
  const failures = harness.cloud.failures.filter(({ requestPayload }) => eventIds.has(eventIdOf(requestPayload) ?? ''));
  const applies = scenario.names.reduce(
    (sum, name) => sum + harness.cloudTrailFor(name, 'StartStreamEncryption').length,
    0
  );
  const deliveries = attempts.filter(({ attempt }) => attempt === 1).length;
  const succeeded = attempts.filter(({ result }) => result.ok);
  const succeededEvents = new Set(succeeded.map(({ event }) => eventIdOf(event)));
  const ended = new Set([
    ...completions.map(({ detail }) => detail.eventId),
    ...failures.map(({ requestPayload }) => eventIdOf(requestPayload)),
  ]);
  return {
    scenario: scenario.scenario,
    injected: scenario.injected,
    deliveries,
    held: new Set(succeeded.map(({ result }) => result.requestId)).size - succeededEvents.size,
    retries: attempts.filter(({ attempt }) => attempt > 1).length,
    applies,
    completions: completions.length,
    failureDestination: failures.length,
    redriven: scenario.redriven ?? 0,
    lost: [...eventIds].filter((id) => !ended.has(id)).length,
    outcome: [...new Set(completions.map(({ detail }) => detail.outcome))].join(', ') || '-',
    alarms: alarmsOf(harness, scenario.names, attempts.length - succeeded.length, failures.length),
  };
};

const COLUMNS: readonly (readonly [keyof FaultFigures, string])[] = [
  ['scenario', 'Scenario'],
  ['injected', 'Injected'],
  ['deliveries', 'Deliveries'],
  ['held', 'Dup. held'],
  ['retries', 'Retries'],
  ['applies', 'Applies'],
  ['completions', 'Completions'],
  ['failureDestination', 'On DLQ'],
  ['redriven', 'Redriven'],
  ['lost', 'Lost'],
  ['outcome', 'Outcome'],
  ['alarms', 'Alarms'],
];

/** The recorded figures as a Markdown table. */
const faultFiguresTable = (rows: readonly FaultFigures[] = recorded): string => {
  const cells = rows.map((row) => COLUMNS.map(([key]) => String(row[key])));
  const header = COLUMNS.map(([, title]) => title);
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((row) => row[index]?.length ?? 0)));
  const line = (values: readonly string[]): string =>
    `| ${values.map((value, index) => value.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
};

/** Prints the recorded figures to stdout (shown in CI output). */
export const printFaultFigures = (): void => {
  if (recorded.length === 0) return;
  process.stdout.write(`\nFault suite figures (local cloud)\n${faultFiguresTable()}\n\n`);
};
