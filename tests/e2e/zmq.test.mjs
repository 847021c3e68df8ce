// ZeroMQ on the canvas: a producer dragged-free build (palette Producer then Consumer
// makes a push pipe), the pipe's fill drawn on its label, zeromq-distributor with the
// slow instance looked at paused (round-robin fills C's pipe, least-recently-used does
// not), and zeromq-pubsub's blocked pusher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const queued = (page, edge) => page.$eval(`#canvas .edge-label[data-label-for="${edge}"] .pipe-fill`, (g) => Number(g.getAttribute('data-queued')));

test('a ZeroMQ device from the palette, and a push pipe between a producer and a worker', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  for (const name of ['Producer', 'ZeroMQ device', 'Consumer']) {
    await page.getByRole('button', { name, exact: true }).click();
  }
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 3);
  assert.equal(await page.locator('#canvas [data-edge-kind="push"]').count(), 2);
  assert.equal(await page.locator('#canvas g[data-kind="zmq-device"]').getAttribute('aria-label'), 'zmq-device-1');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-kind="zmq-device"] .counters')?.getAttribute('data-forwarded') ?? 0) >= 2,
    null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.ok(await page.locator('#canvas .edge-label .pipe-fill').count() >= 2, 'pipes show their fill');
  assert.deepEqual(errors, []);
  await page.close();
});

test('zeromq-distributor: the slow instance behind blind round-robin and behind LRU', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=zeromq-distributor`);
  await page.locator('#canvas g[data-node-id="rr"]').waitFor();
  await page.getByLabel('Speed').selectOption({ index: 5 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas .edge-label[data-label-for="e4"] .pipe-fill')?.getAttribute('data-queued') ?? 0) >= 8,
    null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  const blind = await queued(page, 'e4');
  const lru = await queued(page, 'e8');
  // Read after the pause: C may have taken one or two since the wait saw 8.
  assert.ok(blind >= 5 && lru <= 1, `round-robin C pipe ${blind}, LRU C pipe ${lru}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'zeromq-distributor-slow-instance.png') });
  // Switch the blind device to LRU in the inspector while paused: the run restarts
  // with both lanes alike.
  await page.locator('#canvas g[data-node-id="rr"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByLabel('Distribution').selectOption('least-recently-used');
  await page.locator('#canvas g[data-node-id="rr"] .detail, #canvas g[data-node-id="rr"] .counters').first().waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('zeromq-pubsub: PUB drops for the slow archive, PUSH blocks its pusher', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=zeromq-pubsub`);
  await page.locator('#canvas g[data-node-id="push"]').waitFor();
  const labels = await page.$$eval('#canvas .edge-label.pub', (ls) => ls.map((l) => l.textContent));
  assert.ok(labels.some((t) => t.includes('"weather"')), JSON.stringify(labels));
  await page.getByLabel('Speed').selectOption({ index: 4 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelector('#canvas g[data-node-id="push"] .blocked-flag'), null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await queued(page, 'e4'), 10, 'the push pipe is full');
  await page.screenshot({ path: path.join(ARTIFACTS, 'zeromq-pubsub-blocked.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
