import { serve } from './lib/server.mjs';
import { launch, DIST } from './lib/browser.mjs';
const server = await serve(DIST, '/');
const browser = await launch();
const [w, h] = (process.env.VP ?? '1400x900').split('x').map(Number);
try {
  for (const id of process.argv.slice(2)) {
    const page = await browser.newPage({ viewport: { width: w, height: h } });
    await page.goto(`${server.url}?pattern=${id}`);
    await page.locator('#canvas g[data-node-id]').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `/tmp/zz/shots/${id}-${w}.png` });
    await page.close();
  }
} finally { await browser.close(); await server.close(); }
