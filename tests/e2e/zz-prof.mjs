import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
const server = await serve('/tmp/zz/dist-names', '/');
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.wasmBindings?.qpBenchCore, null, { timeout: 60000 });
  await page.evaluate(() => window.wasmBindings.qpBenchCore(20000));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const core = await page.evaluate(() => window.wasmBindings.qpBenchCore(200000));
  const { profile } = await cdp.send('Profiler.stop');
  console.log(core);
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const dt = profile.timeDeltas; let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const name = (node.callFrame.functionName || '(anonymous)').slice(0, 150);
    const ms = (dt[i] ?? 0) / 1000; total += ms;
    self.set(name, (self.get(name) ?? 0) + ms);
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 45);
  for (const [name, ms] of rows) console.log(`${(100 * ms / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
} finally { await browser.close(); await server.close(); }
