// A priority queue draws its backlog by level: the fill bar split into one segment per
// level that holds messages, highest first, with the counts in its tooltip.
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
  // The segments and their tooltip are read in one evaluation, so they come from the same
  // drawn picture however fast the backlog drains (it can drain while Pause lands).
  const picture = await page.waitForFunction(() => {
    const ss = [...document.querySelectorAll('#canvas .prio-seg')];
    const title = document.querySelector('#canvas .priority-levels title');
    if (ss.length < 2 || !title) return null;
    return {
      segs: ss.map((s) => ({ level: Number(s.dataset.level), count: Number(s.dataset.count), x: Number(s.getAttribute('x')) })),
      tip: title.textContent,
    };
  }, null, { timeout: 30000 });
  const { segs, tip } = await picture.jsonValue();
  await page.getByRole('button', { name: 'Pause' }).click();
  // Highest level first, left to right.
  for (let i = 1; i < segs.length; i += 1) {
    if (segs[i].x > segs[i - 1].x) assert.ok(segs[i].level < segs[i - 1].level, JSON.stringify(segs));
  }
  assert.match(tip, /priority \d+: \d+ ready/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'priority-levels.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
