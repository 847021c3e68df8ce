// The same figures in every system, as a person reads them in the browser (found by a
// review): the Charts tab charts what waits in a ZeroMQ diagram while it plays and once
// paused; a Kafka member's crash is not counted as lost; an SQS move to the DLQ counts as
// dead-lettered; a Kafka consumer's inspector does not offer RabbitMQ's prefetch; a
// queue a script step names can be renamed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

async function open(pattern, viewport = { width: 1400, height: 900 }) {
  const page = await env.browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=${pattern}`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  return { page, errors };
}

const stat = async (page, word) => {
  const text = await page.locator('#stats').innerText();
  const m = text.match(new RegExp(`${word} (\\d+)`));
  return m ? Number(m[1]) : NaN;
};

test('the Charts tab charts a ZeroMQ diagram while it plays and when paused', async () => {
  const { page, errors } = await open('zeromq-pipeline');
  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('.charts')?.getAttribute('data-samples') ?? 0) >= 3, null, { timeout: 20000 });
  const figure = page.locator('figure.chart').first();
  assert.equal(await figure.locator('figcaption').innerText(), 'Messages waiting');
  const legend = await figure.locator('.chart-legend li').allInnerTexts();
  assert.ok(legend.some((l) => /worker-1 \(in its pipes\)/.test(l)), `legend: ${legend}`);
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.ok((await figure.locator('.chart-legend li').count()) >= 3);
  await page.screenshot({ path: path.join(ARTIFACTS, 'charts-zeromq-pipeline.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a Kafka member crash is not counted as lost; an SQS DLQ move is dead-lettered', async () => {
  {
    const { page, errors } = await open('kafka-consumer-groups');
    await page.getByLabel('Speed').selectOption({ index: 5 });
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => /t = ([0-9.]+)/.exec(document.querySelector('#stats .clock')?.textContent ?? '')?.[1] > 7, null, { timeout: 30000, polling: 'raf' });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('tab', { name: 'Log' }).click();
    await page.getByLabel('Filter by event').selectOption('dropped');
    await page.getByText(/discarded, not lost/).first().waitFor();
    assert.equal(await stat(page, 'dropped'), 0, 'the discarded fetches are not lost');
    assert.equal(await page.locator('.timeline-marks rect.drop').count(), 0);
    assert.ok(await page.locator('.timeline-marks rect.crash').count() > 0);
    // billing-1 reads a Kafka topic: its window is set on the consume connection.
    await page.locator('#canvas g[data-node-id="b1"]').click();
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.getByText(/Reads a Kafka topic/).waitFor();
    assert.equal(await page.getByLabel('Prefetch').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  }
  {
    const { page, errors } = await open('sqs-dead-letter-redrive');
    await page.getByLabel('Speed').selectOption({ index: 6 });
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => /dead-lettered ([1-9]\d*)/.test(document.querySelector('#stats')?.textContent ?? ''), null, { timeout: 60000, polling: 'raf' });
    await page.getByRole('button', { name: 'Pause' }).click();
    assert.ok(await stat(page, 'dead-lettered') > 0);
    assert.ok(await page.locator('.timeline-marks rect.dead-letter').count() > 0);
    // The DLQ the pattern's script redrives can be renamed: the step follows it.
    await page.locator('#canvas g[data-node-id="dlq"]').click();
    await page.getByRole('tab', { name: 'Inspector' }).click();
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('payments-parking');
    await name.press('Tab');
    await page.locator('#canvas g[data-node-id="dlq"]', { hasText: 'payments-parking' }).waitFor();
    assert.equal(await page.locator('.field-error').count(), 0);
    await page.getByRole('tab', { name: 'Script' }).click();
    await page.locator('.script').getByText(/payments-parking/).first().waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  }
});
