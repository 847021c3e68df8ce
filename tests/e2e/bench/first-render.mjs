// First-render benchmark (figures only): a fresh browser context (nothing cached) opens
// the release build at ?pattern=ID on localhost, and the time from navigation start to
// the diagram drawn (the pattern's nodes in the DOM and a frame painted after them) is
// read from the page's own clock. Also when the loading screen first painted (Chromium's
// first-contentful-paint) and when the wasm finished arriving. Several runs per pattern.
// Run: bash scripts/bench-first-render.sh [runs] [pattern ...]
import { serve } from '../lib/server.mjs';
import { launch, DIST } from '../lib/browser.mjs';

const args = process.argv.slice(2);
const runs = Number(args[0]) > 0 ? Number(args.shift()) : 7;
const patterns = args.length ? args : ['work-queue', 'dead-letter', 'kafka-consumer-groups', 'stress'];
const pct = (s, p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];

const server = await serve(DIST, '/');
const browser = await launch();
try {
  for (const id of patterns) {
    const drawn = [];
    const fcp = [];
    const wasm = [];
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      // Watch for the diagram from the first script on: the moment its first node is in
      // the DOM, then the next animation frame (it has been painted by then).
      await page.addInitScript(() => {
        const seen = () => {
          if (window.__qpDrawn || !document.querySelector('#canvas g[data-node-id]')) return;
          window.__qpDrawn = -1;
          requestAnimationFrame(() => { window.__qpDrawn = performance.now(); });
        };
        new MutationObserver(seen).observe(document, { childList: true, subtree: true });
      });
      await page.goto(`${server.url}?pattern=${id}`);
      await page.waitForFunction(() => window.__qpDrawn > 0, null, { timeout: 30000 });
      const t = await page.evaluate(() => ({
        drawn: window.__qpDrawn,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        wasm: performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'))?.responseEnd ?? NaN,
      }));
      drawn.push(t.drawn);
      fcp.push(t.fcp);
      wasm.push(t.wasm);
      await context.close();
    }
    // (A figure the browser did not give, such as a first paint not recorded, is left out.)
    const sorted = (a) => a.filter(Number.isFinite).sort((x, y) => x - y);
    const line = (name, all) => {
      const a = sorted(all);
      if (a.length === 0) return `${name}: not reported`;
      const missing = all.length - a.length;
      return `${name} p50 ${pct(a, 50).toFixed(0)} ms (${a[0].toFixed(0)}–${a[a.length - 1].toFixed(0)})${missing ? ` [${missing} runs not reported]` : ''}`;
    };
    console.log(`?pattern=${id}, ${runs} cold loads: ${line('diagram drawn', drawn)}; ${line('loading screen painted', fcp)}; ${line('wasm arrived', wasm)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
