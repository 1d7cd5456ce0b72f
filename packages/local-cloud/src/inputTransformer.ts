import { isRecord } from './isRecord';

/** An EventBridge target's `InputTransformer`, as a rule's target declares it (CloudFormation `AWS::Events::Rule` Targets). */
export interface InputTransformer {
  inputPathsMap: Record<string, string>;
  inputTemplate: string;
}

/** A path the event does not have. */
const ABSENT = Symbol('absent');

/** Value at a dot-notation JSON path (`$.detail.userIdentity.invokedBy`), or {@link ABSENT}. */
const valueAt = (event: unknown, path: string): unknown => {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new Error(`unsupported JSON path ${path}: use dot notation from $`);
  let current = event;
  for (const key of path.slice(2).split('.')) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return ABSENT;
    current = current[key];
  }
  return current;
};

/**
 * What EventBridge delivers to a target with an input transformer: each `<name>` of the template is replaced by
 * the JSON value at its path, or by the value's text inside a quoted string. A path the event does not have creates
 * no variable, and its placeholder is replaced by nothing: "If you specify a variable to match a JSON path that
 * doesn't exist in the event, that variable isn't created and won't appear in the output" (Common issues with
 * transforming input, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html). So
 * `{"a":<missing>}` is not JSON: a template keeps a placeholder whose path may be absent inside quotes or an array.
 * Only what the project's rule uses is supported: dot-notation paths and a JSON template.
 * @throws when the template names a variable the map does not define, or the result is not JSON (naming the
 *   variables whose paths were absent)
 */
export const applyInputTransformer = (transformer: InputTransformer, event: unknown): unknown => {
  const values = new Map(
    Object.entries(transformer.inputPathsMap).map(([name, path]) => [name, valueAt(event, path)] as const)
  );
  const absent: string[] = [];
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
    i = end;
    if (value === ABSENT) {
      absent.push(name);
      continue;
    }
    if (inString) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      out += JSON.stringify(text).slice(1, -1);
    } else {
      out += JSON.stringify(value);
    }
  }
  try {
    return JSON.parse(out);
  } catch (error) {
    const cause = absent.length > 0 ? ` (absent from the event: ${absent.map((name) => `<${name}>`).join(', ')})` : '';
    throw new Error(`input transformer output is not JSON${cause}: ${(error as Error).message}`, { cause: error });
  }
};
