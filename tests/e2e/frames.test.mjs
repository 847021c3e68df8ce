// Frames with scoreboards: delivery-guarantees shows each lane's own outcome (lost in
// at-most-once, duplicates in at-least-once, neither in the idempotent lane); a frame
// drawn by hand around two nodes, stopped, renamed in the inspector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const figure = (page, frame, name) => page.$eval(`#canvas g.frame[data-frame="${frame}"] text`, (t, n) => Number(t.getAttribute(`data-${n}`)), name);

test('delivery-guarantees: each lane scores its own outcome', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=delivery-guarantees`);
  await page.locator('#canvas g.frame[data-frame="at-most-once"]').waitFor();
  assert.equal(await page.locator('#canvas g.frame').count(), 3);
  await page.getByLabel('Speed').selectOption({ index: 7 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => {
    const get = (f, n) => Number(document.querySelector(`#canvas g.frame[data-frame="${f}"] text`)?.getAttribute(`data-${n}`) ?? 0);
    return get('at-most-once', 'lost') > 0 && get('at-least-once', 'duplicates') > 0;
  }, null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await figure(page, 'effectively once', 'lost'), 0);
  assert.equal(await figure(page, 'effectively once', 'duplicates'), 0);
  assert.match(await page.locator('#canvas g.frame[data-frame="at-least-once"] text').textContent(), /^at-least-once — .*duplicates \d+ · lost 0 · p99 \d+ ms/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'frames-delivery-guarantees.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a frame drawn by hand around two nodes, renamed in the inspector', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  const queue = page.locator('#canvas g[data-kind="queue"]').first();
  await queue.waitFor();
  const frameButton = page.getByRole('button', { name: 'Frame selection' });
  assert.equal(await frameButton.isDisabled(), true, 'nothing selected');
  await queue.click();
  await page.locator('#canvas g[data-kind="consumer"]').first().click({ modifiers: ['Shift'] });
  await frameButton.click();
  await page.locator('#canvas g.frame[data-frame="frame 1"]').waitFor();
  // With nothing selected, the inspector lists the frames.
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const name = page.getByLabel('Name of frame 1');
  await name.fill('the queue and one worker');
  await name.press('Enter');
  await page.locator('#canvas g.frame[data-frame="the queue and one worker"]').waitFor();
  // Played, it scores.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g.frame text')?.getAttribute('data-processed') ?? 0) >= 1, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Remove frame the queue and one worker' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas g.frame').length === 0);
  assert.deepEqual(errors, []);
  await page.close();
});
