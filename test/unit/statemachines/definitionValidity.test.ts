import { join } from 'node:path';
import { getLanguageService } from 'amazon-states-language-service';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CONFIRM_ENCRYPTION_ASL_PATH,
  CONFIRM_ENCRYPTION_ORG_ASL_PATH,
  LOCAL_SUBSTITUTIONS,
  loadDefinition,
  REPO_ROOT,
} from '../../../tools/dev';
import { assignedVariables, expressionProblems, jsonataExpressions } from '../../helpers/jsonataReferences';

// amazon-states-language-service is the ASL language service of the AWS Toolkit (aws/aws-toolkit-vscode): it
// reports fields a state type or query language does not support, and Next / Default names that are no state.
// Step Functions implements JSONata 2.0.6 ("Transforming data with JSONata in Step Functions",
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); a variable is read as `$name`
// after an `Assign` set it ("Passing data between states with variables").
const DEFINITIONS = [
  { name: 'confirm-encryption.asl.json', path: CONFIRM_ENCRYPTION_ASL_PATH },
  { name: 'confirm-encryption-org.asl.json', path: CONFIRM_ENCRYPTION_ORG_ASL_PATH },
  { name: 'sweep.asl.json', path: join(REPO_ROOT, 'statemachines', 'sweep.asl.json') },
] as const;
const SUBSTITUTIONS = {
  ...LOCAL_SUBSTITUTIONS,
  SweepFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:sweep',
};

const toolkitDiagnostics = async (definition: unknown): Promise<string[]> => {
  const service = getLanguageService({});
  const document = TextDocument.create('file:///machine.asl.json', 'json', 1, JSON.stringify(definition, null, 2));
  const diagnostics = await service.doValidation(document, service.parseJSONDocument(document));
  return diagnostics.map(({ range, message }) => `line ${range.start.line + 1}: ${message}`);
};

const problemsOf = (definition: unknown): string[] => {
  const assigned = assignedVariables(definition);
  return jsonataExpressions(definition).flatMap(({ at, source }) =>
    expressionProblems(source, assigned).map((problem) => `${at}: ${problem}`)
  );
};

type States = Record<string, Record<string, unknown> & { Choices?: Record<string, unknown>[] }>;
const confirm = () => loadDefinition(CONFIRM_ENCRYPTION_ASL_PATH, SUBSTITUTIONS) as unknown as { States: States };

describe('state machine definitions', () => {
  it.each(DEFINITIONS)('$name has no diagnostic in the AWS Toolkit ASL language service', async ({ path }) => {
    // Act
    const diagnostics = await toolkitDiagnostics(loadDefinition(path, SUBSTITUTIONS));

    // Assess
    expect(diagnostics).toEqual([]);
  });

  it.each(DEFINITIONS.slice(0, 2))(
    'every JSONata expression of $name parses and reads only assigned variables',
    ({ path }) => {
      // Prepare
      const definition = loadDefinition(path, SUBSTITUTIONS);

      // Act
      const problems = problemsOf(definition);

      // Assess
      expect(jsonataExpressions(definition).length).toBeGreaterThan(30);
      expect(problems).toEqual([]);
    }
  );

  it.each([
    {
      case: 'a variable no Assign sets',
      change: (d: { States: States }) => {
        (d.States.Evaluate?.Choices?.[0] ?? {}).Condition = "{% $sen.streamStatus = 'DELETING' %}";
      },
      expected: /reads \$sen/,
    },
    {
      case: 'an expression that does not parse',
      change: (d: { States: States }) => {
        (d.States.Backoff ?? {}).Seconds = '{% $wait + %}';
      },
      expected: /does not parse/,
    },
  ])('the expression check finds $case', ({ change, expected }) => {
    // Prepare
    const definition = confirm();
    change(definition);

    // Act
    const problems = problemsOf(definition);

    // Assess
    expect(problems.join('\n')).toMatch(expected);
  });

  it.each([
    {
      case: 'a field no state has (a misspelt Retry)',
      change: (d: { States: States }) => {
        (d.States.DescribeStream ?? {}).Retries = [];
      },
    },
    {
      case: 'a Next that names no state',
      change: (d: { States: States }) => {
        (d.States.Backoff ?? {}).Next = 'Nowhere';
      },
    },
  ])('the language service finds $case', async ({ change }) => {
    // Prepare
    const definition = confirm();
    change(definition);

    // Act
    const diagnostics = await toolkitDiagnostics(definition);

    // Assess
    expect(diagnostics.length).toBeGreaterThan(0);
  });
});
