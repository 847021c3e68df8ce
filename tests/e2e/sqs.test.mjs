// SQS and SNS on the canvas: the palette's SQS queue and SNS topic buttons wire into a
// working flow; sqs-visibility-timeout shows a repeat delivery (a cell with a receive
// count, the queue's in-flight figure) and is looked at paused; a message sent by hand
// while paused; a dead-letter queue redriven by hand; SNS fan-out through a filter; a
// FIFO topic without content-based deduplication asks for an id by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, contextWithDiagram, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const figure = (page, id, attr) => page.$eval(`#canvas g[data-node-id="${id}"] .sqs-figures`, (g, a) => Number(g.getAttribute(a)), attr);
// A figure once paused: the counters catch up with the pause on the next frame (later
// under load), so it is read until two reads 300 ms apart agree.
async function pausedFigure(page, id, attr) {
  let last = await figure(page, id, attr);
  for (;;) {
    await page.waitForTimeout(300);
    const now = await figure(page, id, attr);
    if (now === last) return now;
    last = now;
  }
}

test('SQS queue and SNS topic from the palette build a flow that runs', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  for (const name of ['Producer', 'SQS queue', 'Consumer']) {
    await page.getByRole('button', { name, exact: true }).click();
  }
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 3);
  assert.equal(await page.locator('#canvas [data-edge-kind="send"]').count(), 1);
  assert.equal(await page.locator('#canvas [data-edge-kind="receive"]').count(), 1);
  const queue = page.locator('#canvas g[data-kind="sqs-queue"]');
  assert.equal(await queue.getAttribute('aria-label'), 'sqs-queue-1');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-kind="consumer"]')
    ?.textContent.match(/processed (\d+)/)?.[1] ?? 0) >= 2, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // An SNS topic joins from the palette too.
  await page.getByRole('button', { name: 'SNS topic', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind="sns-topic"]').length === 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'sqs-built.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('sqs-visibility-timeout: a message received twice, seen paused', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sqs-visibility-timeout`);
  await page.locator('#canvas g[data-node-id="jobs"]').waitFor();
  await page.getByLabel('Speed').selectOption({ index: 4 });
  await page.getByRole('button', { name: 'Play' }).click();
  // A repeat delivery: a cell of jobs with a receive count of 2 or more while in flight.
  const seen = await page.waitForFunction(() => {
    const cell = document.querySelector('#canvas g[data-node-id="jobs"] .cell.in_flight.repeat');
    const fig = document.querySelector('#canvas g[data-node-id="jobs"] .sqs-figures');
    return cell && { count: Number(cell.getAttribute('data-receive-count')), inFlight: Number(fig.getAttribute('data-in-flight')) };
  }, null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  const { count, inFlight } = await seen.jsonValue();
  assert.ok(count >= 2, `receive count ${count}`);
  assert.ok(inFlight >= 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'sqs-visibility-timeout-duplicate.png') });
  // The Log names the repeat delivery.
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByText(/a repeat delivery/).first().waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('send by hand while paused, then redrive a dead-letter queue', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sqs-dead-letter-redrive`);
  await page.locator('#canvas g[data-node-id="dlq"]').waitFor();
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-node-id="dlq"] .sqs-figures')?.getAttribute('data-visible') ?? 0) >= 1,
    null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  const parked = await pausedFigure(page, 'dlq', 'data-visible');
  // Paused: redrive the dead-letter queue by hand, then send one to it.
  await page.locator('#canvas g[data-node-id="dlq"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  await now.getByRole('button', { name: 'Redrive to source' }).click();
  await now.getByText(/redrive started/).waitFor();
  await now.getByLabel('Message body').fill('typed by hand');
  await now.getByRole('button', { name: 'Send', exact: true }).click();
  // It says when the message gets there: it travels a hop (the diagram's latency).
  await now.getByText(/sent "typed by hand"; it reaches payments-dlq at t = \d+\.\d{3} s/).waitFor();
  // The redrive took every parked message out at once (they travel back), paused.
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-node-id="dlq"] .sqs-figures')?.getAttribute('data-visible')) === 0,
    null, { timeout: 10000 });
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByText(new RegExp(`${parked} messages? redriven from sqs-queue payments-dlq`)).first().waitFor();
  // Playing on, the hand-sent message arrives in the dead-letter queue.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-node-id="dlq"] .sqs-figures')?.getAttribute('data-visible')) >= 1,
    null, { timeout: 10000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('receive, delete and change visibility by hand, paused and playing, recorded in the script', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sqs-dead-letter-redrive`);
  await page.locator('#canvas g[data-node-id="dlq"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  // Stopped: nothing has arrived yet, so a receive gets nothing; two sends.
  await now.getByRole('button', { name: 'Receive', exact: true }).click();
  await now.getByText(/received nothing/).waitFor();
  for (const body of ['typed-1', 'typed-2']) {
    await now.getByLabel('Message body').fill(body);
    await now.getByRole('button', { name: 'Send', exact: true }).click();
    await now.getByText(`sent "${body}"`).waitFor();
  }
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-node-id="dlq"] .sqs-figures')?.getAttribute('data-visible') ?? 0) >= 2,
    null, { timeout: 20000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  // Paused: receive both for a minute; they are in flight, no longer visible.
  await now.getByLabel('Max messages').fill('2');
  await now.getByLabel('Visibility timeout of this receive (ms)').fill('60000');
  await now.getByRole('button', { name: 'Receive', exact: true }).click();
  await now.getByText(/received 2: typed-1, typed-2/).waitFor();
  // The canvas's counters follow on the next frame (the answer text may come first).
  await page.waitForFunction(() => document.querySelector('#canvas g[data-node-id="dlq"] .sqs-figures')?.getAttribute('data-visible') === '0',
    null, { timeout: 5000, polling: 'raf' });
  assert.equal(await figure(page, 'dlq', 'data-visible'), 0);
  // The messages panel follows a hand action while paused (the clock did not move).
  const messages = page.getByRole('region', { name: 'Messages' });
  await messages.getByText(/in flight/).first().waitFor();
  assert.equal(await messages.getByText(/^visible/).count(), 0, await messages.innerText());
  // A bad timeout is refused with the reason, and nothing is applied.
  await now.getByLabel('Body of a received message').fill('typed-2');
  await now.getByLabel('New visibility timeout (ms)').fill('-5');
  await now.getByRole('button', { name: 'Change visibility' }).click();
  await now.getByText(/timeout: a number of ms from 0/).waitFor();
  // Playing: delete one (a second delete has no receipt), show the other again.
  await page.getByRole('button', { name: 'Play' }).click();
  await now.getByLabel('Body of a received message').fill('typed-1');
  await now.getByRole('button', { name: 'Delete message' }).click();
  await now.getByText('deleted "typed-1"').waitFor();
  await now.getByRole('button', { name: 'Delete message' }).click();
  await now.getByText(/no message with body "typed-1" is in flight/).waitFor();
  await now.getByLabel('Body of a received message').fill('typed-2');
  await now.getByLabel('New visibility timeout (ms)').fill('0');
  await now.getByRole('button', { name: 'Change visibility' }).click();
  await now.getByText('"typed-2" is visible again').waitFor();
  await page.waitForFunction(() => Number(document.querySelector('#canvas g[data-node-id="dlq"] .sqs-figures')?.getAttribute('data-visible')) >= 1,
    null, { timeout: 10000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // The calls that succeeded are script steps now (Reset replays them).
  await page.waitForFunction(() => /"op":"change_visibility"/.test(localStorage.getItem('queue-playground/autosave') ?? ''));
  const saved = await page.evaluate(() => localStorage.getItem('queue-playground/autosave'));
  const ops = JSON.parse(saved).scenario.script.map((s) => s.op);
  assert.deepEqual(ops.filter((o) => o !== 'send' && o !== 'redrive'), ['receive', 'receive', 'delete', 'change_visibility'], saved);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a rename carries the script steps that name the queue; a taken name is refused at the field', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sqs-dead-letter-redrive`);
  await page.locator('#canvas g[data-node-id="dlq"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('payments');
  await name.press('Enter');
  await page.locator('.field-error').waitFor();
  assert.match(await page.locator('#canvas g[data-node-id="dlq"] .label').textContent(), /payments-dlq/);
  await name.fill('parking');
  await name.press('Enter');
  await page.locator('#canvas g[data-node-id="dlq"] .label', { hasText: 'parking' }).waitFor();
  await page.getByRole('tab', { name: 'Script' }).click();
  await page.locator('.script').getByText(/redrive SQS queue parking/).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('sns-fanout-filter: every queue gets what its filter lets through', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sns-fanout-filter`);
  await page.locator('#canvas g[data-kind="sns-topic"]').waitFor();
  const labels = await page.$$eval('#canvas .edge-label.subscribe', (ls) => ls.map((l) => l.textContent));
  assert.ok(labels.some((t) => t.includes('filter')), JSON.stringify(labels));
  await page.getByLabel('Speed').selectOption({ index: 4 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /filtered [1-9]/.test(document.querySelector('#canvas g[data-kind="sns-topic"]')?.textContent ?? ''),
    null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // Publish by hand with attributes that only the refunds filter accepts.
  await page.locator('#canvas g[data-kind="sns-topic"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  await now.getByLabel('Message attributes (JSON)').fill('{"type": "refund"}');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText(/published "by hand"/).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'sns-fanout-filter.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a FIFO topic without content-based deduplication refuses a publish without an id, stopped and playing', async () => {
  const scenario = {
    version: 2, seed: 1, latency_ms: 50,
    nodes: [
      { id: 't', kind: 'sns-topic', name: 'orders.fifo', x: 200, y: 200, sns_topic: { fifo: true, content_based_dedup: false } },
      { id: 'q', kind: 'sqs-queue', name: 'audit.fifo', x: 450, y: 200, sqs_queue: { fifo: true } },
    ],
    edges: [{ id: 's', from: 't', to: 'q', kind: 'subscribe', subscribe: { raw_delivery: true } }],
  };
  const context = await contextWithDiagram(env.browser, scenario);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('#canvas g[data-node-id="t"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const content = page.getByLabel(/^Content-based deduplication/);
  assert.equal(await content.isChecked(), false);
  const now = page.getByRole('region', { name: 'Now' });
  assert.equal(await now.getByLabel('Message group id').inputValue(), 'g1');
  assert.equal(await now.getByLabel('Deduplication id').getAttribute('placeholder'), 'required');
  // Stopped: without an id the call is refused with the reason; the message stays.
  await now.getByLabel('Message', { exact: true }).fill('order 9');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText('a FIFO topic without content-based deduplication needs a deduplication id').waitFor();
  assert.equal(await now.getByLabel('Message', { exact: true }).inputValue(), 'order 9');
  await now.getByLabel('Deduplication id').fill('d9');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText('published "order 9"').waitFor();
  // Turned on, the topic derives the id from the message; playing, a publish without
  // one goes through.
  await content.check();
  await page.waitForFunction(() => document.querySelector('[aria-label="Deduplication id"]')?.placeholder === 'from the message');
  await page.getByRole('button', { name: 'Play' }).click();
  await now.getByLabel('Message', { exact: true }).fill('order 10');
  await now.getByLabel('Deduplication id').fill('');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText('published "order 10"').waitFor();
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => /order 10/.test(localStorage.getItem('queue-playground/autosave') ?? ''));
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('queue-playground/autosave')));
  const steps = saved.scenario.script.filter((s) => s.op === 'sns_publish');
  assert.deepEqual(steps.map((s) => [s.message, s.group_id, s.dedup_id]), [['order 9', 'g1', 'd9'], ['order 10', 'g1', undefined]]);
  assert.equal(saved.scenario.nodes.find((n) => n.id === 't').sns_topic.content_based_dedup, undefined, 'on is the default, left out');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a topic and its queues become FIFO together, and back, as one change (stopped)', async () => {
  // Review: one box at a time each was refused while the other was as it was.
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=sns-fanout-filter`);
  await page.locator('#canvas g[data-kind="sns-topic"]').waitFor();
  const fifoQueues = () => page.$$eval('#canvas g[data-kind="sqs-queue"]', (es) => es.filter((e) => /FIFO/.test(e.textContent)).length);
  assert.equal(await fifoQueues(), 0);
  // A FIFO topic's publisher needs its ids first: the refusal says so.
  await page.locator('#canvas g[data-kind="sns-topic"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByLabel('FIFO topic').click();
  await page.locator('.field-error').getByText(/producer `shop` needs a group_id/).waitFor();
  assert.equal(await fifoQueues(), 0);
  await page.locator('#canvas g[data-node-id="shop"]').click();
  for (const [label, value] of [['Message group id', 'g-{n}'], ['Deduplication id', 'd-{n}']]) {
    await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByLabel(label, { exact: true }).press('Tab');
  }
  await page.locator('#canvas g[data-kind="sns-topic"]').click();
  await page.getByLabel('FIFO topic').check();
  await page.waitForFunction(() => [...document.querySelectorAll('#canvas g[data-kind="sqs-queue"]')].every((e) => /FIFO/.test(e.textContent)));
  assert.equal(await fifoQueues(), 3);
  // AWS's rule: a FIFO topic's and queue's names end with .fifo; the box adds it.
  const names = () => page.$$eval('#canvas g[data-kind="sqs-queue"], #canvas g[data-kind="sns-topic"]', (es) => es.map((e) => e.getAttribute('aria-label') ?? e.textContent));
  assert.ok((await names()).every((n) => n.includes('.fifo')), String(await names()));
  // From a queue, back to standard: the topic and the other queues follow; one Undo
  // makes them all FIFO again.
  await page.locator('#canvas g[data-kind="sqs-queue"]').first().click();
  await page.getByLabel('FIFO queue').uncheck();
  await page.waitForFunction(() => [...document.querySelectorAll('#canvas g[data-kind="sqs-queue"]')].every((e) => !/FIFO/.test(e.textContent)));
  assert.ok((await names()).every((n) => !n.includes('.fifo')), String(await names()));
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#canvas g[data-kind="sqs-queue"]')].every((e) => /FIFO/.test(e.textContent)));
  assert.deepEqual(errors, []);
  await page.close();
});
