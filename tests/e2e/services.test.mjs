// Services and synchronous calls on the canvas: a client, a service and a second service
// built from the palette (call edges made by the drag rules), served counts and the
// worker slots; sync-vs-async looked at paused while inventory is down (the sync lane's
// call edge failing, the async lane's queue filling); cascading-failure's breaker shown
// open on its edge; a call edge's settings changed in the inspector while stopped; the
// same diagram on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const clockSeconds = (page) => page.$eval('#stats .clock', (e) => Number((e.textContent.match(/([\d.]+) s/) ?? [0, 0])[1]));
const figure = (page, node, name) => page.$eval(`#canvas g[data-node-id="${node}"] .counters`, (t, n) => Number(t.getAttribute(`data-${n}`)), name);

test('a client, a service and a second service from the palette: calls and their answers', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  for (const name of ['Producer', 'Service', 'Service']) {
    await page.getByRole('button', { name, exact: true }).click();
  }
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 3);
  assert.equal(await page.locator('#canvas g[data-kind="service"]').count(), 2);
  assert.equal(await page.locator('#canvas [data-edge-kind="call"]').count(), 2, 'producer → service and service → service are calls');
  assert.equal(await page.locator('#canvas g[data-kind="service"]').first().getAttribute('aria-label'), 'service-1');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => {
    const t = document.querySelector('#canvas g[data-kind="service"] .counters');
    return Number(t?.getAttribute('data-served') ?? 0) >= 2;
  }, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  const text = await page.locator('#canvas g[data-kind="service"] .counters').first().textContent();
  assert.match(text, /busy \d+\/4 · backlog \d+ · served \d+/);
  // Four worker slots are drawn on each service.
  assert.equal(await page.locator('#canvas g[data-kind="service"]').first().locator('rect.slot').count(), 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('sync-vs-async while inventory is down: calls fail above, the queue buffers below', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sync-vs-async`);
  await page.locator('#canvas g[data-node-id="inv"]').waitFor();
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play' }).click();
  // Pause inside the outage (10–25 s), once the async lane's queue holds a backlog.
  await page.waitForFunction(() => {
    const m = (document.querySelector('#stats .clock')?.textContent ?? '').match(/([\d.]+) s/);
    const visible = Number(document.querySelector('#canvas g[data-node-id="orders"] .counters')?.textContent.match(/visible (\d+)/)?.[1] ?? 0);
    return m && Number(m[1]) >= 17 && visible >= 10;
  }, null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  const t = await clockSeconds(page);
  assert.ok(t < 25, `paused inside the outage (t = ${t})`);
  // Both inventories are down; the sync cart answered with errors, the async one never.
  assert.match(await page.locator('#canvas g[data-node-id="inv"] .counters').textContent(), /down/);
  assert.ok(await figure(page, 'cart', 'failed') > 0, 'the sync cart answered errors');
  assert.equal(await figure(page, 'cart2', 'failed'), 0);
  assert.ok(await figure(page, 'cart2', 'served') >= 40);
  // Retries multiply the load on inventory: its call edge says how many attempts a call
  // takes, in place of its retry count.
  const load = await page.$eval('#canvas .edge-label[data-label-for="c2"]', (g) => Number(g.getAttribute('data-load')));
  assert.ok(load > 1.2, `attempts per call ${load}`);
  assert.match(await page.locator('#canvas .edge-label[data-label-for="c2"] text').textContent(), /call 2 s · ×\d\.\d/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'sync-vs-async-inventory-down.png') });
  // Paused, the inspector shows a service's settings and the log says what the calls did.
  await page.locator('#canvas g[data-node-id="cart"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  assert.equal(await page.getByLabel('Workers').inputValue(), '8');
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.waitForFunction(() => /refused|error reply/.test(document.querySelector('.side-panel')?.textContent ?? ''), null, { timeout: 5000 });
  // A call's row opens its trace: the attempts and how each ended (review: it was empty).
  const log = page.getByRole('region', { name: 'Event log' });
  // (A call's end has no parcel of its own: its row is picked by the call's message.)
  await page.getByLabel('Filter by event').selectOption('call_ended');
  await log.locator('.log-row').first().click();
  const trace = page.getByRole('region', { name: 'Message trace' });
  await trace.waitFor();
  assert.match(await trace.innerText(), /called/);
  assert.match(await trace.innerText(), /'s call to /);
  assert.deepEqual(errors, []);
  await page.close();
});

test('cascading-failure: the breaker on orders → payments opens, and says so on its edge', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=cascading-failure`);
  await page.locator('#canvas g[data-node-id="payments2"]').waitFor();
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelector('#canvas .edge-label[data-label-for="b3"]')?.getAttribute('data-breaker') === 'open',
    null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.match(await page.locator('#canvas .edge-label[data-label-for="b3"] text').textContent(), /call 2 s · (open|half-open|closed)/);
  // The unprotected lane's web workers are all taken.
  await page.screenshot({ path: path.join(ARTIFACTS, 'cascading-failure-breaker.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a call edge edited in the inspector while stopped, by keyboard', async () => {
  const page = await env.browser.newPage({ viewport: { width: 800, height: 600 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sync-vs-async`);
  await page.locator('#canvas .edge-label[data-label-for="c2"]').waitFor();
  await page.locator('#canvas .edge-label[data-label-for="c2"]').click();
  // At this size the side panel is a drawer: open it.
  if (!(await page.locator('#side-panel').isVisible())) {
    await page.getByRole('button', { name: 'Panel' }).click();
  }
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const retries = page.getByLabel('Retries');
  assert.equal(await retries.inputValue(), '2');
  await retries.fill('5');
  await retries.press('Enter');
  await page.waitForFunction(() => /5×retry/.test(document.querySelector('#canvas .edge-label[data-label-for="c2"]')?.textContent ?? ''));
  // A bad value is refused with a message, and the edge keeps its setting.
  await retries.fill('99');
  await retries.press('Enter');
  await page.getByRole('alert').filter({ hasText: /20|at most|between/ }).first().waitFor();
  assert.match(await page.locator('#canvas .edge-label[data-label-for="c2"]').textContent(), /5×retry/);
  // The breaker's fields appear when it is switched on.
  await page.getByLabel('Circuit breaker').check();
  await page.getByLabel('Failures to open').waitFor();
  await page.waitForFunction(() => /breaker/.test(document.querySelector('#canvas .edge-label[data-label-for="c2"]')?.textContent ?? ''));
  assert.deepEqual(errors, []);
  await page.close();
});

test('sync-vs-async on a phone', async () => {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sync-vs-async`);
  await page.locator('#canvas g[data-node-id="cart"]').waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-node-id="cart"] .counters')?.getAttribute('data-served') ?? 0) >= 1,
    null, { timeout: 20000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'sync-vs-async-phone.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
