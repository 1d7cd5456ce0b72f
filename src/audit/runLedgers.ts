import type { KeyApplication } from '../domain/keyBudget';
import type { ApplyLedger, ApplyRecord, KeyApplicationLedger } from '../domain/ports';

/**
 * The apply ledger and key-application ledger of one CLI run, in memory: the run counts its own key
 * applications against each stream's 25 per 24 h (the deployed pipeline's table is not read).
 */
export const runLedgers = (): { ledger: ApplyLedger; applications: KeyApplicationLedger } => {
  const records = new Map<string, ApplyRecord>();
  const applications = new Map<string, Map<string, KeyApplication>>();
  return {
    ledger: {
      get: async (eventId) => records.get(eventId),
      put: async (record) => {
        records.set(record.eventId, record);
      },
    },
    applications: {
      list: async (streamArn) => [...(applications.get(streamArn)?.values() ?? [])],
      record: async (streamArn, application) => {
        const stream = applications.get(streamArn) ?? new Map<string, KeyApplication>();
        stream.set(application.eventId, application);
        applications.set(streamArn, stream);
      },
    },
  };
};
