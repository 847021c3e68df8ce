import { launch } from './lib/browser.mjs';
import { serve } from './lib/server.mjs';
import path from 'node:path';
import fs from 'node:fs';
const server = await serve(path.resolve('../../dist'));
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${server.url}?pattern=work-queue`);
await page.locator('#canvas g[data-kind]').first().waitFor();
const steps = fs.readFileSync('/tmp/zz/steps20k.json', 'utf8');
await page.getByRole('tab', { name: 'Script' }).click();
const script = page.getByRole('region', { name: 'Script' });
await script.getByText('Edit as JSON').click();
const ta = script.getByLabel('Script (JSON)');
await ta.evaluate((t, s) => { t.value = s; }, steps);
const prof = process.argv[2] === 'prof';
let cdp;
if (prof) { cdp = await page.context().newCDPSession(page); await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', {interval: 500}); await cdp.send('Profiler.start'); }
const t0 = Date.now();
await script.getByRole('button', { name: 'Apply' }).evaluate((b) => b.click());
await page.waitForFunction(() => document.querySelector('.script-pages span')?.textContent.includes('of 20000'), null, { timeout: 120000 });
const t1 = Date.now();
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
console.log('apply->list', t1 - t0, 'ms; next frame', Date.now() - t0);
if (prof) {
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map(); const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const dt = profile.timeDeltas; const counts = new Map();
  profile.samples.forEach((s, i) => counts.set(s, (counts.get(s) || 0) + (dt[i] || 0)));
  for (const [id, t] of counts) { const n = byId.get(id); const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; self.set(k, (self.get(k) || 0) + t); }
  [...self].sort((a, b) => b[1] - a[1]).slice(0, 30).forEach(([k, t]) => console.log((t / 1000).toFixed(0).padStart(7), k));
}
await browser.close(); await server.close();
