// Being the client: a message published by hand, with properties and headers, while
// paused; it is recorded in the diagram's script at the simulated time it was done, so
// the run does not restart and Reset replays it (and a basic.get by hand likewise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

const clockMs = async (page) => {
  const text = await page.locator('#stats .clock').innerText();
  return Number(text.match(/([\d.]+) s/)[1]) * 1000;
};

const settledClockMs = async (page) => {
  let seen = await clockMs(page);
  for (;;) {
    await page.waitForTimeout(100);
    const now = await clockMs(page);
    if (now === seen) return now;
    seen = now;
  }
};

test('publish by hand with properties while paused: recorded, the run goes on, Reset replays it', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=point-to-point`);
  await page.locator('#canvas g[data-node-id="forms"]').waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /t = [2-9]\./.test(document.querySelector('#stats .clock')?.textContent ?? ''), null, { timeout: 15000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // The status bar shows the paused time at the next frame: read it once it has settled.
  const paused = await settledClockMs(page);
  await page.locator('#canvas g[data-node-id="forms"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  await now.getByLabel('Routing key').fill('form.submitted');
  await now.getByLabel('Payload').fill('typed by hand');
  await now.locator('summary', { hasText: 'Properties and headers' }).click();
  await page.waitForFunction(() => document.querySelector('details.properties')?.open);
  await now.getByLabel('Priority').fill('7');
  await now.getByLabel('Headers (JSON)').fill('{"source": "console"}');
  await now.getByLabel('Message id').fill('hand-1');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText(/published "typed by hand"/).waitFor();
  // Recording it did not restart the run.
  assert.equal(await clockMs(page), paused, 'the clock stays where it was');
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByText(/the script published .*message_id hand-1/).first().waitFor();
  // A bad property is refused with a reason, and nothing is recorded.
  await page.getByRole('tab', { name: 'Inspector' }).click();
  if (!(await page.$eval('details.properties', (d) => d.open))) {
    await now.locator('summary', { hasText: 'Properties and headers' }).click();
  }
  await now.getByLabel('Priority').fill('300');
  await now.getByRole('button', { name: 'Publish', exact: true }).click();
  await now.getByText(/priority: a whole number from 0 to 255/).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-publish.png') });
  // Reset: the recorded publish happens again at its time.
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByLabel('Speed').selectOption({ index: 5 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((t) => {
    const m = (document.querySelector('#stats .clock')?.textContent ?? '').match(/([\d.]+) s/);
    return m && Number(m[1]) * 1000 > t + 500;
  }, paused, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByText(/the script published .*message_id hand-1/).first().waitFor();
  // The Script tab lists the recorded step; a bad edit is refused; Remove takes it out.
  await page.getByRole('tab', { name: 'Script' }).click();
  const script = page.getByRole('region', { name: 'Script' });
  await script.getByText('publish "typed by hand" to exchange forms with key "form.submitted"').waitFor();
  await script.getByText('Edit as JSON').click();
  await script.getByLabel('Script (JSON)').fill('[{"op": "get", "at_ms": 1, "queue": "nope"}]');
  await script.getByRole('button', { name: 'Apply' }).click();
  // The diagram's refusal is shown at the box, like text that does not parse (it was
  // only in the notice bar, far from the box on a phone), and the box is marked.
  await script.getByText(/not applied: script\[0\]\.queue: no queue named `nope`/).waitFor();
  assert.equal(await script.getByLabel('Script (JSON)').getAttribute('aria-invalid'), 'true');
  // The refused text stays in the box to be mended; Discard edits shows the script again.
  assert.equal(await script.getByLabel('Script (JSON)').inputValue(), '[{"op": "get", "at_ms": 1, "queue": "nope"}]');
  await script.getByRole('button', { name: 'Discard edits' }).click();
  assert.match(await script.getByLabel('Script (JSON)').inputValue(), /typed by hand/);
  assert.equal(await script.getByRole('button', { name: 'Discard edits' }).count(), 0);
  // Text that is not JSON is refused at the box, and stays there too.
  await script.getByLabel('Script (JSON)').fill('[{"op": "get",');
  await script.getByRole('button', { name: 'Apply' }).click();
  await script.getByText(/not applied: the text is not JSON: EOF/).waitFor();
  assert.equal(await script.getByLabel('Script (JSON)').inputValue(), '[{"op": "get",');
  // The notice of the earlier refusal is gone: it would contradict this one.
  assert.equal(await page.locator('.notice').getByText(/no queue named `nope`/).count(), 0);
  // An object where a list belongs, and a time that is not a number, are named as such.
  await script.getByLabel('Script (JSON)').fill('{"op": "get"}');
  await script.getByRole('button', { name: 'Apply' }).click();
  await script.getByText(/not applied: the script is a JSON list of steps/).waitFor();
  await script.getByLabel('Script (JSON)').fill('[{"op": "get", "at_ms": 1, "queue": "q", "count": 1}, {"op": "get", "at_ms": "soon", "queue": "q"}]');
  await script.getByRole('button', { name: 'Apply' }).click();
  await script.getByText(/not applied: step 2 \(script\[1\]\): invalid type: string "soon", expected a number/).waitFor();
  await script.getByRole('button', { name: 'Discard edits' }).click();
  await script.getByRole('button', { name: 'Remove step 1' }).click();
  await script.getByText(/No steps yet/).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('move back a dead-letter queue and purge a queue by hand, paused', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas g[data-kind="queue"]').first().waitFor();
  // The dead-letter queue is the queue fed through the dead-letter exchange.
  const dlq = await page.$$eval('#canvas [data-edge-kind="dead-letter"]', (es) => es.map((e) => e.getAttribute('data-to')));
  assert.equal(dlq.length, 1);
  const parked = await page.$$eval('#canvas [data-edge-kind="binding"]', (es, dlx) => es.filter((e) => e.getAttribute('data-from') === dlx).map((e) => e.getAttribute('data-to')), dlq[0]);
  const queueId = parked[0];
  await page.getByLabel('Speed').selectOption({ index: 5 });
  await page.getByRole('button', { name: 'Play' }).click();
  const ready = () => page.$eval(`#canvas g[data-node-id="${queueId}"] .ready`, (t) => Number(t.textContent.match(/\d+/)[0]));
  await page.waitForFunction((id) => Number(document.querySelector(`#canvas g[data-node-id="${id}"] .ready`)?.textContent.match(/\d+/)?.[0] ?? 0) >= 2, queueId, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.ok(await ready() >= 2);
  await page.locator(`#canvas g[data-node-id="${queueId}"]`).click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const now = page.getByRole('region', { name: 'Now' });
  await now.getByRole('button', { name: 'Move back' }).click();
  await now.getByText(/moved the dead-lettered messages back/).waitFor();
  await page.waitForFunction((id) => document.querySelector(`#canvas g[data-node-id="${id}"] .ready`)?.textContent.includes('ready 0'), queueId);
  await now.getByRole('button', { name: 'Move back' }).click();
  await now.getByText(/nothing to move back/).waitFor();
  await now.getByRole('button', { name: 'Purge' }).click();
  await now.getByText(/purged the ready messages/).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the messages panel lists a queue of 100,000 messages, virtualised', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  for (const name of ['Producer', 'Exchange', 'Queue']) {
    await page.getByRole('button', { name, exact: true }).click();
  }
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 3);
  // The producer sends 100,000 at once and nobody consumes.
  await page.locator('#canvas g[data-kind="producer"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByLabel('Rate (messages/s)').fill('0');
  await page.getByLabel('Rate (messages/s)').press('Enter');
  await page.getByLabel('Bursts (JSON)').fill('[{"at_ms": 0, "count": 100000}]');
  await page.getByLabel('Bursts (JSON)').blur();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /ready 100000/.test(document.querySelector('#canvas g[data-kind="queue"]')?.textContent ?? ''), null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('#canvas g[data-kind="queue"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  // The Get form starts on a plain ack (not on its last option).
  assert.equal(await page.getByRole('region', { name: 'Now' }).getByLabel('Ack mode').inputValue(), 'ack');
  const panel = page.getByRole('region', { name: 'Messages' });
  await panel.getByText('Messages (100000)').waitFor();
  // Only the rows in view exist.
  const rows = await panel.locator('.message-row').count();
  assert.ok(rows > 0 && rows < 20, `${rows} rows drawn`);
  assert.match(await panel.locator('.message-row').first().innerText(), /^1\. message 1/);
  // Scrolled to the end, the last message shows.
  await panel.locator('.message-list').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
  await panel.getByText(/^100000\. message 100000/).waitFor();
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'messages-panel-100k.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a long script is listed a hundred steps at a time; the JSON holds all of it, one step per line', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-kind="queue"]').first().waitFor();
  const steps = Array.from({ length: 250 }, (_, i) => ({ op: 'publish', at_ms: i * 10, exchange: '', routing_key: 'tasks', payload: `p${i}` }));
  await page.getByRole('tab', { name: 'Script' }).click();
  const script = page.getByRole('region', { name: 'Script' });
  await script.getByText('Edit as JSON').click();
  // Stopped: a script of 250 steps shows the first hundred.
  await script.getByLabel('Script (JSON)').fill(JSON.stringify(steps));
  await script.getByRole('button', { name: 'Apply' }).click();
  const pages = script.getByRole('navigation', { name: 'Script pages' });
  await pages.getByText('Steps 1–100 of 250').waitFor();
  assert.equal(await script.locator('.script-step').count(), 100);
  assert.equal(await script.getByRole('button', { name: 'Earlier steps' }).isDisabled(), true);
  // The text box holds every step, one per line.
  const json = await script.getByLabel('Script (JSON)').inputValue();
  assert.equal(json.split('\n').length, 252, 'brackets and one line per step');
  assert.deepEqual(JSON.parse(json).map((s) => s.payload), steps.map((s) => s.payload));
  // Playing: Later steps by keyboard turns the page.
  await page.getByRole('button', { name: 'Play' }).click();
  await script.getByRole('button', { name: 'Later steps' }).focus();
  await page.keyboard.press('Enter');
  await pages.getByText('Steps 101–200 of 250').waitFor();
  await script.getByText('publish "p150" to exchange (default) with key "tasks"').waitFor();
  // Removing a step keeps its page in view.
  await script.getByRole('button', { name: 'Remove step 151' }).click();
  await pages.getByText('Steps 101–200 of 249').waitFor();
  assert.equal(await script.getByText('publish "p150" to exchange (default) with key "tasks"').count(), 0);
  await page.getByRole('button', { name: 'Pause' }).click();
  await script.getByRole('button', { name: 'Later steps' }).click();
  await pages.getByText('Steps 201–249 of 249').waitFor();
  assert.equal(await script.getByRole('button', { name: 'Later steps' }).isDisabled(), true);
  // Undo brings the step back, with its page in view.
  await page.keyboard.press('Control+z');
  await pages.getByText('Steps 101–200 of 250').waitFor();
  await script.getByText('publish "p150" to exchange (default) with key "tasks"').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a script applied as JSON before the run starts runs when Play is pressed', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=point-to-point`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  await page.getByRole('tab', { name: 'Script' }).click();
  const script = page.getByRole('region', { name: 'Script' });
  await script.getByText('Edit as JSON').click();
  await script.getByLabel('Script (JSON)').fill('[{"op": "publish", "at_ms": 200, "exchange": "forms", "routing_key": "x", "payload": "from the script"}]');
  await script.getByRole('button', { name: 'Apply' }).click();
  await script.getByText(/from the script/).first().waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByRole('region', { name: 'Event log' }).getByText(/the script published/).first().waitFor({ timeout: 15000 });
  assert.deepEqual(errors, []);
  await page.close();
});
