import schema from '../../src/completion/completion-event.schema.json';
import { completionEventSchema } from '../../src/completion/completionDetail';
import { publishedSchemaErrors } from './publishedSchemaErrors';

/**
 * Schema errors of a completion event as EventBridge delivers it (empty when valid): its zod schema's and the
 * published src/completion/completion-event.schema.json's.
 */
export const completionEventErrors: (event: unknown) => string[] = publishedSchemaErrors(completionEventSchema, schema);
