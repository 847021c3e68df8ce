// The timeline: play dead-letter, pause, drag the scrubber back and the counters show
// that moment (the run replayed from its seed); forth to the end and they match what
// they were; arrow keys move it too; marks show where messages were dead-lettered. After
// a jump by keyboard, the messages then in flight are drawn (dots) as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const clock = (page) => page.$eval('#stats .clock', (e) => Number((e.textContent.match(/([\d.]+) s/) ?? [0, 0])[1]));
const published = (page) => page.$eval('#stats', (e) => Number((e.textContent.match(/published (\d+)/) ?? [0, 0])[1]));
const scrub = (page, ms) => page.$eval('.timeline input[type=range]', (el, v) => {
  el.value = String(v);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, ms);

test('the timeline goes back and forth, and the counters show that moment', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas g[data-node-id="dlq"]').waitFor();
  const range = page.getByRole('slider', { name: 'Timeline' });
  assert.equal(await range.isDisabled(), true, 'nothing reached yet');
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => {
    const m = (document.querySelector('#stats .clock')?.textContent ?? '').match(/([\d.]+) s/);
    return m && Number(m[1]) >= 30 && document.querySelectorAll('.timeline-marks rect').length > 0;
  }, null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  // The counters refresh on the frame after the pause: read them once they have.
  await page.waitForTimeout(400);
  const endTime = await clock(page);
  const endPublished = await published(page);
  const dlqEnd = await page.locator('#canvas g[data-node-id="dlq"] .counters').textContent();
  assert.ok(await page.locator('.timeline-marks rect.dead-letter').count() > 0, 'dead-letterings are marked');
  // Back to 10 s: the clock and the totals are those of that moment.
  await scrub(page, 10000);
  await page.waitForFunction(() => /t = 10\.000 s/.test(document.querySelector('#stats .clock')?.textContent ?? ''));
  const midPublished = await published(page);
  assert.ok(midPublished > 0 && midPublished < endPublished, `published ${midPublished} at 10 s, ${endPublished} at the end`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-back.png') });
  // Forth to the end (End, not a scrub to the clock's rounded ms, which can fall a few
  // µs short of a publish): the same figures as before going back.
  await range.focus();
  await page.keyboard.press('End');
  await page.waitForFunction((t) => (document.querySelector('#stats .clock')?.textContent ?? '').includes(`t = ${t.toFixed(3)} s`), endTime);
  assert.equal(await published(page), endPublished);
  assert.equal(await page.locator('#canvas g[data-node-id="dlq"] .counters').textContent(), dlqEnd);
  // By keyboard: the arrow keys move it back.
  await range.focus();
  await page.keyboard.press('Home');
  await page.waitForFunction(() => /t = 0\.000 s/.test(document.querySelector('#stats .clock')?.textContent ?? ''));
  assert.equal(await published(page), 0);
  // Play on from the start: the run goes on from there.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number((document.querySelector('#stats')?.textContent.match(/published (\d+)/) ?? [0, 0])[1]) > 0, null, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('after Home and End on the timeline the messages in flight are drawn again', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=consumer-outage`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number((document.querySelector('#stats .clock')?.textContent.match(/([\d.]+) s/) ?? [0, 0])[1]) >= 6);
  await page.getByRole('button', { name: 'Pause' }).click();
  const dots = () => page.$eval('#stats', (e) => Number((e.textContent.match(/dots (\d+)/) ?? [0, 0])[1]));
  const inFlight = () => page.$eval('#stats', (e) => Number((e.textContent.match(/in flight (\d+)/) ?? [0, 0])[1]));
  await page.waitForTimeout(300);
  const before = [await inFlight(), await dots()];
  assert.ok(before[0] > 0 && before[1] > 0, `messages on edges when paused: ${before}`);
  const range = page.getByRole('slider', { name: 'Timeline' });
  await range.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('End');
  await page.waitForTimeout(400);
  assert.deepEqual([await inFlight(), await dots()], before, 'the same messages, drawn as before');
  await page.close();
});

test('the messages panel on a dead-letter queue: payloads and their x-death', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas g[data-node-id="dlq"]').waitFor();
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /ready [2-9]/.test(document.querySelector('#canvas g[data-node-id="dlq"] .counters')?.textContent ?? ''), null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('#canvas g[data-node-id="dlq"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const panel = page.getByRole('region', { name: 'Messages' });
  await panel.locator('.message-row').first().waitFor();
  assert.match(await panel.locator('.message-row').first().innerText(), /rejected/);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'messages-panel-dlq.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('after Home and End on the timeline the log and the charts show the whole run again', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number((document.querySelector('#stats .clock')?.textContent.match(/([\d.]+) s/) ?? [0, 0])[1]) >= 4);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('tab', { name: 'Log' }).click();
  const rows = page.locator('.log-rows li');
  await page.waitForTimeout(400);
  const before = await rows.count();
  assert.ok(before > 10, `${before} rows`);
  await page.getByRole('tab', { name: 'Charts' }).click();
  const samples = () => page.$eval('.charts', (c) => Number(c.dataset.samples));
  const taken = await samples();
  assert.ok(taken > 3, `${taken} chart samples`);
  await page.getByRole('tab', { name: 'Log' }).click();
  const range = page.getByRole('slider', { name: 'Timeline' });
  await range.focus();
  await page.keyboard.press('Home');
  await page.waitForFunction((n) => document.querySelectorAll('.log-rows li').length < n, before);
  await range.focus();
  await page.keyboard.press('End');
  await page.waitForFunction((n) => document.querySelectorAll('.log-rows li').length === n, before);
  // A filter that matches nothing says so (not "press Play").
  await page.getByLabel('Filter by event').selectOption('expired');
  await page.getByText('No events of the log match the filter.').waitFor();
  // The charts show the samples taken before the seeks again.
  await page.getByRole('tab', { name: 'Charts' }).click();
  assert.equal(await samples(), taken);
  await page.close();
});
