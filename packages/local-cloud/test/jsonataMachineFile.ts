import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Task `Resource` asl-validator accepts; the local engine never calls it. */
export const RESOURCE = 'arn:aws:states:::aws-sdk:kinesis:describeStreamSummary';

/** Write a JSONata state machine (`"QueryLanguage": "JSONata"` added) to a fresh file; returns its path. */
export const jsonataMachineFile = (definition: Record<string, unknown>): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'jsonata-asl-')), 'machine.asl.json');
  writeFileSync(path, JSON.stringify({ QueryLanguage: 'JSONata', ...definition }));
  return path;
};

/** An Error named like a Step Functions error, as `toStatesError` produces. */
export const namedError = (name: string, message = `${name} happened`): Error => {
  const error = new Error(message);
  error.name = name;
  return error;
};
