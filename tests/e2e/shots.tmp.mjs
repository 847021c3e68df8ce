import { launch } from './lib/browser.mjs';
import { serve } from './lib/server.mjs';
import path from 'node:path';
const server = await serve(path.resolve('../../dist'));
const browser = await launch();
for (const id of process.argv.slice(2)) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}?pattern=${id}`);
  await page.locator('#canvas g[data-kind]').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/shots/${id}.png` });
  await page.close();
}
await browser.close();
await server.close();
