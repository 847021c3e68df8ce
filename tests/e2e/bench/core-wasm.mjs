// The core benchmark inside wasm only (qpBenchCore): hops/s for the 4-node, 50-node
// and Kafka topologies, three runs each (median), against the release build in dist/.
// Prints figures; asserts nothing. Run: node tests/e2e/bench/core-wasm.mjs [messages]
import { serve } from '../lib/server.mjs';
import { launch, DIST } from '../lib/browser.mjs';

const messages = Number(process.argv[2] ?? 200000);
const server = await serve(DIST, '/');
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.wasmBindings?.qpBenchCore, null, { timeout: 60000 });
  const core = JSON.parse(await page.evaluate((n) => window.wasmBindings.qpBenchCore(n), messages));
  console.log(`core throughput in wasm (${messages} messages a topology, median of 3):`);
  for (const r of core) {
    console.log(`  ${r.name.padEnd(8)} ${String(r.messages).padStart(8)} msgs ${String(r.hops).padStart(9)} hops  ${(r.hops_per_s / 1e6).toFixed(2)} M hops/s  conservation ${r.conservation ? 'held' : 'BROKEN'}`);
  }
} finally {
  await browser.close();
  await server.close();
}
