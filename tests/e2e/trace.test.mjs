// A picked message stays traced after its copy is acked or dropped: picking an "acked"
// row of the log opens that message's whole history, which stays while the run goes on
// and after Pause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

test('a finished message picked from the log keeps its trace', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=retry-with-delay`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.locator('.log-row.acked .log-pick').first().waitFor({ timeout: 20000 });
  await page.locator('.log-row.acked .log-pick').first().click();
  const trace = page.getByRole('region', { name: 'Message trace' });
  await trace.waitFor();
  const first = await trace.innerText();
  assert.match(first, /Message #\d+/);
  assert.match(first, /acked/);
  await page.waitForTimeout(1500);
  assert.match(await trace.innerText(), /Message #\d+/, 'still traced while playing');
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal((await trace.innerText()).split('\n')[0], first.split('\n')[0], 'the same message after Pause');
  await page.screenshot({ path: path.join(ARTIFACTS, 'trace-after-ack.png') });
  await page.close();
});
