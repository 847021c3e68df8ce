// Kafka on the canvas: the palette's Kafka topic button, a topic drawn as partition
// lanes with each group's committed position, a consume edge labelled with its group,
// and a consumer group rebalancing after a crash (kafka-consumer-groups), looked at
// mid-rebalance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

test('a Kafka topic from the palette wires to producers and consumers', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  // Producer, then Kafka topic, then Consumer, each connected to the one before.
  for (const name of ['Producer', 'Kafka topic', 'Consumer']) {
    await page.getByRole('button', { name, exact: true }).click();
  }
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 3);
  assert.equal(await page.locator('#canvas g[data-kind="kafka-topic"]').count(), 1);
  assert.equal(await page.locator('#canvas [data-edge-kind="produce"]').count(), 1);
  assert.equal(await page.locator('#canvas [data-edge-kind="consume"]').count(), 1);
  const topic = page.locator('#canvas g[data-kind="kafka-topic"]');
  assert.equal(await topic.getAttribute('aria-label'), 'topic-1');
  await page.getByRole('button', { name: 'Play' }).click();
  // Records land in the lanes: some partition's log end moves past 0.
  await page.waitForFunction(() => [...document.querySelectorAll('#canvas g[data-kind="kafka-topic"] .lane')]
    .some((l) => Number(l.getAttribute('data-log-end')) > 0), null, { timeout: 15000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await topic.locator('.lane').count(), 3, 'three partitions, three lanes');
  await page.screenshot({ path: path.join(ARTIFACTS, 'kafka-built.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('kafka-consumer-groups: idle members, a crash, and the rebalance', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=kafka-consumer-groups`);
  await page.locator('#canvas g[data-kind="kafka-topic"]').waitFor();
  assert.equal(await page.locator('#canvas g[data-kind="kafka-topic"] .lanes').count(), 1);
  const labels = await page.$$eval('#canvas .edge-label.consume', (ls) => ls.map((l) => l.textContent));
  assert.ok(labels.length === 6 && labels.every((t) => t.includes('group billing')), JSON.stringify(labels));
  await page.getByLabel('Speed').selectOption({ index: 4 });
  await page.getByRole('button', { name: 'Play' }).click();
  // The crash comes about 7 s in and the session times out 10 s later: the topic says
  // it is rebalancing for the join and sync round trips.
  await page.waitForFunction(() => document.querySelector('#canvas g[data-kind="kafka-topic"] .counters.rebalancing')
    && Number(document.querySelector('#canvas g[data-kind="kafka-topic"] .lane')?.getAttribute('data-log-end')) > 5,
    null, { timeout: 60000, polling: 'raf' });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: path.join(ARTIFACTS, 'kafka-consumer-groups-rebalance.png') });
  // Committed positions are drawn on the lanes.
  assert.ok(await page.locator('#canvas g[data-kind="kafka-topic"] .group-mark').count() >= 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('replay a group and produce by hand, paused and playing', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=kafka-replay`);
  const topic = page.locator('#canvas g[data-node-id="orders"]');
  await topic.waitFor();
  await page.getByLabel('Speed').selectOption({ index: 6 });
  await page.getByRole('button', { name: 'Play' }).click();
  const logEnd = () => page.$$eval('#canvas g[data-node-id="orders"] .lane', (ls) => ls.reduce((s, l) => s + Number(l.getAttribute('data-log-end')), 0));
  await page.waitForFunction(() => [...document.querySelectorAll('#canvas g[data-node-id="orders"] .lane')]
    .reduce((s, l) => s + Number(l.getAttribute('data-log-end')), 0) >= 10, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await topic.click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  // Paused: produce a record by hand; it lands when the run goes on.
  const before = await logEnd();
  await now.getByLabel('Record key').fill('vip');
  await now.getByLabel('Record value').fill('by hand');
  await now.getByRole('button', { name: 'Produce' }).click();
  await page.waitForFunction(() => document.querySelector('.node-actions .action-result')?.textContent.includes('key vip'));
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction((b) => [...document.querySelectorAll('#canvas g[data-node-id="orders"] .lane')]
    .reduce((s, l) => s + Number(l.getAttribute('data-log-end')), 0) > b, before, { timeout: 5000 }).catch(() => {});
  // Replay billing from the start while playing: its processed count climbs past
  // what the log holds.
  const processed = async () => Number((await page.locator('#canvas g[data-node-id="billing"] .counters').textContent()).match(/processed (\d+)/)[1]);
  await page.getByRole('button', { name: 'Play' }).click();
  const held = await logEnd();
  await now.getByRole('group', { name: 'group billing' }).getByRole('button', { name: 'Read again from the start' }).click();
  await page.waitForFunction(() => document.querySelector('.node-actions .action-result')?.textContent.includes('reads again'));
  await page.waitForFunction((h) => {
    const t = document.querySelector('#canvas g[data-node-id="billing"] .counters')?.textContent ?? '';
    return Number((t.match(/processed (\d+)/) || [0, 0])[1]) > h;
  }, held, { timeout: 20000 });
  assert.ok(await processed() > held);
  await page.screenshot({ path: path.join(ARTIFACTS, 'kafka-replay-now.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('RabbitMQ by hand: publish to an exchange and get from a queue, paused', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=point-to-point`);
  const exchange = page.locator('#canvas g[data-kind="exchange"]').first();
  await exchange.waitFor();
  await exchange.click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  const key = await page.$eval('#canvas .edge-label.binding text', (t) => t.textContent);
  await now.getByLabel('Routing key').fill(key);
  await now.getByLabel('Payload').fill('typed by hand');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.node-actions .action-result')?.textContent.includes('typed by hand'));
  // Step until the message sits in the queue, then get it with requeue.
  for (let i = 0; i < 3; i += 1) await page.getByRole('button', { name: 'Step' }).click();
  await page.locator('#canvas g[data-kind="queue"]').first().click();
  await now.getByLabel('Ack mode').selectOption('requeue');
  await now.getByRole('button', { name: 'Get', exact: true }).click();
  await page.waitForFunction(() => /got (\d+ \(requeue\)|nothing)/.test(document.querySelector('.node-actions .action-result')?.textContent ?? ''));
  await page.screenshot({ path: path.join(ARTIFACTS, 'by-hand-get.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
