// Where a live frame's time goes in the browser (figures only): plays
// ?pattern=stress&n=N, records a 4 s CPU profile with Chromium's profiler, and prints
// the functions with the most self time (wasm functions by index unless the build
// keeps names; browser work such as putImageData, layout and GC by name).
// Run: node tests/e2e/bench/profile-live.mjs [N]
import { serve } from '../lib/server.mjs';
import { launch, DIST } from '../lib/browser.mjs';


const n = Number(process.argv[2] ?? 50000);
const server = await serve(DIST, '/');
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${server.url}?pattern=stress&n=${n}`);
  await page.locator('g[data-node-id]').nth(49).waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(7000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(4000);
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const dt = profile.timeDeltas;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url ? node.callFrame.url.split('/').pop() : ''}`;
    const ms = (dt[i] ?? 0) / 1000;
    total += ms;
    self.set(name, (self.get(name) ?? 0) + ms);
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  console.log(`profile of ${(total / 1000).toFixed(1)} s at about ${n} in flight; self time:`);
  for (const [name, ms] of rows) console.log(`${(100 * ms / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
} finally {
  await browser.close();
  await server.close();
}
