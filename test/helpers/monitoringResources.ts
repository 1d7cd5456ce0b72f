import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCloudFormationYaml } from './cloudFormationYaml';
import type { CloudFormationTemplate } from './packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..');

/** Logical ids of the monitoring resources: deploy/monitoring.yml's and those osls derives from recordMetrics. */
export const monitoringResourceIds = (template: CloudFormationTemplate): string[] => {
  const text = readFileSync(join(REPO_ROOT, 'deploy', 'monitoring.yml'), 'utf8');
  const declared = Object.keys(parseCloudFormationYaml(text).Resources);
  return [...declared, ...Object.keys(template.Resources).filter((id) => id.startsWith('RecordMetricsLambda'))];
};

/** The template without its monitoring resources: the trigger and confirmation path only. */
export const withoutMonitoring = (template: CloudFormationTemplate): CloudFormationTemplate => {
  const excluded = new Set(monitoringResourceIds(template));
  return {
    ...template,
    Resources: Object.fromEntries(Object.entries(template.Resources).filter(([id]) => !excluded.has(id))),
  };
};
