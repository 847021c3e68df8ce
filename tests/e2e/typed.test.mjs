// What a person types stays where they typed it: a refused Publish or Send keeps the
// message text; a value refused for one node does not show on the next node selected;
// the seed keeps a refused entry to mend; the Script tab's JSON outlives a trip to
// another tab; Play and Pause hand the focus to each other; the side panel's tabs
// follow the arrow keys. Also a FIFO queue's Send takes a deduplication id, a
// producer's priority outside 0–255 is refused at its field, and a refused Now call
// marks the field it is about (aria-invalid, described by the message, focused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer } from './lib/browser.mjs';

const env = useBrowserAndServer();

async function open(pattern) {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=${pattern}`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  return { page, errors };
}

test('a refused or accepted Publish keeps the payload typed, stopped and playing', async () => {
  const { page, errors } = await open('work-queue');
  await page.locator('#canvas g[data-kind="exchange"]').first().click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  assert.equal(await now.getByLabel('Payload').inputValue(), 'by hand', 'the starting payload');
  await now.getByLabel('Payload').fill('important payload');
  await now.locator('summary', { hasText: 'Properties and headers' }).click();
  await now.getByLabel('Headers (JSON)').fill('{"k": ');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText(/headers: /).waitFor();
  assert.equal(await now.getByLabel('Payload').inputValue(), 'important payload');
  assert.equal(await now.getByLabel('Headers (JSON)').inputValue(), '{"k": ');
  // Playing: mended and sent, the payload is still there for the next one.
  await page.getByRole('button', { name: 'Play' }).click();
  await now.getByLabel('Headers (JSON)').fill('{"k": 1}');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText(/published "important payload"/).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await now.getByLabel('Payload').inputValue(), 'important payload');
  // A queue's Get count stays as typed after a Get.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('#canvas g[data-kind="queue"]').first().click();
  await now.getByLabel('Count').fill('3');
  await now.getByRole('button', { name: 'Get', exact: true }).click();
  await now.getByText(/got /).waitFor();
  assert.equal(await now.getByLabel('Count').inputValue(), '3');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a FIFO queue takes a deduplication id by hand; without one it says what is missing and keeps the body', async () => {
  const { page, errors } = await open('sqs-fifo-groups');
  const fifo = page.locator('#canvas g[data-kind="sqs-queue"]').filter({ hasText: '.fifo' }).first();
  await fifo.click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  await now.getByLabel('Message body').fill('order 7');
  await now.getByRole('button', { name: 'Send', exact: true }).click();
  await now.getByText(/deduplication id/).waitFor();
  assert.equal(await now.getByLabel('Message body').inputValue(), 'order 7');
  await now.getByLabel('Deduplication id').fill('d7');
  await now.getByRole('button', { name: 'Send', exact: true }).click();
  await now.getByText(/sent "order 7"/).waitFor();
  await page.getByRole('tab', { name: 'Script' }).click();
  const json = await page.getByRole('region', { name: 'Script' }).getByLabel('Script (JSON)').inputValue();
  const sent = JSON.parse(json).filter((s) => s.op === 'send' && s.body === 'order 7');
  assert.equal(sent.length, 1);
  assert.equal(sent[0].dedup_id, 'd7');
  assert.equal(sent[0].group_id, 'g1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a value refused for one node does not show on the next one', async () => {
  const { page, errors } = await open('work-queue');
  const consumers = page.locator('#canvas g[data-kind="consumer"]');
  await consumers.nth(0).click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const prefetch = page.getByLabel('Prefetch', { exact: true });
  const before = await prefetch.inputValue();
  await prefetch.fill('-1');
  await prefetch.press('Tab');
  await page.locator('.field-error').first().waitFor();
  await consumers.nth(1).click();
  await page.waitForTimeout(200);
  assert.equal(await prefetch.inputValue(), before, 'the second consumer shows its own prefetch');
  assert.equal(await page.locator('.field.invalid').count(), 0, 'and no error of the first');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a refused seed stays in the field with its reason, also while playing', async () => {
  const { page, errors } = await open('work-queue');
  const seed = page.getByLabel('Seed');
  await seed.fill('abc');
  await seed.press('Tab');
  await page.getByText('`abc` is not a whole number ≥ 0').waitFor();
  assert.equal(await seed.inputValue(), 'abc');
  assert.equal(await seed.getAttribute('aria-invalid'), 'true');
  // Typing while playing is not undone by the frames.
  await page.getByRole('button', { name: 'Play' }).click();
  await seed.fill('12');
  await page.waitForTimeout(300);
  assert.equal(await seed.inputValue(), '12');
  await seed.press('Enter');
  await page.waitForFunction(() => document.querySelector('[aria-label="Seed"]').getAttribute('aria-invalid') === 'false');
  assert.equal(await seed.inputValue(), '12');
  assert.equal(await page.getByText('is not a whole number').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Enter on Play moves the focus to Pause and back, not to the page; the P key moves none', async () => {
  const { page, errors } = await open('work-queue');
  await page.getByRole('button', { name: 'Play' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Pause');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Play');
  // Space works the same way.
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Pause');
  // Started or stopped another way (the P key), the focus stays where it is.
  await page.getByRole('button', { name: 'Pause' }).click();
  // That press hands the focus to Play (after its render): wait for it, then leave.
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Play');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('p');
  await page.waitForFunction(() => document.querySelector('[aria-label="Pause"]').disabled === false);
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
  await page.keyboard.press('p');
  await page.waitForFunction(() => document.querySelector('[aria-label="Play"]').disabled === false);
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Script tab keeps what was typed, and its box open, through a trip to another tab', async () => {
  const { page, errors } = await open('work-queue');
  await page.getByRole('tab', { name: 'Script' }).click();
  const script = page.getByRole('region', { name: 'Script' });
  await script.getByText('Edit as JSON').click();
  const typed = '[{"op": "publish", "at_ms": 1000, "exchange": "nope", "routing_key": "x"}]';
  await script.getByLabel('Script (JSON)').fill(typed);
  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.getByRole('tab', { name: 'Script' }).click();
  assert.equal(await script.getByLabel('Script (JSON)').inputValue(), typed);
  assert.ok(await script.locator('details.script-json').evaluate((d) => d.open), 'still open');
  await script.getByRole('button', { name: 'Apply' }).click();
  await script.getByText(/not applied: script\[0\]\.exchange: .*nope/).waitFor();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByRole('tab', { name: 'Script' }).click();
  assert.equal(await script.getByLabel('Script (JSON)').inputValue(), typed, 'refused, and still there');
  await script.getByRole('button', { name: 'Discard edits' }).click();
  assert.equal(await script.getByLabel('Script (JSON)').inputValue(), '[]');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a refused field keeps its text and reason through another tab and another node, until mended', async () => {
  const { page, errors } = await open('work-queue');
  await page.locator('#canvas g[data-kind="producer"]').first().click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const bursts = page.getByLabel('Bursts (JSON)');
  const typed = '[{"at_ms": 5000, "count": 50, "spread_ms": 500}';
  await bursts.fill(typed);
  await bursts.press('Tab');
  const reason = page.locator('.field.invalid .field-error');
  await reason.waitFor();
  const why = await reason.innerText();
  // Another tab and back.
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  assert.equal(await bursts.inputValue(), typed);
  assert.equal(await reason.innerText(), why);
  // Another node and back, while playing.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.locator('#canvas g[data-kind="queue"]').first().click();
  assert.equal(await page.locator('.field.invalid').count(), 0, 'the queue shows none of it');
  await page.locator('#canvas g[data-kind="producer"]').first().click();
  assert.equal(await bursts.inputValue(), typed);
  // Mended: taken, and nothing is kept any more.
  await bursts.fill(`${typed}]`);
  await bursts.press('Tab');
  await page.waitForFunction(() => document.querySelectorAll('.field.invalid').length === 0);
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  assert.equal(JSON.parse(await bursts.inputValue())[0].count, 50);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the side panel tabs move with the arrow keys, Home and End, as one tab stop', async () => {
  const { page, errors } = await open('work-queue');
  const tabs = page.getByRole('tablist', { name: 'Side panel tabs' });
  const selected = () => page.$eval('[role=tab][aria-selected=true]', (t) => t.textContent);
  const focused = () => page.evaluate(() => document.activeElement?.textContent);
  await tabs.getByRole('tab', { name: 'About' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await selected(), 'Inspector');
  assert.equal(await focused(), 'Inspector');
  await page.keyboard.press('End');
  assert.equal(await selected(), 'Script');
  await page.keyboard.press('ArrowRight');
  assert.equal(await selected(), 'About', 'round the end');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await selected(), 'Script');
  await page.keyboard.press('Home');
  assert.equal(await focused(), 'About');
  // Stopped, then playing: Log by keys shows the log.
  await page.getByRole('button', { name: 'Play' }).click();
  await tabs.getByRole('tab', { name: 'About' }).focus();
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
  assert.equal(await selected(), 'Log');
  await page.getByRole('region', { name: 'Event log' }).waitFor();
  assert.equal(await tabs.locator('[tabindex="0"]').count(), 1, 'one tab stop');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a producer priority outside 0 to 255 is refused at its field; a topic\'s partitions say one range', async () => {
  const { page, errors } = await open('priority');
  await page.locator('#canvas g[data-kind="producer"]').first().click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const priority = page.getByLabel('Priority', { exact: true });
  for (const bad of ['300', '{cycle:1|abc}']) {
    await priority.fill(bad);
    await priority.press('Tab');
    await page.locator('.field.invalid .field-error').getByText(/is not a priority: a whole number from 0 to 255/).waitFor();
    assert.equal(await priority.inputValue(), bad);
  }
  await page.goto(`${env.server.url}?pattern=kafka-partitions`);
  await page.locator('#canvas g[data-kind="kafka-topic"]').first().click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const partitions = page.getByLabel('Partitions', { exact: true });
  for (const bad of ['0', 'abc', '65']) {
    await partitions.fill(bad);
    await partitions.press('Tab');
    await page.locator('.field.invalid .field-error').getByText(`\`${bad}\` is not a whole number from 1 to 64`).waitFor();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a number field states the range it really takes, whatever side the value misses', async () => {
  // Review: Workers 10001 said "between 0 and 10000", then 0 said "needs at least 1".
  const { page, errors } = await open('cascading-failure');
  await page.locator('#canvas g[data-node-id="web"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const workers = page.getByLabel('Workers', { exact: true });
  for (const bad of ['0', '10001', '-1']) {
    await workers.fill(bad);
    await workers.press('Tab');
    await page.locator('.field.invalid .field-error').getByText(`\`${bad}\` is not a whole number from 1 to 10,000`).waitFor();
  }
  await page.goto(`${env.server.url}?pattern=kafka-compaction`);
  await page.locator('#canvas g[data-kind="kafka-topic"]').first().click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const segment = page.getByLabel('Segment bytes', { exact: true });
  for (const bad of ['0', '-5']) {
    await segment.fill(bad);
    await segment.press('Tab');
    await page.locator('.field.invalid .field-error').getByText(`\`${bad}\` is not a whole number ≥ 1`).waitFor();
  }
  const segmentMs = page.getByLabel('Segment ms', { exact: true });
  for (const bad of ['0', '-1', 'x']) {
    await segmentMs.fill(bad);
    await segmentMs.press('Tab');
    await page.locator('.field.invalid .field-error').getByText(`\`${bad}\` is not a number above 0`).waitFor();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a change refused for what it breaks elsewhere names the node or edge in words', async () => {
  const { page, errors } = await open('dead-letter');
  await page.locator('#canvas g[data-node-id="orders-x"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('');
  await name.press('Tab');
  await page.locator('.field.invalid .field-error')
    .getByText(/^not changed: edge \(default exchange\) → `order-work`: the default exchange cannot be bound/).waitFor();
  await page.locator('#canvas g[data-node-id="dlq"]').click();
  await name.fill('order-work');
  await name.press('Tab');
  const why = await page.locator('.field.invalid .field-error').innerText();
  assert.doesNotMatch(why, /nodes\[\d+\]/, why);
  assert.deepEqual(errors, []);
  await page.close();
});

/** The accessible state of a Now field: invalid, the text describing it, focused. */
async function fieldState(now, label) {
  return now.getByLabel(label, { exact: true }).evaluate((el) => ({
    invalid: el.getAttribute('aria-invalid'),
    described: document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? null,
    focused: document.activeElement === el,
  }));
}

test('a refused Now call marks the field it is about, stopped, paused and playing', async () => {
  const { page, errors } = await open('work-queue');
  await page.locator('#canvas g[data-kind="exchange"]').first().click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  // Stopped: a bad priority, hidden under the closed properties, is shown and focused.
  await now.locator('summary', { hasText: 'Properties and headers' }).click();
  await now.getByLabel('Priority').fill('300');
  await now.locator('summary', { hasText: 'Properties and headers' }).click();
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText(/priority: a whole number/).waitFor();
  assert.deepEqual(await fieldState(now, 'Priority'),
    { invalid: 'true', described: 'priority: a whole number from 0 to 255', focused: true });
  // Mended by keyboard and sent: the mark goes.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await now.getByText(/published "by hand"/).waitFor();
  assert.deepEqual(await fieldState(now, 'Priority'), { invalid: null, described: null, focused: true });
  // Playing: a queue's Get count out of range is refused, not clamped.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.locator('#canvas g[data-kind="queue"]').first().click();
  await now.getByLabel('Count').fill('0');
  await now.getByRole('button', { name: 'Get', exact: true }).click();
  await now.getByText('count: a whole number from 1 to 10000').waitFor();
  assert.equal((await fieldState(now, 'Count')).invalid, 'true');
  await page.close();
  // Paused: a FIFO queue's Send without a group id marks the group field.
  const fifo = await open('sqs-fifo-groups');
  await fifo.page.getByRole('button', { name: 'Play' }).click();
  await fifo.page.waitForTimeout(300);
  await fifo.page.getByRole('button', { name: 'Pause' }).click();
  await fifo.page.locator('#canvas g[data-kind="sqs-queue"]').filter({ hasText: '.fifo' }).first().click();
  await fifo.page.getByRole('tab', { name: 'Inspector' }).click();
  const fnow = fifo.page.getByRole('region', { name: 'Now' });
  await fnow.getByLabel('Message group id').fill('');
  await fnow.getByLabel('Deduplication id').fill('d1');
  await fnow.getByRole('button', { name: 'Send', exact: true }).click();
  await fnow.getByText('a FIFO queue needs a message group id').waitFor();
  assert.deepEqual(await fieldState(fnow, 'Message group id'),
    { invalid: 'true', described: 'a FIFO queue needs a message group id', focused: true });
  // The same refusal again moves the focus back to the field too.
  await fnow.getByLabel('Message body').focus();
  await fnow.getByRole('button', { name: 'Send', exact: true }).click();
  await fifo.page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Message group id');
  await fnow.getByLabel('Max messages').fill('11');
  await fnow.getByRole('button', { name: 'Receive', exact: true }).click();
  await fnow.getByText('max messages: a whole number from 1 to 10').waitFor();
  assert.equal((await fieldState(fnow, 'Max messages')).invalid, 'true');
  assert.equal((await fieldState(fnow, 'Message group id')).invalid, null, 'one field marked at a time');
  assert.deepEqual([...errors, ...fifo.errors], []);
  await fifo.page.close();
});
