// Accessibility: axe-core (npm) on the main page, a pattern page and the embed page, and
// in the states a person is in (log and trace open while playing, a node's inspector
// while paused, the gallery open): no serious or critical violations. An edge's settings
// are reached by keyboard alone, through its node's Connections and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { useBrowserAndServer } from './lib/browser.mjs';

const env = useBrowserAndServer();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Serious and critical violations on the page now, as readable lines. */
async function violations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

for (const [what, query] of [['main page', ''], ['pattern page', '?pattern=dead-letter'], ['embed page', '?pattern=work-queue&embed=1'], ['Kafka pattern', '?pattern=kafka-replay']]) {
  test(`axe finds no serious violations: ${what}`, async () => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${env.server.url}${query}`);
    await page.locator('#canvas').waitFor();
    assert.deepEqual(await violations(page), [], `${what}, at load`);
    await page.close();
  });
}

test('axe finds no serious violations while playing, paused and with the gallery open', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  await page.getByLabel('Speed').selectOption({ index: 5 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.locator('.log-row').first().waitFor();
  assert.deepEqual(await violations(page), [], 'log while playing');
  await page.locator('.log-pick').first().click();
  assert.deepEqual(await violations(page), [], 'trace while playing');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('#canvas g[data-kind="queue"]').first().click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  assert.deepEqual(await violations(page), [], 'inspector while paused');
  await page.getByRole('button', { name: 'Gallery' }).click();
  await page.getByRole('dialog').waitFor();
  assert.deepEqual(await violations(page), [], 'gallery open');
  await page.close();
});

test('the light theme follows the system, the button switches and remembers it, and axe passes in it', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${env.server.url}?pattern=kafka-vs-rabbitmq`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await theme(), 'light', 'follows prefers-color-scheme');
  const light = await background();
  assert.deepEqual(await violations(page), [], 'light theme, at load');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.locator('.log-row').first().waitFor();
  assert.deepEqual(await violations(page), [], 'light theme, log while playing');
  await page.screenshot({ path: `${process.cwd()}/artifacts/theme-light.png` });
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.equal(await theme(), 'dark');
  assert.notEqual(await background(), light);
  await page.reload();
  await page.locator('#canvas [data-node-id]').first().waitFor();
  assert.equal(await theme(), 'dark', 'the choice is remembered over the system');
  await page.getByRole('button', { name: 'Light theme' }).click();
  assert.equal(await theme(), 'light');
  await context.close();
});

test('by keyboard alone: a node, its connection, the edge form, and back to the node', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  // Tab to the exchange `jobs` and select it with Enter.
  let found = false;
  for (let i = 0; i < 60 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.closest?.('g[data-node-id]')?.getAttribute('data-node-id') === 'jobs');
  }
  assert.ok(found, 'the exchange takes the focus');
  await page.keyboard.press('Enter');
  const binding = page.getByRole('button', { name: '→ image-jobs (binding, image.resize)' });
  await binding.waitFor();
  await binding.focus();
  await page.keyboard.press('Enter');
  // The edge's form: its binding key is there to change.
  const key = page.getByLabel('Binding key', { exact: true });
  await key.waitFor();
  assert.equal(await key.inputValue(), 'image.resize');
  assert.deepEqual(await violations(page), []);
  // Back to the node it comes from.
  await page.getByRole('button', { name: 'jobs', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: '→ image-jobs (binding, image.resize)' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
