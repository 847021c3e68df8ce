// Live simulation: play a producer → exchange → queue → consumer diagram, watch the
// consumer's processed count rise and dots appear on the canvas; Pause freezes the
// counters; Step advances; Reset returns to zero and replays identically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, contextWithDiagram, ARTIFACTS, DIST } from './lib/browser.mjs';

const scenario = {
  version: 1,
  seed: 5,
  latency_ms: 300,
  nodes: [
    { id: 'p', kind: 'producer', name: 'orders', x: 40, y: 120, producer: { rate_per_sec: 8, routing_key: 'work' } },
    { id: 'x', kind: 'exchange', name: 'tasks', x: 260, y: 120, exchange: { type: 'direct' } },
    { id: 'q', kind: 'queue', name: 'work', x: 480, y: 120 },
    { id: 'c', kind: 'consumer', name: 'worker', x: 720, y: 120, consumer: { prefetch: 2, processing: { dist: 'fixed', ms: 100 } } },
  ],
  edges: [
    { id: 'e1', from: 'p', to: 'x', kind: 'publish' },
    { id: 'e2', from: 'x', to: 'q', kind: 'binding', routing_key: 'work' },
    { id: 'e3', from: 'q', to: 'c', kind: 'subscription' },
  ],
};

const env = useBrowserAndServer();

async function processed(page) {
  const text = await page.locator('g[data-node-id="c"] .processed').textContent();
  return Number(text.replace(/\D+/g, ''));
}

async function paintedPixels(page) {
  return page.evaluate(() => {
    const c = document.querySelector('canvas.messages-layer');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
    return n;
  });
}

test('play, pause, step and reset a running diagram', async () => {
  const context = await contextWithDiagram(env.browser, scenario);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('g[data-node-id="c"] .processed').waitFor();
  assert.equal(await processed(page), 0);
  assert.match(await page.locator('#stats').innerText(), /t = 0\.000 s/);

  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => {
    const t = document.querySelector('g[data-node-id="c"] .processed')?.textContent ?? '';
    return Number(t.replace(/\D+/g, '')) >= 5;
  }, null, { timeout: 15000 });
  assert.ok((await paintedPixels(page)) > 0, 'dots are drawn on the canvas');
  assert.match(await page.locator('g[data-node-id="q"]').textContent(), /ready \d+/);
  assert.match(await page.locator('g[data-node-id="q"]').textContent(), /unacked \d+/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'live.png') });

  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForTimeout(300);
  const frozen = await processed(page);
  const clock = await page.locator('#stats .clock').innerText();
  await page.waitForTimeout(1000);
  assert.equal(await processed(page), frozen, 'Pause freezes the counters');
  assert.equal(await page.locator('#stats .clock').innerText(), clock, 'Pause freezes the clock');

  // Step processes one event at a time: within a few steps the status bar changes.
  const before = await page.locator('#stats').innerText();
  let changed = false;
  for (let i = 0; i < 10 && !changed; i += 1) {
    await page.getByRole('button', { name: 'Step' }).click();
    await page.waitForTimeout(100);
    changed = (await page.locator('#stats').innerText()) !== before;
  }
  assert.ok(changed, 'Step advances the simulation');

  await page.getByRole('button', { name: 'Reset' }).click();
  await page.waitForTimeout(300);
  assert.equal(await processed(page), 0, 'Reset returns the counters to zero');
  assert.match(await page.locator('#stats .clock').innerText(), /t = 0\.000 s/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('charts, event log with filters, and message traces', async () => {
  const context = await contextWithDiagram(env.browser, scenario);
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number((document.querySelector('g[data-node-id="c"] .processed')?.textContent ?? '').replace(/\D+/g, '')) >= 4);

  await page.getByRole('tab', { name: 'Charts' }).click();
  for (const title of ['Queue depth (ready)', 'Rates', 'End-to-end latency']) {
    await page.getByRole('img', { name: title }).waitFor();
  }
  await page.waitForTimeout(600);
  const inked = await page.evaluate(() => [...document.querySelectorAll('.chart canvas')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n += 1;
    return n;
  }));
  assert.ok(inked.every((n) => n > 200), `every chart drew lines: ${inked}`);

  await page.getByRole('tab', { name: 'Log' }).click();
  const log = page.getByRole('region', { name: 'Event log' });
  await log.locator('.log-row').first().waitFor();
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByLabel('Filter by event').selectOption('acked');
  const kinds = await log.locator('.log-kind').allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === 'acked'), `only acked rows: ${kinds.slice(0, 5)}`);
  await page.getByLabel('Filter by event').selectOption('');
  await page.getByLabel('Filter by node').selectOption('q');
  const texts = await log.locator('.log-text').allTextContents();
  assert.ok(texts.length > 0 && texts.every((t) => /work/.test(t)), 'only rows about the queue');

  await log.locator('.log-row').first().click();
  const trace = page.getByRole('region', { name: 'Message trace' });
  await trace.waitFor();
  assert.match(await trace.innerText(), /Message #\d+/);
  assert.match(await trace.innerText(), /published message/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'trace.png') });

  // Clicking a moving dot opens its trace too.
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(400);
  await page.getByRole('button', { name: 'Pause' }).click();
  const hit = await page.evaluate(() => {
    const c = document.querySelector('canvas.messages-layer');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const r = c.getBoundingClientRect();
    const scale = c.width / r.width;
    // A point well inside a dot: opaque where found and 3 px further down and right,
    // and not over an edge's label or a node (a click there selects it).
    const opaque = (x, y) => x < c.width && y < c.height && d[(y * c.width + x) * 4 + 3] > 200;
    for (let y = 0; y < c.height; y += 1) for (let x = 0; x < c.width; x += 1) {
      if (opaque(x, y) && opaque(x + 3, y + 3)) {
        const at = { x: r.left + (x + 3) / scale, y: r.top + (y + 3) / scale };
        if (!document.elementFromPoint(at.x, at.y)?.closest('.edge-label, [data-node-id]')) return at;
      }
    }
    return null;
  });
  assert.ok(hit, 'a dot is on screen');
  await page.mouse.click(hit.x, hit.y);
  await trace.waitFor();
  assert.match(await trace.innerText(), /Message #\d+/);
  await context.close();
});
