// A priority queue draws its backlog by level: the fill bar split into one segment per
// level that holds messages, highest first, with the counts in its tooltip. An
// exchange made internal in the inspector keeps routing what other exchanges send it,
// and refuses what a client would publish to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

test('a priority queue shows its backlog per priority level', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=priority`);
  await page.locator('#canvas g[data-kind="queue"]').first().waitFor();
  await page.getByLabel('Speed').selectOption({ index: 5 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // A password reset waits behind the newsletter backlog for at most one handling
  // (150 ms), every 2 s: too brief to catch while playing fast on a busy machine. So the
  // run goes past the backlog, pauses, and the timeline is walked back through it in
  // 25 ms steps until the queue holds two levels (paused, the picture stays put).
  await page.waitForFunction(() => Number((document.querySelector('#stats .clock')?.textContent.match(/([\d.]+) s/) ?? [0, 0])[1]) >= 9,
    null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  const picture = await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const range = document.querySelector('.timeline input[type=range]');
    for (let ms = 2500; ms <= 9000; ms += 25) {
      range.value = String(ms);
      range.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      const ss = [...document.querySelectorAll('#canvas .prio-seg')];
      const title = document.querySelector('#canvas .priority-levels title');
      if (ss.length >= 2 && title) {
        return {
          segs: ss.map((s) => ({ level: Number(s.dataset.level), count: Number(s.dataset.count), x: Number(s.getAttribute('x')) })),
          tip: title.textContent,
        };
      }
    }
    return null;
  });
  assert.ok(picture, 'the queue held two priority levels at some moment of the backlog');
  const { segs, tip } = picture;
  // Highest level first, left to right.
  for (let i = 1; i < segs.length; i += 1) {
    if (segs[i].x > segs[i - 1].x) assert.ok(segs[i].level < segs[i - 1].level, JSON.stringify(segs));
  }
  assert.match(tip, /priority \d+: \d+ ready/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'priority-levels.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('an internal exchange: refused where a producer publishes, kept as a dead-letter exchange, refused by hand', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas g[data-node-id="orders-x"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const internal = page.getByLabel(/^Internal/);
  // The producer publishes to `orders`: it cannot be internal.
  await internal.click();
  await page.getByText(/exchange `orders` is internal: clients cannot publish to it/).first().waitFor();
  assert.equal(await internal.isChecked(), false, 'the refused change is not applied');
  assert.equal(await page.locator('#canvas g[data-node-id="orders-x"]').textContent().then((t) => /internal/.test(t)), false);
  // The dead-letter exchange can: only the broker publishes to it.
  await page.locator('#canvas g[data-node-id="dlx"]').click();
  await page.getByLabel(/^Internal/).check();
  await page.waitForFunction(() => /fanout · internal/.test(document.querySelector('#canvas g[data-node-id="dlx"]')?.textContent ?? ''));
  // Playing: rejected orders still reach the DLQ through it.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.locator('#canvas g[data-node-id="dlx"]').click();
  const now = page.getByRole('region', { name: 'Now' });
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText(/exchange `orders.dlx` is internal: clients cannot publish to it/).waitFor();
  await page.waitForFunction(() => {
    const g = document.querySelector('#canvas g[data-node-id="dlq"]');
    return g && /[1-9]/.test(g.querySelector('.counters')?.textContent ?? '');
  }, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: path.join(ARTIFACTS, 'internal-exchange.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
