import type { ScalarTag } from 'yaml';
import { parse } from 'yaml';
import { isRecord } from './isRecord';

/** CloudFormation's short-form tags (`!Ref`, `!Sub`, …) as their long form (`{ Ref: … }`, `{ 'Fn::Sub': … }`). */
const SHORT_FORMS = [
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'Sub',
] as const;

const longForm = (name: string): string => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

const cloudFormationTags = [
  ...['Ref', 'Condition', 'GetAtt', ...SHORT_FORMS].map(
    (name): ScalarTag => ({
      tag: `!${name}`,
      resolve: (value: string) => ({ [longForm(name)]: name === 'GetAtt' ? value.split('.') : value }),
    })
  ),
  ...['GetAtt', ...SHORT_FORMS].flatMap((name) =>
    (['seq', 'map'] as const).map((collection) => ({
      tag: `!${name}`,
      collection,
      resolve: (value: { toJSON: () => unknown }) => ({ [longForm(name)]: value.toJSON() }),
    }))
  ),
];

/** Parses a CloudFormation YAML template, short-form intrinsic functions as their long form. */
export const parseCloudFormationYaml = (text: string): unknown =>
  parse(text, { customTags: cloudFormationTags as never, logLevel: 'error' });

/** What intrinsic functions resolve against. */
export interface TemplateContext {
  parameters: Record<string, string>;
  /** `AWS::AccountId`, `AWS::Region`, `AWS::Partition` (and any other pseudo parameter given). */
  pseudo: Record<string, string>;
  /** Condition definitions of the template. */
  conditions: Record<string, unknown>;
}

/** `Ref: AWS::NoValue`: the property or list item is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

const refOf = (name: string, context: TemplateContext): unknown => {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const value = context.parameters[name] ?? context.pseudo[name];
  if (value === undefined) throw new Error(`template: no value for Ref ${name}`);
  return value;
};

const substitute = (text: string, variables: Record<string, unknown>, context: TemplateContext): string =>
  text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
    if (name in variables) return String(variables[name]);
    if (name.includes('.')) return `\${${name}}`;
    return String(refOf(name, context));
  });

/**
 * Resolves the intrinsic functions of a template fragment that a local emulator needs (Ref, Sub, If, Equals,
 * Not, And, Or, Join, Split, Select, Condition; `AWS::NoValue` removes); `Fn::GetAtt` stays `<LogicalId>.<Attribute>` text.
 */
export const resolveIntrinsics = (value: unknown, context: TemplateContext): unknown => {
  if (Array.isArray(value)) {
    return value.map((item) => resolveIntrinsics(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const [key] = keys;
  const argument = key === undefined ? undefined : value[key];
  const resolve = (inner: unknown): unknown => resolveIntrinsics(inner, context);
  if (keys.length === 1 && key !== undefined) {
    switch (key) {
      case 'Ref':
        return refOf(String(argument), context);
      case 'Condition':
        return conditionHolds(String(argument), context);
      case 'Fn::GetAtt':
        return (Array.isArray(argument) ? argument : String(argument).split('.')).join('.');
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
        return substitute(String(text), (resolve(variables) ?? {}) as Record<string, unknown>, context);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return resolve(conditionHolds(condition, context) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [left, right] = resolve(argument) as [unknown, unknown];
        return String(left) === String(right);
      }
      case 'Fn::Not':
        return !(resolve(argument) as unknown[])[0];
      case 'Fn::And':
        return (resolve(argument) as unknown[]).every(Boolean);
      case 'Fn::Or':
        return (resolve(argument) as unknown[]).some(Boolean);
      case 'Fn::Join': {
        const [separator, items] = resolve(argument) as [string, unknown[]];
        return items.map(String).join(separator);
      }
      case 'Fn::Split': {
        const [separator, text] = resolve(argument) as [string, string];
        return text.split(separator);
      }
      case 'Fn::Select': {
        const [index, items] = resolve(argument) as [string | number, unknown[]];
        return items[Number(index)];
      }
      default:
        break;
    }
  }
  return Object.fromEntries(
    Object.entries(value)
      .map(([name, inner]) => [name, resolve(inner)] as const)
      .filter(([, inner]) => inner !== NO_VALUE)
  );
};

/** Whether a named condition of the template holds. */
export const conditionHolds = (name: string, context: TemplateContext): boolean => {
  const definition = context.conditions[name];
  if (definition === undefined) throw new Error(`template: no condition ${name}`);
  return Boolean(resolveIntrinsics(definition, context));
};
