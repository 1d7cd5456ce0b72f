import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../src/report/report.schema.json';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Schema errors of a report.json (empty when valid against src/report/report.schema.json). */
export const reportErrors = (report: unknown): string[] =>
  validate(report) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
