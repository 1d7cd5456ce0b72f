import { parse, YAMLSeq } from 'yaml';
import type { CloudFormationTemplate } from './packageTemplate';

/** Short-form intrinsic tags and their long form (CloudFormation User Guide, "Intrinsic function reference"). */
const FUNCTIONS = ['Sub', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'Split', 'Select', 'FindInMap', 'Base64', 'Cidr'];

/** A sequence tag receives the YAML node: its plain value, nested intrinsics already resolved. */
const plain = (value: unknown): unknown => (value instanceof YAMLSeq ? value.toJSON() : value);

const customTags = [
  ...FUNCTIONS.flatMap((name) =>
    (['scalar', 'seq'] as const).map((collection) => ({
      tag: `!${name}`,
      collection: collection === 'seq' ? ('seq' as const) : undefined,
      resolve: (value: unknown) => ({ [`Fn::${name}`]: plain(value) }),
    }))
  ),
  { tag: '!Ref', resolve: (value: unknown) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: unknown) => ({ Condition: value }) },
  // `!GetAtt Resource.Attribute` is the list [Resource, Attribute] in the long form.
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
  { tag: '!GetAtt', collection: 'seq' as const, resolve: (value: unknown) => ({ 'Fn::GetAtt': plain(value) }) },
];

/** A CloudFormation YAML template in its JSON form (short-form intrinsic tags expanded). */
export const parseCloudFormationYaml = (text: string): CloudFormationTemplate =>
  parse(text, { customTags: customTags as never, logLevel: 'error' }) as CloudFormationTemplate;
