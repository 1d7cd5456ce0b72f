import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `NAME=value` with an ALL_CAPS name: how an environment variable is set, never how a reader sets a setting. */
const ASSIGNMENT = /[A-Z][A-Z_]{3,}=/g;

/** The environment variables of the pipeline's functions (`environment: &pipelineEnvironment` in serverless.yml). */
const PIPELINE_ENVIRONMENT_NAMES: readonly string[] = (() => {
  const text = readFileSync(join(__dirname, '..', '..', 'serverless.yml'), 'utf8');
  const block = text.split('environment: &pipelineEnvironment')[1]?.split(/\n\s+events:/)[0] ?? '';
  return [...block.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map(([, name]) => name ?? '');
})();

const NAMED = new RegExp(`\\b(?:${PIPELINE_ENVIRONMENT_NAMES.join('|')})\\b`, 'g');

/** Every environment variable name, or `NAME=` assignment, found in `text` (empty when it speaks the reader's language). */
export const environmentNamesIn = (text: string): string[] => [
  ...new Set([...(text.match(ASSIGNMENT) ?? []), ...(text.match(NAMED) ?? [])]),
];
