// An imported definitions.json (no producers) is laid out by Tidy and offered a
// producer and a consumer, so Play shows messages at once; and "Connect to…" in the
// inspector draws an edge without a mouse drag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/definitions/dlx-ttl-maxlength.json');

test('an import is offered a producer and a consumer, and then it runs', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByLabel('Scenario or definitions file').setInputFiles(FIXTURE);
  await page.locator('#canvas g[data-kind="queue"]').first().waitFor();
  assert.equal(await page.locator('#canvas g[data-kind="producer"]').count(), 0);
  const offer = page.getByRole('button', { name: 'Add a producer and a consumer' });
  await offer.click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind="producer"]').length === 1
    && document.querySelectorAll('#canvas g[data-kind="consumer"]').length === 1);
  assert.equal(await offer.count(), 0, 'the offer goes once there is a producer');
  await page.getByLabel('Speed').selectOption({ index: 5 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => /processed [1-9]/.test(document.querySelector('#canvas g[data-kind="consumer"] .counters')?.textContent ?? ''), null, { timeout: 20000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'import-with-clients.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Connect to… in the inspector connects the selected node by keyboard', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  // Two nodes placed apart with nothing selected in between: a producer, then (with
  // nothing selected) an exchange.
  await page.getByRole('button', { name: 'Producer', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Exchange', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 2);
  assert.equal(await page.locator('#canvas [data-edge-kind]').count(), 0);
  const producer = page.locator('#canvas g[data-kind="producer"]');
  await producer.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const picker = page.getByLabel('Connect to');
  await picker.focus();
  assert.match(await picker.locator('option').first().textContent(), /exchange exchange-1 \(publish\)/);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas [data-edge-kind="publish"]').length === 1);
  await page.close();
});

test('idle parts are marked with the reason', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByRole('button', { name: 'Producer', exact: true }).click();
  const mark = page.locator('#canvas g[data-kind="producer"] .idle-mark');
  await mark.waitFor();
  assert.match(await mark.locator('title').textContent(), /not connected/);
  // Wired to an exchange, the producer is fine; the exchange without bindings is not.
  await page.getByRole('button', { name: 'Exchange', exact: true }).click();
  await page.waitForFunction(() => !document.querySelector('#canvas g[data-kind="producer"] .idle-mark'));
  assert.match(await page.locator('#canvas g[data-kind="exchange"] .idle-mark title').textContent(), /unroutable/);
  await page.close();
});
