import {
  type GatewayFault,
  injectFault,
  KMS_TARGET_PREFIX,
  LocalGateway,
  LocalKms,
  type LocalRequest,
} from '../../../tools/dev';

/** Sends one AWS JSON request signed (scope only) as `account`; returns status and error type. */
const call = async (
  url: string,
  target: string,
  account = '111111111111'
): Promise<{ status: number; type: string | null }> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=${account}/20250101/us-east-1/service/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: '{}',
  });
  await response.arrayBuffer();
  return { status: response.status, type: response.headers.get('x-amzn-errortype') };
};

describe('LocalGateway fault injection', () => {
  let gateway: LocalGateway;
  let url: string;
  const served: LocalRequest[] = [];

  beforeAll(async () => {
    gateway = new LocalGateway();
    const service = async (req: LocalRequest) => {
      served.push(req);
      return { status: 200, body: {} };
    };
    gateway.register('DynamoDB_20120810', service);
    gateway.register('AWSStepFunctions', service);
    url = await gateway.start();
  });

  afterEach(() => {
    served.length = 0;
  });

  afterAll(async () => {
    await gateway.stop();
  });

  it.each<{ fault: GatewayFault; calls: [string, string?][]; expected: (number | string)[] }>([
    {
      fault: { target: 'DynamoDB_20120810', errorType: 'ServiceUnavailable', status: 503 },
      calls: [['DynamoDB_20120810.PutItem'], ['DynamoDB_20120810.GetItem'], ['AWSStepFunctions.StartExecution']],
      expected: ['503 ServiceUnavailable', '503 ServiceUnavailable', 200],
    },
    {
      fault: { target: 'AWSStepFunctions.StartExecution', errorType: 'ThrottlingException', count: 2 },
      calls: [
        ['AWSStepFunctions.StartExecution'],
        ['AWSStepFunctions.DescribeExecution'],
        ['AWSStepFunctions.StartExecution'],
        ['AWSStepFunctions.StartExecution'],
      ],
      expected: ['400 ThrottlingException', 200, '400 ThrottlingException', 200],
    },
    {
      fault: { target: 'DynamoDB_20120810', account: '222222222222', errorType: 'InternalServerError' },
      calls: [
        ['DynamoDB_20120810.PutItem', '111111111111'],
        ['DynamoDB_20120810.PutItem', '222222222222'],
      ],
      expected: [200, '500 InternalServerError'],
    },
  ])('answers $fault.target with $fault.errorType only where it applies', async ({ fault, calls, expected }) => {
    // Prepare
    const handle = injectFault(gateway, fault);

    // Act
    const results: (number | string)[] = [];
    for (const [target, account] of calls) {
      const { status, type } = await call(url, target, account);
      results.push(status === 200 ? status : `${status} ${type}`);
    }
    handle.clear();

    // Assess
    expect(results).toEqual(expected);
    expect(handle.injected).toBe(expected.filter((result) => result !== 200).length);
    expect(served).toHaveLength(expected.filter((result) => result === 200).length);
  });

  it('serves again once a fault is cleared and lets interceptors see and change responses', async () => {
    // Prepare
    const handle = injectFault(gateway, { target: 'DynamoDB_20120810', errorType: 'ServiceUnavailable', status: 503 });
    const seen: string[] = [];
    const remove = gateway.intercept(async (req, next) => {
      seen.push(req.operation);
      const response = await next();
      return {
        ...response,
        headers: { ...response.headers, 'x-amzn-errortype': response.headers?.['x-amzn-ErrorType'] ?? 'Seen' },
      };
    });

    // Act
    const during = await call(url, 'DynamoDB_20120810.PutItem');
    handle.clear();
    const after = await call(url, 'DynamoDB_20120810.PutItem');
    remove();
    const removed = await call(url, 'DynamoDB_20120810.PutItem');

    // Assess
    expect(during).toEqual({ status: 503, type: 'ServiceUnavailable' });
    expect(after).toEqual({ status: 200, type: 'Seen' });
    expect(removed).toEqual({ status: 200, type: null });
    expect(seen).toEqual(['PutItem']);
    expect(handle.injected).toBe(1);
  });
});

describe('LocalGateway fault injection in front of the local KMS', () => {
  const KEY_ID = '0b4b4a6c-5c7e-4f3e-9d8e-1a2b3c4d5e6f';
  let gateway: LocalGateway;
  let url: string;
  let served: string[];

  beforeAll(async () => {
    gateway = new LocalGateway();
    const kms = new LocalKms([{ keyId: KEY_ID }]);
    gateway.register(KMS_TARGET_PREFIX, async (req) => {
      served.push(req.operation);
      return kms.service(req);
    });
    url = await gateway.start();
  });

  afterAll(async () => {
    await gateway.stop();
  });

  // KMS errors: https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html#API_DescribeKey_Errors
  it.each([
    { errorType: 'KMSInternalException', status: 500 },
    { errorType: 'ThrottlingException', status: 400 },
  ])('the next DescribeKey calls fail with $errorType, then KMS answers', async ({ errorType, status }) => {
    // Prepare
    served = [];
    const handle = injectFault(gateway, { target: KMS_TARGET_PREFIX, count: 2, errorType });

    // Act
    const responses: { status: number; type: unknown }[] = [];
    for (let call = 0; call < 3; call++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'TrentService.DescribeKey',
          authorization: 'AWS4-HMAC-SHA256 Credential=111111111111/20250101/eu-west-1/kms/aws4_request, Signature=0',
        },
        body: JSON.stringify({ KeyId: KEY_ID }),
      });
      const json = (await response.json()) as { __type?: unknown };
      responses.push({ status: response.status, type: json.__type });
    }

    // Assess
    expect(responses.map((response) => response.status)).toEqual([status, status, 200]);
    expect(responses[0]?.type).toBe(errorType);
    expect(handle.injected).toBe(2);
    expect(served).toEqual(['DescribeKey']);
  });
});
