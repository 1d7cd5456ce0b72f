import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputTransformer } from '@kinesis-auto-encrypt/local-cloud';
import { parse } from 'yaml';
import { isRecord } from '../../src/domain/isRecord';
import { REPO_ROOT } from './repoRoot';

/** An EventBridge rule as declared on a function in `serverless.yml`. */
export interface ServerlessEventRule {
  /** Function key in `serverless.yml` (e.g. `encryptStream`). */
  functionName: string;
  /** The `eventBridge.pattern` object, unchanged. */
  pattern: Record<string, unknown>;
  /** `eventBridge.eventBus` when set, else `default`. */
  eventBus: string;
  /** `eventBridge.inputTransformer`: what the target receives instead of the event. */
  inputTransformer?: InputTransformer;
}

/**
 * Reads the `eventBridge.pattern` of a function from a serverless.yml text.
 * `${...}` variables and CloudFormation tags elsewhere in the file are left unresolved.
 */
export const ruleFromServerlessText = (text: string, functionName = 'encryptStream'): ServerlessEventRule => {
  const document: unknown = parse(text, { logLevel: 'error' });
  const functions = isRecord(document) ? document.functions : undefined;
  const fn = isRecord(functions) ? functions[functionName] : undefined;
  if (!isRecord(fn)) {
    throw new Error(`serverless.yml has no function "${functionName}"`);
  }
  const events = Array.isArray(fn.events) ? fn.events : [];
  for (const entry of events) {
    const eventBridge = isRecord(entry) ? entry.eventBridge : undefined;
    if (isRecord(eventBridge) && isRecord(eventBridge.pattern)) {
      const bus = eventBridge.eventBus;
      const transformer = eventBridge.inputTransformer;
      return {
        functionName,
        pattern: eventBridge.pattern,
        eventBus: typeof bus === 'string' && !bus.includes('${') ? bus : 'default',
        ...(isRecord(transformer) && {
          inputTransformer: {
            inputPathsMap: (transformer.inputPathsMap ?? {}) as Record<string, string>,
            inputTemplate: String(transformer.inputTemplate),
          },
        }),
      };
    }
  }
  throw new Error(`function "${functionName}" in serverless.yml has no eventBridge pattern`);
};

/** Reads the project rule from `serverless.yml` (default: the repository root). */
export const ruleFromServerless = (
  path = join(REPO_ROOT, 'serverless.yml'),
  functionName = 'encryptStream'
): ServerlessEventRule => ruleFromServerlessText(readFileSync(path, 'utf8'), functionName);
