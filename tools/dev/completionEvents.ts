import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BusEvent } from '@kinesis-auto-encrypt/local-cloud';
import type { CompletionDetail } from '../../src/completion/completionDetail';
import { DetailType, EVENT_SOURCE } from '../../src/domain/outcome';

/** A completion event for one stream. */
export type CompletionEvent = BusEvent & { detail: CompletionDetail };

const COMPLETION_DETAIL_TYPES: ReadonlySet<string> = new Set(Object.values(DetailType));

/** A stream's completion event (source kinesis-auto-encrypt, one of its detail-types; not `Sweep Completed`). */
export const isStreamCompletion = (event: BusEvent): event is CompletionEvent =>
  event.source === EVENT_SOURCE && COMPLETION_DETAIL_TYPES.has(event['detail-type']);

/**
 * `npm start -- --events-file <path>`: creates `path` (and its folder) when missing, and returns the bus listener that
 * appends every completion event, exactly as published on the bus, as one JSON line (written synchronously: in the
 * order published; an existing file is appended to).
 */
export const completionEventsFile = (path: string): ((event: BusEvent) => void) => {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, '');
  return (event) => {
    if (isStreamCompletion(event)) appendFileSync(path, `${JSON.stringify(event)}\n`);
  };
};
