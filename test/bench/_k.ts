import { CreateStreamCommand, DescribeStreamSummaryCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { localKinesisClient } from '../../src/local/demo';
import { startKinesisLocal } from '../../src/local/kinesisLocal';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
(async () => {
  const k = await startKinesisLocal({ createDurationMs: 5000, updateDurationMs: 3000, logFile: '/tmp/kl.log' });
  const a = localKinesisClient(k.endpoint, '200000000001', 'us-east-1');
  const b = localKinesisClient(k.endpoint, '200000000002', 'us-east-1');
  const t0 = Date.now();
  const watch = async (c: any, name: string, until: number) => { let last = ''; while (Date.now() - t0 < until) { try { const s = (await c.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary; const v = `${s.StreamStatus} ${s.EncryptionType}`; if (v !== last) { console.log(Date.now() - t0, name, v); last = v; if (v === 'ACTIVE NONE' ) { await c.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' })); console.log(Date.now() - t0, name, 'encrypt'); } } } catch (e) { } await sleep(100); } };
  await a.send(new CreateStreamCommand({ StreamName: 'a0', ShardCount: 1 })); console.log(Date.now() - t0, 'created a0');
  const w1 = watch(a, 'a0', 16000);
  await sleep(2500);
  await b.send(new CreateStreamCommand({ StreamName: 'b0', ShardCount: 1 })); console.log(Date.now() - t0, 'created b0');
  const w2 = watch(b, 'b0', 16000);
  await Promise.all([w1, w2]);
  await k.stop();
})();
