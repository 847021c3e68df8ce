// Files that are not what they claim, opened in the browser: bytes that are not UTF-8
// are refused with where (a review found the names silently rewritten with U+FFFD) and
// the diagram is kept; a byte-order mark is dropped and the file opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer } from './lib/browser.mjs';

const env = useBrowserAndServer();

const scenario = (queue) => `{"version":1,"nodes":[{"id":"q","kind":"queue","name":"${queue}"}],"edges":[]}`;

test('a file that is not UTF-8 is refused and the diagram kept; a BOM is dropped', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  const before = await page.locator('#canvas g[data-node-id]').count();
  const text = scenario('ta__ks');
  const bytes = Buffer.from(text, 'utf8');
  const at = text.indexOf('__');
  bytes[at] = 0xff;
  bytes[at + 1] = 0xfe;
  const input = page.getByLabel('Scenario or definitions file');
  await input.setInputFiles({ name: 'latin.json', mimeType: 'application/json', buffer: bytes });
  await page.locator('.notice').getByText(/latin\.json is not UTF-8 text \(byte \d+ is not\)/).waitFor();
  assert.equal(await page.locator('#canvas g[data-node-id]').count(), before, 'the diagram is kept');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(scenario('tasks'), 'utf8')]);
  await input.setInputFiles({ name: 'bom.json', mimeType: 'application/json', buffer: bom });
  await page.locator('#canvas g[data-node-id="q"]', { hasText: 'tasks' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
