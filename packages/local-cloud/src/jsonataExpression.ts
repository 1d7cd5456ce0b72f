import jsonata from 'jsonata';
import type { JsonValue } from './stateMachineTypes';
import { statesError } from './statesError';

/** Where a template is evaluated, named in the cause of a `States.QueryEvaluationError`. */
export interface TemplateSite {
  state: string;
  field: string;
}

/** `"{% expression %}"`: the whole (trimmed) string is one JSONata expression. */
const EXPRESSION = /^\{%([\s\S]*)%\}$/;

const compiled = new Map<string, jsonata.Expression>();

/** The JSONata source of a `{% %}` string, or `undefined` for a literal. */
export const expressionOf = (value: string): string | undefined => EXPRESSION.exec(value.trim())?.[1];

const compile = (source: string, site: TemplateSite): jsonata.Expression => {
  let expression = compiled.get(source);
  if (expression === undefined) {
    try {
      expression = jsonata(source);
    } catch (error) {
      throw queryError(site, `does not parse: ${(error as Error).message}`);
    }
    compiled.set(source, expression);
  }
  return expression;
};

const queryError = (site: TemplateSite, detail: string): Error =>
  statesError('States.QueryEvaluationError', `State ${site.state}, field ${site.field}: ${detail}`);

/** JSONata sequences and objects carry internal properties: keep the JSON value alone. */
const toJson = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

const evaluateExpression = async (source: string, bindings: Record<string, unknown>, site: TemplateSite) => {
  const expression = compile(source, site);
  let value: unknown;
  try {
    value = await expression.evaluate(undefined, bindings);
  } catch (error) {
    throw queryError(site, (error as Error).message);
  }
  // Step Functions raises States.QueryEvaluationError when an expression yields no value; a function is no JSON.
  if (value === undefined) throw queryError(site, `{%${source}%} evaluated to undefined`);
  if (typeof value === 'function') throw queryError(site, `{%${source}%} evaluated to a function`);
  return toJson(value);
};

/**
 * Evaluate a JSONata-state field: every string that is exactly `{% expression %}`, at any depth, is replaced by
 * its value; other values are literals.
 *
 * @param template - the field's value in the definition
 * @param bindings - `states` (`$states`) and the workflow variables, by name without `$`
 * @param site - state and field, for the error's cause
 * @throws `States.QueryEvaluationError` when an expression fails or yields no value
 */
export const evaluateTemplate = async (
  template: unknown,
  bindings: Record<string, unknown>,
  site: TemplateSite
): Promise<JsonValue> => {
  if (typeof template === 'string') {
    const source = expressionOf(template);
    return source === undefined ? template : evaluateExpression(source, bindings, site);
  }
  if (Array.isArray(template)) {
    return Promise.all(
      template.map((item, index) => evaluateTemplate(item, bindings, { ...site, field: `${site.field}[${index}]` }))
    );
  }
  if (template !== null && typeof template === 'object') {
    const entries = await Promise.all(
      Object.entries(template).map(
        async ([key, value]) =>
          [key, await evaluateTemplate(value, bindings, { ...site, field: `${site.field}.${key}` })] as const
      )
    );
    return Object.fromEntries(entries);
  }
  return template as JsonValue;
};
