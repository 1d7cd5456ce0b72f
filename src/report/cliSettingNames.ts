import type { SettingNames } from '../domain/reason';

/**
 * The CLI's language for the setting that decided: its command (`audit` / `sweep`) or flag, never an environment
 * variable. Settings the CLI has no flag for are said in words.
 */
export const asCliFlag: SettingNames = (decidedBy) => {
  switch (decidedBy.setting) {
    case 'mode':
      return decidedBy.value === 'audit' ? 'audit' : 'sweep';
    case 'overrideForeignKeys':
      return decidedBy.value ? '--override-foreign-keys' : 'without --override-foreign-keys';
    case 'keyPolicyCheck':
      return `--key-policy-check ${decidedBy.value}`;
    case 'keyBudgetReserve':
      return `${decidedBy.value} key applications kept in reserve`;
    case 'maxDriftRepairsPerDay':
      return `at most ${decidedBy.value} drift repairs per 24 h`;
  }
};
