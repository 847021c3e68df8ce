// A run that loops at one instant (latency_ms 0, a consumer that requeues in no time)
// stops with the reason in the status bar, pauses, and the app goes on working (a
// review found it ran out of memory, panicked and stopped answering).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ROOT } from './lib/browser.mjs';

const env = useBrowserAndServer();

test('a loop at one instant stops the run with its reason, and the app goes on', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByLabel('Scenario or definitions file').setInputFiles(path.join(ROOT, 'tests/fixtures/stall/requeue-loop.json'));
  await page.locator('#canvas g[data-node-id="c"]').waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.locator('#stats .problem').getByText(/Stopped: the run stopped at t = 0\.000 s.*latency_ms/).waitFor({ timeout: 60000 });
  // The whole reason is readable: wrapped, not cut off or wider than the page.
  const fits = await page.locator('#stats .problem').evaluate((p) => p.scrollWidth <= p.clientWidth + 1 && document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, 'the reason wraps inside the status bar');
  // Paused, with nothing further to play or step; Reset starts again from t = 0.
  assert.equal(await page.getByRole('button', { name: 'Pause' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Play' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Play' }).and(page.locator(':not([disabled])')).waitFor();
  assert.equal(await page.locator('#stats .problem').count(), 0);
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-node-id]').length === 5);
  assert.deepEqual(errors, []);
  await page.close();
});
