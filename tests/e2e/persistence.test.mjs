// A broker restart: the persistence pattern played past its scripted restart (orders
// keeps its persistent messages, events and cache are emptied, the timeline marks the
// losses); and a restart by hand from a queue's Now actions while paused, recorded in
// the Script tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const ready = (page, q) => page.$eval(`#canvas g[data-node-id="${q}"] .counters`, (t) => Number((t.textContent.match(/ready (\d+)/) ?? [0, -1])[1]));

test('persistence: what survives the scripted broker restart', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=persistence`);
  await page.locator('#canvas g[data-node-id="orders"]').waitFor();
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => {
    const m = (document.querySelector('#stats .clock')?.textContent ?? '').match(/([\d.]+) s/);
    return m && Number(m[1]) >= 20.5;
  }, null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  // Read just after the restart (the run went on while Pause landed): the timeline
  // brings it to 20.1 s exactly.
  await page.$eval('.timeline input[type=range]', (el) => { el.value = '20100'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => /t = 20\.100 s/.test(document.querySelector('#stats .clock')?.textContent ?? ''));
  assert.ok(await ready(page, 'orders') >= 20, 'orders kept its persistent messages');
  assert.ok(await ready(page, 'events') <= 2, 'events lost its transient messages');
  assert.ok(await ready(page, 'cache') <= 2, 'cache, a transient queue, lost everything');
  assert.ok(await page.locator('.timeline-marks rect.drop').count() > 0, 'the losses are marked');
  await page.screenshot({ path: path.join(ARTIFACTS, 'persistence-after-restart.png') });
  // Back before the restart on the timeline: every queue full again.
  await page.$eval('.timeline input[type=range]', (el) => { el.value = '19000'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => /t = 19\.000 s/.test(document.querySelector('#stats .clock')?.textContent ?? ''));
  assert.ok(await ready(page, 'events') >= 20);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a broker restart by hand, paused, is recorded in the script', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  const queue = page.locator('#canvas g[data-kind="queue"]').first();
  await queue.waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /t = [3-9]\./.test(document.querySelector('#stats .clock')?.textContent ?? ''), null, { timeout: 15000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await queue.click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Restart broker' }).click();
  await page.getByText('the broker restarted').waitFor();
  await page.getByRole('tab', { name: 'Script' }).click();
  await page.getByText('restart the RabbitMQ broker').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
