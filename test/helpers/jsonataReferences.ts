import jsonata from 'jsonata';
import { expressionOf } from '../../tools/dev';

/** Every `{% expression %}` of a JSONata definition, with where it sits (`States.<name>.<field path>`). */
export const jsonataExpressions = (node: unknown, at = ''): { at: string; source: string }[] => {
  if (typeof node === 'string') {
    const source = expressionOf(node);
    return source === undefined ? [] : [{ at, source }];
  }
  if (Array.isArray(node)) return node.flatMap((item, index) => jsonataExpressions(item, `${at}[${index}]`));
  if (node !== null && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) => jsonataExpressions(value, at === '' ? key : `${at}.${key}`));
  }
  return [];
};

/** Names of the workflow variables some `Assign` of the definition sets (in states, Choice rules and catchers). */
export const assignedVariables = (node: unknown): Set<string> => {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'Assign' && child !== null && typeof child === 'object') {
          for (const name of Object.keys(child)) names.add(name);
        }
        walk(child);
      }
    }
  };
  walk(node);
  return names;
};

/**
 * What is wrong with one expression: it does not parse (JSONata 2.0.6, the version Step Functions implements), or it
 * reads a `$name` that is neither `$states`, a variable the definition assigns, a name the expression binds itself
 * (`$x :=`) nor a function it calls.
 */
export const expressionProblems = (source: string, assigned: ReadonlySet<string>): string[] => {
  try {
    jsonata(source);
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  const bound = new Set([...source.matchAll(/\$([A-Za-z_]\w*)\s*:=/g)].map(([, name]) => name));
  const read = [...source.matchAll(/\$([A-Za-z_]\w*)(?!\w)(?!\s*\()/g)].map(([, name]) => name as string);
  return [...new Set(read)]
    .filter((name) => name !== 'states' && !assigned.has(name) && !bound.has(name))
    .map((name) => `reads $${name}, which no Assign sets`);
};
