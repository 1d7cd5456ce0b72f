/**
 * The function environment of an organisation hub (DEPLOYMENT=org), over the unit tests' account environment.
 * Imported first by the organisation handler test, so the handler's cold start reads it.
 */
import { HANDLER_ENVIRONMENT } from './handlerEnvironment';

export const HUB_ACCOUNT = '123456789012';
export const HUB_ROLE_ARN = `arn:aws:iam::${HUB_ACCOUNT}:role/kinesis-auto-encrypt-member-hub`;
export const MEMBER_ROLE_NAME = 'kinesis-auto-encrypt-member';

Object.assign(process.env, {
  ...HANDLER_ENVIRONMENT,
  DEPLOYMENT: 'org',
  ORGANIZATION_ID: 'o-example123',
  MEMBER_REGIONS: 'eu-west-1,us-east-1',
  MEMBER_ROLE_NAME,
  HUB_ROLE_ARN,
  // The hub's own credentials (the clients' default chain) sign the hub's calls.
  AWS_ACCESS_KEY_ID: 'AKIAHUBFUNCTION',
  AWS_SECRET_ACCESS_KEY: 'test',
});
