import type { KeyPolicyMode } from './keyCheck';
import type { Mode } from './streamPolicy';

/**
 * The setting of the policy that decided an outcome, with its value. The domain names a setting by its field of
 * {@link Policy} (the deployment's parameter of the same name); each reader renders it in its own language
 * ({@link SettingNames}): the pipeline its deployment parameters, the CLI its flags. Never an environment variable.
 */
export type DecidingSetting =
  | { setting: 'mode'; value: Mode }
  | { setting: 'overrideForeignKeys'; value: boolean }
  | { setting: 'keyPolicyCheck'; value: KeyPolicyMode }
  | { setting: 'keyBudgetReserve'; value: number }
  | { setting: 'maxDriftRepairsPerDay'; value: number };

/** How a reader names a deciding setting and its value. */
export type SettingNames = (decidedBy: DecidingSetting) => string;

/** The deployment's language: the stage parameter and its value, e.g. `mode=audit`, `overrideForeignKeys=false`. */
export const asDeploymentParameter: SettingNames = ({ setting, value }) => `${setting}=${String(value)}`;

/** A reason with the setting that decided it, in the reader's language: `<text> (<setting>)`. */
export const reasonText = (
  text: string,
  decidedBy: DecidingSetting | undefined,
  names: SettingNames = asDeploymentParameter
): string => (decidedBy === undefined ? text : `${text} (${names(decidedBy)})`);
