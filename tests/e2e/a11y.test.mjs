// Accessibility: axe-core (npm) on the main page, a pattern page and the embed page, and
// in the states a person is in (log and trace open while playing, a node's inspector
// while paused, the gallery open): no serious or critical violations.
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
