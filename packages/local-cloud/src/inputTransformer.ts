import { isRecord } from './isRecord';

/** An EventBridge target's `InputTransformer`, as a rule's target declares it (CloudFormation `AWS::Events::Rule` Targets). */
export interface InputTransformer {
  inputPathsMap: Record<string, string>;
  inputTemplate: string;
}

/** Value at a dot-notation JSON path (`$.detail.userIdentity.invokedBy`), or undefined. */
const valueAt = (event: unknown, path: string): unknown => {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new Error(`unsupported JSON path ${path}: use dot notation from $`);
  let current = event;
  for (const key of path.slice(2).split('.')) current = isRecord(current) ? current[key] : undefined;
  return current;
};

/**
 * What EventBridge delivers to a target with an input transformer: each `<name>` of the template is
 * replaced by the JSON value at its path (a missing path gives `null`, so the result stays valid JSON), or
 * by the value's text inside a quoted string. Only what the project's rule uses is supported: dot-notation
 * paths and a JSON object template (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 * @throws when the template names a variable the map does not define or the result is not JSON
 */
export const applyInputTransformer = (transformer: InputTransformer, event: unknown): unknown => {
  const values = new Map(
    Object.entries(transformer.inputPathsMap).map(([name, path]) => [name, valueAt(event, path)] as const)
  );
  let inString = false;
  let out = '';
  const template = transformer.inputTemplate;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '"' && template[i - 1] !== '\\') inString = !inString;
    if (char !== '<') {
      out += char;
      continue;
    }
    const end = template.indexOf('>', i);
    const name = template.slice(i + 1, end);
    if (end < 0 || !values.has(name)) throw new Error(`input template names <${name}>, which the paths map lacks`);
    const value = values.get(name);
    if (inString) {
      const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
      out += JSON.stringify(text).slice(1, -1);
    } else {
      out += JSON.stringify(value ?? null);
    }
    i = end;
  }
  return JSON.parse(out);
};
