// Below 900 px the canvas keeps the width: the side panel is a drawer opened by the
// header's Panel button, and the gallery, file and share buttons sit behind More. At
// 1400 px neither button shows and everything is in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

test('at 800×600 the side panel is a drawer and the toolbar has a More menu', async () => {
  const page = await env.browser.newPage({ viewport: { width: 800, height: 600 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const canvas = await page.locator('#canvas').boundingBox();
  assert.ok(canvas.width >= 800 * 0.8, `canvas ${canvas.width} px of 800`);
  const panel = page.locator('#side-panel');
  assert.equal(await panel.isVisible(), false, 'the drawer starts closed');
  const toggle = page.getByRole('button', { name: 'Panel' });
  await toggle.click();
  await page.waitForFunction(() => getComputedStyle(document.querySelector('#side-panel')).visibility === 'visible');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  // Its tabs work, stopped and playing.
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent === 'Log');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent === 'Charts');
  await page.screenshot({ path: path.join(ARTIFACTS, 'drawer-800x600.png') });
  await toggle.click();
  await page.waitForFunction(() => getComputedStyle(document.querySelector('#side-panel')).visibility === 'hidden');
  // More: the gallery button behind it.
  assert.equal(await page.getByRole('button', { name: 'Gallery' }).isVisible(), false);
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('button', { name: 'Gallery' }).click();
  await page.getByRole('dialog', { name: 'Pattern gallery' }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'more-gallery-800x600.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('at 1400×900 there is no drawer and no More menu', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Panel' }).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'More' }).isVisible(), false);
  assert.ok(await page.locator('#side-panel').isVisible());
  assert.ok(await page.getByRole('button', { name: 'Gallery' }).isVisible());
  await page.close();
});

test('the embedded player can hide and show its explanation', async () => {
  const page = await env.browser.newPage({ viewport: { width: 960, height: 560 } });
  await page.goto(`${env.server.url}?pattern=work-queue&embed=1`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const explanation = page.getByRole('complementary', { name: 'Explanation' });
  assert.ok(await explanation.isVisible());
  const before = (await page.locator('#canvas').boundingBox()).width;
  await page.getByRole('button', { name: 'Hide explanation' }).click();
  await page.waitForFunction(() => !document.querySelector('#embed-explanation')?.checkVisibility());
  const after = (await page.locator('#canvas').boundingBox()).width;
  assert.ok(after > before + 100, `canvas ${before} → ${after} px`);
  await page.getByRole('button', { name: 'Show explanation' }).click();
  await page.waitForFunction(() => document.querySelector('#embed-explanation')?.checkVisibility());
  await page.close();
});

test('the gallery shows a picture of every pattern', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByRole('button', { name: 'Gallery' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pattern gallery' });
  await dialog.waitFor();
  const items = await dialog.locator('.gallery-item').count();
  const pictures = await dialog.locator('.gallery-item svg.gallery-thumb').count();
  assert.equal(pictures, items);
  assert.ok(await dialog.locator('.gallery-item[data-pattern="kafka-partitions"] .thumb-node.kafka-topic').count() === 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'gallery-thumbnails.png') });
  await page.close();
});

test('on a phone a notice shows in view wherever the page is scrolled', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-kind="queue"]').first().waitFor();
  // The script editor is far down the page, under the canvas and the controls.
  await page.getByRole('tab', { name: 'Script' }).click();
  const script = page.getByRole('region', { name: 'Script' });
  await script.getByText('Edit as JSON').click();
  await script.getByLabel('Script (JSON)').fill('[{"op": "get", "at_ms": 1, "queue": "nope"}]');
  await script.getByRole('button', { name: 'Apply' }).scrollIntoViewIfNeeded();
  assert.ok(await page.evaluate(() => window.scrollY) > 300, 'the page is scrolled down');
  await script.getByRole('button', { name: 'Apply' }).tap();
  const notice = page.locator('.notice');
  await notice.getByText(/no queue named `nope`/).waitFor();
  const box = await notice.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 844, `the notice is on screen (${box.y}, ${box.height})`);
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the notice fits the width (${box.x}, ${box.width})`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone-notice.png') });
  // Dismissing it by touch works where it is.
  await notice.getByRole('button', { name: 'Dismiss notice' }).tap();
  await notice.waitFor({ state: 'detached' });
  await context.close();
});
