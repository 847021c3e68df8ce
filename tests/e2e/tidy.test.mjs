// Tidy: the layered layout from the toolbar (and the T key), on a pattern whose edges
// loop back; one Undo restores the layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const positions = (page) => page.$$eval('#canvas g[data-node-id]', (ns) => Object.fromEntries(ns.map((n) => [n.getAttribute('data-node-id'), [Number(n.getAttribute('data-x')), Number(n.getAttribute('data-y'))]])));

test('Tidy lays a diagram out left to right, by button and by key, and Undo restores it', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=retry-with-delay`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  const before = await positions(page);
  await page.getByRole('button', { name: 'Tidy layout' }).click();
  await page.waitForFunction((b) => {
    const n = document.querySelectorAll('#canvas g[data-node-id]');
    return [...n].some((g) => b[g.getAttribute('data-node-id')][0] !== Number(g.getAttribute('data-x')) || b[g.getAttribute('data-node-id')][1] !== Number(g.getAttribute('data-y')));
  }, before);
  const after = await positions(page);
  const boxes = await page.$$eval('#canvas g[data-node-id]', (ns) => ns.map((n) => { const r = n.querySelector('.shape').getBoundingClientRect(); return { id: n.getAttribute('data-node-id'), x: r.x, y: r.y, w: r.width, h: r.height }; }));
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, b] = [boxes[i], boxes[j]];
      assert.ok(!(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h), `${a.id} and ${b.id} overlap`);
    }
  }
  const edges = await page.$$eval('#canvas [data-edge-kind]', (es) => es.map((e) => [e.getAttribute('data-edge-kind'), e.getAttribute('data-from'), e.getAttribute('data-to')]));
  for (const [kind, from, to] of edges) {
    if (['publish', 'binding', 'subscription'].includes(kind)) assert.ok(after[to][0] > after[from][0], `${kind} ${from}→${to} points right`);
  }
  // Every node is in view after the fit.
  for (const b of boxes) assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= 1400 && b.y + b.h <= 900, `${b.id} in view`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'tidy-retry-with-delay.png') });
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.deepEqual(await positions(page), before, 'one Undo restores the layout');
  // The T key does the same.
  await page.locator('#canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('t');
  await page.waitForFunction((a) => [...document.querySelectorAll('#canvas g[data-node-id]')].every((g) => a[g.getAttribute('data-node-id')][0] === Number(g.getAttribute('data-x'))), after);
  assert.deepEqual(errors, []);
  await page.close();
});
