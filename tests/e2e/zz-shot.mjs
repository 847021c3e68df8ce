import { launch } from './lib/browser.mjs';
import { serve } from './lib/server.mjs';
import path from 'node:path';
const server = await serve(path.resolve('../../dist'));
const browser = await launch();
for (const [w, h, touch] of [[1400, 900, false], [390, 844, true]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, hasTouch: touch, isMobile: touch });
  const page = await ctx.newPage();
  await page.goto(`${server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-kind="queue"]').first().waitFor();
  const steps = Array.from({ length: 250 }, (_, i) => ({ op: 'publish', at_ms: i * 10, exchange: '', routing_key: 'tasks', payload: `p${i}` }));
  await page.getByRole('tab', { name: 'Script' }).click();
  const script = page.getByRole('region', { name: 'Script' });
  await script.getByText('Edit as JSON').click();
  await script.getByLabel('Script (JSON)').fill(JSON.stringify(steps));
  await script.getByRole('button', { name: 'Apply' }).click();
  await script.getByRole('button', { name: 'Later steps' }).click();
  await script.getByRole('navigation').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/zz/script-${w}.png` });
  await ctx.close();
}
await browser.close(); await server.close();
