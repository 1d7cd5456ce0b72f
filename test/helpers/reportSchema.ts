import { reportSchema } from '../../src/report/report';
import schema from '../../src/report/report.schema.json';
import { publishedSchemaErrors } from './publishedSchemaErrors';

/** Schema errors of a report.json (empty when valid): its zod schema's and the published src/report/report.schema.json's. */
export const reportErrors: (report: unknown) => string[] = publishedSchemaErrors(reportSchema, schema);
