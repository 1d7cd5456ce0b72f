import { startLocalCloud } from '../../src/local/localCloud';
import { CallCounter, LAMBDA_EXECUTION_ENV } from './callCounter';
import { runScenario } from './scenario';
(async () => {
  const counter = new CallCounter();
  counter.install();
  const t0 = Date.now();
  const accounts = ['200000000001', '200000000002'];
  const cloud = await startLocalCloud({ accounts, createDurationMs: 3000, updateDurationMs: 2000, environment: { AWS_EXECUTION_ENV: LAMBDA_EXECUTION_ENV } });
  console.log('started', Date.now() - t0, cloud.endpoint, cloud.stateDir);
  await Promise.all(accounts.flatMap((a) => [cloud.lambda.invoke(a, 'us-east-1', {}), cloud.lambda.invoke(a, 'us-east-1', {})]));
  console.log('warm', Date.now() - t0);
  await cloud.idle();
  const r = await runScenario(cloud, counter, { id: 's', label: 'smoke', mode: 'concurrent', duplicateDeliveries: 1,
    streams: [{ account: accounts[0]!, name: 'a1' }, { account: accounts[0]!, name: 'a2' }, { account: accounts[0]!, name: 'a3' }, { account: accounts[1]!, name: 'b1' }] },
    { createMs: 3000, updateMs: 2000 }, console.log);
  console.log(JSON.stringify({ ...r, streams: r.streams.map(s => ({...s, createStartAt: undefined, completedAt: undefined, deliveredAt: undefined})) }, null, 1));
  const ops: Record<string, number> = {};
  for (const c of counter.calls) ops[`${c.caller} ${c.operation}`] = (ops[`${c.caller} ${c.operation}`] ?? 0) + 1;
  console.log(ops);
  const { execSync } = require('node:child_process');
  console.log(execSync(`ps -o rss,args --ppid ${process.pid} | cut -c1-120`).toString());
  await cloud.stop();
})().catch((e) => { console.error(e); process.exit(1); });
