import { serve } from './lib/server.mjs';
import { launch, DIST } from './lib/browser.mjs';
const server = await serve(DIST, '/');
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(`${server.url}?pattern=sqs-dead-letter-redrive`);
  await page.locator('#canvas g[data-kind="sqs-queue"]').first().waitFor();
  await page.locator('#canvas g[data-kind="sqs-queue"]').first().click();
  const panel = page.getByRole('button', { name: 'Panel' });
  if (await panel.isVisible()) await panel.click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByLabel('FIFO queue').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: '/tmp/zz/shots/fifo-800.png' });
  const err = await page.locator('.field-error').allTextContents();
  console.log('errors', err);
  console.log(await page.$$eval('#canvas g[data-kind="sqs-queue"]', (es) => es.map((e) => e.getAttribute('aria-label'))));
} finally { await browser.close(); await server.close(); }
