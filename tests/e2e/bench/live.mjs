// Live-animation benchmark (figures only): opens ?pattern=stress&n=N (about N messages
// in flight on a 50-node diagram) for each N of the ladder, plays it, and measures the app's own
// requestAnimationFrame loop over 10 s: frame time p50/p95/max (its rAF timestamps),
// Chromium's own count of frames presented, late and dropped, and dots drawn per frame.
// Then runs the core benchmark inside wasm (qpBenchCore) for hops/s.
import path from 'node:path';
import { serve } from '../lib/server.mjs';
import { launch, DIST, ARTIFACTS } from '../lib/browser.mjs';
import { frameReporter, FRAME_TRACE_CATEGORIES } from '../lib/frames.mjs';
import fs from 'node:fs';

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const server = await serve(DIST, '/');
const browser = await launch();
// The ladder of the faster-and-lighter issue: about N messages in flight for each N
// (`?pattern=stress&n=N`); `node live.mjs 10000 50000` measures only those.
const ladder = process.argv.slice(2).map(Number).filter((n) => n > 0);
const sizes = ladder.length ? ladder : [10000, 20000, 50000, 100000];
try {
  let page;
  for (const n of sizes) {
    if (page) await page.close();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${server.url}?pattern=stress&n=${n}`);
    await page.locator('g[data-node-id]').nth(49).waitFor();
    console.log(`\n== about ${n} in flight (?pattern=stress&n=${n}); nodes: ${await page.locator('g[data-node-id]').count()}, edges: ${await page.locator('g[data-edge-id]').count()}`);
    await page.getByRole('button', { name: 'Play' }).click();
    // Let the pipeline fill: 3 hops × 1.5 s.
    await page.waitForTimeout(7000);
    await browser.startTracing(page, { categories: FRAME_TRACE_CATEGORIES });
    await page.evaluate(() => { window.__qpFrames = []; window.__qpRecordFrames = true; performance.mark('qp-measure-start'); });
    await page.waitForTimeout(10000);
    const frames = await page.evaluate(() => {
      window.__qpRecordFrames = false;
      performance.mark('qp-measure-end');
      return window.__qpFrames;
    });
    const reporter = frameReporter(await browser.stopTracing());
    const intervals = [];
    for (let i = 1; i < frames.length; i += 1) intervals.push(frames[i][0] - frames[i - 1][0]);
    // The interval after each frame that refreshed the counters (every 200 ms; the
    // panels re-render after it).
    const afterRefresh = [];
    for (let i = 0; i + 1 < frames.length; i += 1) {
      if (frames[i][2] - (frames[i][3] ?? 0) - (frames[i][4] ?? 0) > 0.3) afterRefresh.push(intervals[i]);
    }
    afterRefresh.sort((a, b) => a - b);
    intervals.sort((a, b) => a - b);
    const dots = frames.map((f) => f[1]).sort((a, b) => a - b);
    const work = frames.map((f) => f[2]).sort((a, b) => a - b);
    const step = frames.map((f) => f[3] ?? 0).sort((a, b) => a - b);
    const paint = frames.map((f) => f[4] ?? 0).sort((a, b) => a - b);
    const rest = frames.map((f) => f[2] - (f[3] ?? 0) - (f[4] ?? 0)).sort((a, b) => a - b);
    console.log(`frames in 10 s: ${frames.length} (${(frames.length / 10).toFixed(1)} fps)`);
    if (intervals.length) {
      console.log(`frame interval ms: p50 ${pct(intervals, 50).toFixed(2)}  p95 ${pct(intervals, 95).toFixed(2)}  max ${intervals[intervals.length - 1].toFixed(2)}`);
    }
    if (afterRefresh.length) {
      const late = afterRefresh.filter((v) => v > 20).length;
      console.log(`frames that refreshed the counters: ${afterRefresh.length}, ${late} of them late (interval over 20 ms)`);
    }
    if (reporter) {
      const began = reporter.presented + reporter.partial + reporter.dropped;
      console.log(`Chromium frame reporter: ${reporter.presented} presented, ${reporter.partial} partial (main thread late), ${reporter.dropped} dropped of ${began} frames` +
        ` → ${(100 * reporter.dropped / Math.max(1, began)).toFixed(1)} % dropped`);
    }
    if (work.length) {
      console.log(`loop work per frame ms (step + draw + counters): p50 ${pct(work, 50).toFixed(2)}  p95 ${pct(work, 95).toFixed(2)}  max ${work[work.length - 1].toFixed(2)}`);
      console.log(`  of which core step p50 ${pct(step, 50).toFixed(2)}  p95 ${pct(step, 95).toFixed(2)}; drawing p50 ${pct(paint, 50).toFixed(2)}  p95 ${pct(paint, 95).toFixed(2)}; counters p50 ${pct(rest, 50).toFixed(2)}  p95 ${pct(rest, 95).toFixed(2)}`);
      console.log(`dots drawn per frame: min ${dots[0]}  p50 ${pct(dots, 50)}  max ${dots[dots.length - 1]}`);
    }
    console.log(`status: ${await page.locator('#stats').innerText()}`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, `bench-stress-${n}.png`);
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
  }
  await page.getByRole('button', { name: 'Pause' }).click();
  const core = JSON.parse(await page.evaluate(() => window.wasmBindings.qpBenchCore(1000000)));
  for (const r of core) {
    console.log(`wasm core ${r.name}: ${r.messages} msgs, ${r.hops} hops in ${r.ms.toFixed(0)} ms = ${(r.hops_per_s / 1e6).toFixed(2)} M hops/s (conservation ${r.conservation ? 'held' : 'BROKEN'})`);
  }
} finally {
  await browser.close();
  await server.close();
}
