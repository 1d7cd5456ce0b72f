import { KinesisServiceException } from '@aws-sdk/client-kinesis';
import { accountFailure } from '../../../src/aws/accountFailure';
import { kinesisFailure } from '../../../src/aws/kinesisFailure';
import { kmsFailure } from '../../../src/aws/kmsFailure';
import { AccountUnreachableError, StreamNotFoundError } from '../../../src/domain/failures';

const SCOPE = { account: '333333333333', region: 'eu-west-1' };
const sdkError = (name: string) =>
  new KinesisServiceException({ name, $fault: 'client', message: `${name} from test`, $metadata: {} });

// "The security token included in the request is invalid" (UnrecognizedClientException / InvalidClientTokenId):
// a region not enabled for the account, or a closed account
// (https://blog.leapp.cloud/how-to-fix-aws-invalidclienttokenid-the-security-token-included-in-the-request-is-invalid).
describe('accountFailure', () => {
  it.each([
    ['UnrecognizedClientException', true],
    ['InvalidClientTokenId', true],
    ['AccessDeniedException', false],
    ['ResourceNotFoundException', false],
    ['ThrottlingException', false],
  ])('%s of another account → AccountUnreachableError: %s', (code, unreachable) => {
    // Prepare
    const error = sdkError(code);

    // Act
    const translated = accountFailure(error, SCOPE);

    // Assess
    if (unreachable) {
      expect(translated).toBeInstanceOf(AccountUnreachableError);
      expect(translated).toMatchObject({ account: '333333333333', code, retryable: false, cause: error });
      expect((translated as Error).message).toMatch(/account 333333333333 in eu-west-1/);
    } else {
      expect(translated).toBe(error);
    }
  });

  it.each([
    ['kinesisFailure', (error: unknown) => kinesisFailure(error, 'DescribeStreamSummary', 'arn')],
    ['kmsFailure', (error: unknown) => kmsFailure(error, 'alias/team')],
  ])('%s keeps an AccountUnreachableError as it is', (_label, translate) => {
    // Prepare
    const failure = accountFailure(sdkError('UnrecognizedClientException'), SCOPE);

    // Act
    const translated = translate(failure);

    // Assess
    expect(translated).toBe(failure);
    expect(translated).not.toBeInstanceOf(StreamNotFoundError);
  });
});
