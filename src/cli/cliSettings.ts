import type { StageSettings } from '../config/stageSettings';
import { KeyPolicyMode } from '../domain/keyCheck';
import { Mode } from '../domain/streamPolicy';
import type { CliOptions } from './cliOptions';

/** A setting's value and where it came from: a flag, the stage's published settings, or the default. */
export interface Sourced<T> {
  value: T;
  from: string;
}

/** The settings of one run, each with its source (the default key is resolved by the run's key source). */
export interface CliSettings {
  mode: Sourced<Mode>;
  overrideForeignKeys: Sourced<boolean>;
  allowExemptions: Sourced<boolean>;
  allowKeyTags: Sourced<boolean>;
  keyPolicyCheck: Sourced<KeyPolicyMode>;
  keyBudgetReserve: Sourced<number>;
  maxDriftRepairsPerDay: Sourced<number>;
}

/** The deployment's defaults (serverless.yml `params.default`): a run without a stage applies them. */
const DEFAULTS = {
  overrideForeignKeys: false,
  allowExemptions: true,
  allowKeyTags: true,
  keyPolicyCheck: KeyPolicyMode.Enforce,
  keyBudgetReserve: 2,
  maxDriftRepairsPerDay: 3,
} as const;

/** A stage's name as a source. */
const stageSource = (stage: StageSettings): string => `stage ${stage.stage}`;

/**
 * The run's settings: a flag (`--override-foreign-keys`, `--key-policy-check`) over the stage's published settings
 * (`--stage`) over the deployment's defaults. `audit` (and `sweep --dry-run`) never changes a stream; `sweep`
 * follows the stage's mode (a stage in audit mode changes nothing), else enforces.
 */
export const cliSettings = (options: CliOptions, stage: StageSettings | undefined): CliSettings => {
  const pick = <K extends keyof typeof DEFAULTS>(
    name: K,
    flag?: { name: string; value: StageSettings[K] | undefined }
  ) => {
    if (flag?.value !== undefined) return { value: flag.value, from: flag.name };
    if (stage !== undefined) return { value: stage[name], from: stageSource(stage) };
    return { value: DEFAULTS[name] as StageSettings[K], from: 'default' };
  };
  const mode: Sourced<Mode> =
    options.command === 'audit'
      ? { value: Mode.Audit, from: 'command audit' }
      : stage === undefined
        ? { value: Mode.Enforce, from: 'command sweep' }
        : { value: stage.mode, from: stageSource(stage) };
  return {
    mode,
    overrideForeignKeys: pick('overrideForeignKeys', {
      name: options.overrideForeignKeys === false ? '--no-override-foreign-keys' : '--override-foreign-keys',
      value: options.overrideForeignKeys,
    }),
    allowExemptions: pick('allowExemptions'),
    allowKeyTags: pick('allowKeyTags'),
    keyPolicyCheck: pick('keyPolicyCheck', { name: '--key-policy-check', value: options.keyPolicyCheck }),
    keyBudgetReserve: pick('keyBudgetReserve'),
    maxDriftRepairsPerDay: pick('maxDriftRepairsPerDay'),
  };
};

/** One stderr line per setting: `settings: keyPolicyCheck=warn (stage prod)`. */
export const settingsLines = (settings: Record<string, Sourced<unknown>>): string[] =>
  Object.entries(settings).map(([name, { value, from }]) => `settings: ${name}=${String(value)} (${from})`);
