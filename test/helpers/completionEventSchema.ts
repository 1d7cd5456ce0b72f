import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../src/completion/completion-event.schema.json';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Schema errors of a completion event as EventBridge delivers it (empty when valid). */
export const completionEventErrors = (event: { source: string; 'detail-type': string; detail: unknown }): string[] =>
  validate(event) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
