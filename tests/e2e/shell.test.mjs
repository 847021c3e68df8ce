// Smoke test: the release build renders its shell, with no console errors, both at the
// site root and under a sub-path (relative asset URLs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve } from './lib/server.mjs';
import { ensureBuilt, launch, watchedPage, DIST, ARTIFACTS } from './lib/browser.mjs';

let browser;
before(async () => {
  ensureBuilt();
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function expectShell(url, screenshot) {
  const { page, errors } = await watchedPage(browser);
  await page.goto(url);
  await page.getByRole('heading', { name: 'Queue Playground' }).waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#canvas').count(), 1, '#canvas present');
  assert.equal(await page.locator('#stats').count(), 1, '#stats present');
  assert.equal(await page.getByRole('complementary', { name: 'Side panel' }).count(), 1, 'side panel present');
  assert.match(await page.locator('#stats').innerText(), /t = 0/);
  const box = await page.locator('#canvas').boundingBox();
  assert.ok(box && box.width > 400 && box.height > 300, `canvas is large: ${JSON.stringify(box)}`);
  if (screenshot) await page.screenshot({ path: path.join(ARTIFACTS, screenshot) });
  assert.deepEqual(errors, [], 'no console errors');
  await page.close();
}

test('the shell renders at the site root with no console errors', async () => {
  const server = await serve(DIST, '/');
  try {
    await expectShell(server.url, 'shell.png');
  } finally {
    await server.close();
  }
});

test('the build works from a sub-path of a static host', async () => {
  const server = await serve(DIST, '/some/sub/path/');
  try {
    await expectShell(server.url, null);
  } finally {
    await server.close();
  }
});
