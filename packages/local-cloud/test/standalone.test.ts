import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  type BusEvent,
  createKinesisRecorder,
  KINESIS_TARGET_PREFIX,
  LocalEventBridge,
  LocalGateway,
  startKinesisLocal,
} from '../src/index';

/*
 * The package on its own, as its README shows it: a gateway, kinesis-local behind the CloudTrail recorder, a bus.
 * A CreateStream call becomes the CloudTrail record EventBridge delivers ("AWS API Call via CloudTrail",
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kinesis.html), with the caller's account.
 */
describe('local cloud without any product wiring', () => {
  it('records a CreateStream call on the bus as a CloudTrail event of the caller account', async () => {
    // Prepare
    const gateway = new LocalGateway({});
    const endpoint = await gateway.start();
    const logFile = join(mkdtempSync(join(tmpdir(), 'local-cloud-')), 'kinesis.log');
    const kinesis = await startKinesisLocal({ createDurationMs: 100, updateDurationMs: 100, logFile });
    const bus = new LocalEventBridge({});
    const events: BusEvent[] = [];
    bus.on('event', (event: BusEvent) => events.push(event));
    const recorder = createKinesisRecorder({ upstream: kinesis.endpoint, onEvent: (event) => bus.publish(event) });
    gateway.register(KINESIS_TARGET_PREFIX, recorder.service);
    const client = new KinesisClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: '444455556666', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
    try {
      // Act
      await client.send(new CreateStreamCommand({ StreamName: 'standalone', ShardCount: 1 }));
      await recorder.idle();
      await bus.idle();

      // Assess
      expect(events).toEqual([
        expect.objectContaining({
          source: 'aws.kinesis',
          'detail-type': 'AWS API Call via CloudTrail',
          account: '444455556666',
          region: 'eu-west-1',
          detail: expect.objectContaining({
            eventName: 'CreateStream',
            requestParameters: expect.objectContaining({ streamName: 'standalone' }),
            userIdentity: expect.objectContaining({ type: 'IAMUser', accountId: '444455556666' }),
          }),
        }),
      ]);
    } finally {
      client.destroy();
      recorder.stop();
      await kinesis.stop();
      await gateway.stop();
    }
  });
});
