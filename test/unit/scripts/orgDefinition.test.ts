import { readFileSync } from 'node:fs';
import { ASL_PATHS, ORG_TASK_CREDENTIALS, orgDefinitionOf, orgDefinitionText } from '../../../scripts/orgDefinition';

// A Task's `Credentials.RoleArn` names the role Step Functions assumes for that task; in JSONata it may be an
// expression (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html).
type States = Record<string, { Type: string; Resource?: string; Credentials?: unknown; [key: string]: unknown }>;

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { States: States };
const tasksOf = (definition: { States: States }) =>
  Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

describe('orgDefinitionOf', () => {
  it('matches the committed statemachines/confirm-encryption-org.asl.json (run `npm run asl`)', () => {
    // Prepare
    const accountText = readFileSync(ASL_PATHS.account, 'utf8');

    // Act
    const generated = JSON.parse(orgDefinitionText(accountText));

    // Assess
    expect(read(ASL_PATHS.org)).toEqual(generated);
  });

  it.each(tasksOf(read(ASL_PATHS.account)).map(([name, state]) => ({ name, resource: String(state.Resource) })))(
    'gives $name ($resource) credentials only when it is a Kinesis SDK task, and changes nothing else',
    ({ name, resource }) => {
      // Prepare
      const account = read(ASL_PATHS.account);

      // Act
      const org = orgDefinitionOf(account) as { States: States };
      const { Credentials, ...rest } = org.States[name] ?? { Type: '' };

      // Assess
      expect(rest).toEqual(account.States[name]);
      if (resource.includes(':states:::aws-sdk:kinesis:')) expect(Credentials).toEqual(ORG_TASK_CREDENTIALS);
      else expect(Credentials).toBeUndefined();
    }
  );

  it('adds credentials to the Kinesis tasks of Parallel branches and Map processors, and copies its input', () => {
    // Prepare
    const kinesis = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:kinesis:describeStreamSummary', End: true };
    const events = { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', End: true };
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: { Type: 'Parallel', Branches: [{ StartAt: 'K', States: { K: kinesis, E: events } }], Next: 'Each' },
        Each: { Type: 'Map', ItemProcessor: { StartAt: 'K', States: { K: kinesis } }, End: true },
      },
    };
    const before = structuredClone(definition);

    // Act
    const org = orgDefinitionOf(definition) as {
      States: { Fan: { Branches: { States: States }[] }; Each: { ItemProcessor: { States: States } } };
    };

    // Assess
    expect(org.States.Fan.Branches[0]?.States.K?.Credentials).toEqual(ORG_TASK_CREDENTIALS);
    expect(org.States.Fan.Branches[0]?.States.E?.Credentials).toBeUndefined();
    expect(org.States.Each.ItemProcessor.States.K?.Credentials).toEqual(ORG_TASK_CREDENTIALS);
    expect(definition).toEqual(before);
  });

  it('refuses a definition without States', () => {
    // Act
    const act = () => orgDefinitionOf({ StartAt: 'A' });

    // Assess
    expect(act).toThrow('The definition has no States');
  });
});
