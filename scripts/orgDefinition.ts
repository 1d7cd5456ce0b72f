/**
 * The organisation variant of the confirm-encryption state machine: the account definition with
 * `"Credentials": { "RoleArn": "{% $input.roleArn %}" }` (JSONata: the execution input's `roleArn`) on every Task
 * that calls Kinesis through the AWS SDK integration, so those calls run in the stream's account (member role, or
 * the hub's own stream role).
 * Step Functions assumes the role named in a Task's `Credentials` for that task
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html).
 * `npm run asl` writes it to `statemachines/confirm-encryption-org.asl.json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../src/domain/isRecord';

const REPO_ROOT = join(__dirname, '..');

/** The account definition and the generated organisation definition. */
export const ASL_PATHS = {
  account: join(REPO_ROOT, 'statemachines', 'confirm-encryption.asl.json'),
  org: join(REPO_ROOT, 'statemachines', 'confirm-encryption-org.asl.json'),
} as const;

/** Credentials of a cross-account Task: the role named by the execution input's `roleArn` (the `$input` variable). */
export const ORG_TASK_CREDENTIALS = { RoleArn: '{% $input.roleArn %}' } as const;

const KINESIS_SDK_TASK = /:states:::aws-sdk:kinesis:/;

const withCredentials = (states: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      if (!isRecord(state)) return [name, state];
      const copy: Record<string, unknown> = { ...state };
      if (copy.Type === 'Task' && typeof copy.Resource === 'string' && KINESIS_SDK_TASK.test(copy.Resource)) {
        copy.Credentials = { ...ORG_TASK_CREDENTIALS };
      }
      if (Array.isArray(copy.Branches)) {
        copy.Branches = copy.Branches.map((branch) =>
          isRecord(branch) && isRecord(branch.States) ? { ...branch, States: withCredentials(branch.States) } : branch
        );
      }
      for (const key of ['ItemProcessor', 'Iterator'] as const) {
        const inner = copy[key];
        if (isRecord(inner) && isRecord(inner.States)) copy[key] = { ...inner, States: withCredentials(inner.States) };
      }
      return [name, copy];
    })
  );

/** The organisation definition of an account definition (a copy; the input is not changed). */
export const orgDefinitionOf = (definition: Record<string, unknown>): Record<string, unknown> => {
  if (!isRecord(definition.States)) throw new Error('The definition has no States');
  return { ...definition, States: withCredentials(definition.States) };
};

/** The organisation definition as `npm run asl` writes it (2-space JSON and a final newline). */
export const orgDefinitionText = (accountText: string): string =>
  `${JSON.stringify(orgDefinitionOf(JSON.parse(accountText) as Record<string, unknown>), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(ASL_PATHS.org, orgDefinitionText(readFileSync(ASL_PATHS.account, 'utf8')));
  console.log(`wrote ${ASL_PATHS.org}`);
}
