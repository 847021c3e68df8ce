import { serve } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';
const server = await serve(process.argv[2], '/');
const browser = await launch();
const agg = new Map(); let total = 0;
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.addInitScript(() => {
    const seen = () => {
      if (window.__qpDrawn || !document.querySelector('#canvas g[data-node-id]')) return;
      window.__qpDrawn = -1;
      requestAnimationFrame(() => { window.__qpDrawn = performance.now(); });
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${server.url}?pattern=work-queue`);
  await page.waitForFunction(() => window.__qpDrawn > 0);
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (let k = 0; k < profile.samples.length; k++) {
    const dt = (profile.timeDeltas[k + 1] ?? 0) / 1000;
    // inclusive: every distinct function on the stack
    const seenNames = new Set();
    let id = profile.samples[k];
    while (id !== undefined) {
      const n = byId.get(id);
      const name = n.callFrame.functionName || n.callFrame.url.split('/').pop() || '(root)';
      if (!seenNames.has(name)) { seenNames.add(name); agg.set(name, (agg.get(name) ?? 0) + dt); }
      id = parent.get(id);
    }
    total += dt;
  }
  await context.close();
}
const rows = [...agg].sort((a, b) => b[1] - a[1]).slice(0, 70);
for (const [n, t] of rows) console.log(`${(t / 5).toFixed(1).padStart(7)} ms  ${n.slice(0, 150)}`);
await browser.close(); await server.close();
