// The gallery, share links, the embedded player and files, as a person uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { useBrowserAndServer, DIST, ARTIFACTS, ROOT } from './lib/browser.mjs';

const IDS = ['point-to-point', 'work-queue', 'pub-sub', 'topic-routing', 'headers-routing', 'wire-tap', 'dead-letter',
  'retry-with-delay', 'request-reply', 'priority', 'alternate-exchange', 'load-levelling', 'consumer-outage',
  'delivery-guarantees', 'ordering', 'facade-lab', 'stress'];

const env = useBrowserAndServer();

async function fresh() {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 850 }, acceptDownloads: true });
  return { context, page: await context.newPage() };
}

test('every gallery pattern opens by ?pattern=ID with its nodes and explanation', async () => {
  const { context, page } = await fresh();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const id of IDS) {
    await page.goto(`${env.server.url}?pattern=${id}`);
    await page.locator('g[data-node-id]').first().waitFor();
    assert.ok((await page.locator('g[data-node-id]').count()) >= 3, `${id} has nodes`);
    if (id !== 'stress') {
      await page.getByRole('region', { name: 'About this pattern' }).waitFor();
      assert.match(await page.getByRole('region', { name: 'About this pattern' }).innerText(), /try this/i);
    }
  }
  // The gallery overlay opens them too.
  await page.getByRole('button', { name: 'Gallery' }).click();
  await page.getByRole('dialog', { name: 'Pattern gallery' }).locator('[data-pattern="dead-letter"]').click();
  await page.getByRole('region', { name: 'About this pattern' }).waitFor();
  assert.ok(await page.locator('g[data-kind="queue"]').count() >= 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link restores the diagram exactly in a fresh browser', async () => {
  const a = await fresh();
  await a.page.goto(`${env.server.url}?pattern=topic-routing`);
  await a.page.locator('g[data-node-id]').first().waitFor();
  const names = (await a.page.locator('g[data-node-id] .label').allTextContents()).sort();
  const edges = await a.page.locator('g[data-edge-id]').count();
  await a.page.getByRole('button', { name: 'Share' }).click();
  await a.page.getByRole('status').waitFor();
  const link = a.page.url();
  assert.match(link, /#s=/);
  await a.context.close();

  const b = await fresh();
  await b.page.goto(link);
  await b.page.locator('g[data-node-id]').first().waitFor();
  assert.deepEqual((await b.page.locator('g[data-node-id] .label').allTextContents()).sort(), names);
  assert.equal(await b.page.locator('g[data-edge-id]').count(), edges);
  await b.context.close();
});

test('a share link pasted into a tab already showing the app opens its diagram', async () => {
  const a = await fresh();
  await a.page.goto(`${env.server.url}?pattern=topic-routing`);
  await a.page.locator('g[data-node-id]').first().waitFor();
  const names = (await a.page.locator('g[data-node-id] .label').allTextContents()).sort();
  await a.page.getByRole('button', { name: 'Share' }).click();
  const link = a.page.url();
  await a.context.close();

  const b = await fresh();
  await b.page.goto(`${env.server.url}?pattern=work-queue`);
  await b.page.locator('g[data-node-id]').first().waitFor();
  // Only the fragment changes: the page does not load again.
  await b.page.evaluate((hash) => { location.hash = hash; }, new URL(link).hash);
  await b.page.locator('.notice').getByText(/Opened the diagram of the share link/).waitFor();
  assert.deepEqual((await b.page.locator('g[data-node-id] .label').allTextContents()).sort(), names);
  // A broken one says so and changes nothing.
  await b.page.evaluate(() => { location.hash = '#s=garbage!'; });
  await b.page.locator('.notice').getByText(/This share link cannot be opened/).waitFor();
  assert.deepEqual((await b.page.locator('g[data-node-id] .label').allTextContents()).sort(), names);
  await b.context.close();
});

test('after an edit, reloading a ?pattern or share link brings back the edited diagram', async () => {
  const { context, page } = await fresh();
  await page.goto(`${env.server.url}?pattern=point-to-point&embed=0`);
  await page.locator('g[data-node-id]').first().waitFor();
  const before = await page.locator('g[data-node-id]').count();
  // Unchanged, the link stays in the address bar and a reload opens it again.
  await page.reload();
  await page.locator('g[data-node-id]').first().waitFor();
  assert.equal(await page.locator('g[data-node-id]').count(), before);
  assert.match(page.url(), /pattern=point-to-point/);
  // The first edit takes the link out of the address bar (other parameters stay).
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.waitForFunction((n) => document.querySelectorAll('g[data-node-id]').length === n, before + 1);
  await page.waitForFunction(() => !location.search.includes('pattern'));
  assert.match(page.url(), /embed=0/);
  await page.reload();
  await page.locator('g[data-node-id]').first().waitFor();
  assert.equal(await page.locator('g[data-node-id]').count(), before + 1, 'the edit survives the reload');
  // The same after Share: the link is in the address bar until the next edit.
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('status').waitFor();
  assert.match(page.url(), /#s=/);
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.waitForFunction((n) => document.querySelectorAll('g[data-node-id]').length === n, before + 2);
  await page.waitForFunction(() => !location.hash.startsWith('#s='));
  await page.reload();
  await page.locator('g[data-node-id]').first().waitFor();
  assert.equal(await page.locator('g[data-node-id]').count(), before + 2);
  await context.close();
});

test('reloading a link keeps the copy of the diagram from before it', async () => {
  const { context, page } = await fresh();
  await page.goto(env.server.url);
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.waitForFunction(() => (localStorage.getItem('queue-playground/autosave') ?? '').includes('queue-2'));
  const mine = await page.evaluate(() => localStorage.getItem('queue-playground/autosave'));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('g[data-node-id]').first().waitFor();
  const kept = () => page.evaluate(() => localStorage.getItem('queue-playground/autosave-before-link'));
  assert.equal(await kept(), mine);
  await page.reload();
  await page.locator('g[data-node-id]').first().waitFor();
  assert.equal(await kept(), mine, 'still the diagram from before the link');
  await context.close();
});

test('two tabs on one diagram: an edit in one shows in the other, and neither overwrites it', async () => {
  const { context, page: a } = await fresh();
  await a.goto(env.server.url);
  await a.locator('#canvas').waitFor();
  const b = await context.newPage();
  await b.goto(env.server.url);
  await b.locator('#canvas').waitFor();
  await a.getByRole('button', { name: 'Exchange', exact: true }).click();
  await b.locator('#canvas g[data-kind="exchange"]').waitFor();
  assert.match(await b.locator('.notice').innerText(), /changed in another tab/);
  await b.getByRole('button', { name: 'Queue', exact: true }).click();
  await a.locator('#canvas g[data-kind="queue"]').waitFor();
  await a.reload();
  await a.locator('#canvas g[data-kind="queue"]').waitFor();
  assert.equal(await a.locator('#canvas g[data-kind="exchange"]').count(), 1, 'the first tab\'s exchange was kept');
  await context.close();
});

test('a stress size the link cannot use is said, not ignored', async () => {
  const { context, page } = await fresh();
  for (const [n, said] of [['abc', /n=abc is not a whole number/], ['5', /n=5 is outside 100 to 200,000/]]) {
    await page.goto(`${env.server.url}?pattern=stress&n=${n}`);
    await page.locator('g[data-node-id]').first().waitFor();
    assert.match(await page.getByRole('status').first().innerText(), said);
  }
  // A size it can use is the diagram's name, and the About text stays with it.
  await page.goto(`${env.server.url}?pattern=stress&n=50000`);
  const about = page.getByRole('region', { name: 'About this pattern' });
  await about.getByRole('heading', { name: 'Stress: 50,000 messages in flight' }).waitFor();
  await about.getByText(/dense with dots/).waitFor();
  await context.close();
});

test('the seed typed in the controls is kept by the diagram (reload, share)', async () => {
  const { context, page } = await fresh();
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('g[data-node-id]').first().waitFor();
  const seed = page.getByLabel('Seed');
  await seed.fill('99999999999999999999');
  await seed.press('Enter');
  await page.getByText(/is larger than 18446744073709551615/).waitFor();
  await seed.fill('7');
  await seed.press('Enter');
  await page.waitForFunction(() => /"seed":7/.test(localStorage.getItem('queue-playground/autosave') ?? ''));
  await page.reload();
  await page.locator('g[data-node-id]').first().waitFor();
  await page.waitForFunction(() => document.querySelector('input[aria-label="Seed"]')?.value === '7');
  await context.close();
});

test('a broken link shows a notice and leaves the saved diagram alone', async () => {
  const { context, page } = await fresh();
  await page.goto(env.server.url);
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.locator('g[data-kind="queue"]').waitFor();
  const saved = await page.evaluate(() => localStorage.getItem('queue-playground/autosave'));
  for (const fragment of ['#s=not-a-diagram', '#s=eJzLSM3JyVcozy_KSQEAGgQEXQ'.slice(0, 12)]) {
    await page.goto(`${env.server.url}${fragment}`);
    await page.reload();
    // The notice bar (the loading screen before the app is a status too).
    const notice = page.locator('.notice[role=status]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /share link cannot be opened/);
    assert.equal(await page.locator('g[data-kind="queue"]').count(), 1, 'the saved diagram is shown');
    assert.equal(await page.evaluate(() => localStorage.getItem('queue-playground/autosave')), saved);
  }
  await context.close();
});

test('embed mode is a read-only player', async () => {
  const { context, page } = await fresh();
  await page.goto(`${env.server.url}?embed=1&pattern=work-queue`);
  await page.locator('g[data-node-id]').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Producer', exact: true }).count(), 0, 'no palette');
  assert.equal(await page.getByRole('button', { name: 'Undo' }).count(), 0, 'no editing toolbar');
  assert.equal(await page.getByRole('tab', { name: 'Inspector' }).count(), 0, 'no inspector');
  await page.getByRole('region', { name: 'About this pattern' }).waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /published [1-9]/.test(document.querySelector('#stats')?.innerText ?? ''));
  assert.equal(await page.evaluate(() => localStorage.getItem('queue-playground/autosave')), null, 'the player saves nothing');
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed.png') });
  // An unknown pattern: the player says it has nothing to show (it keeps no diagram of
  // the visitor's, so "your diagram is unchanged" would be wrong there).
  await page.goto(`${env.server.url}?embed=1&pattern=nope`);
  const notice = page.locator('.notice[role=status]');
  await notice.waitFor();
  assert.match(await notice.innerText(), /no pattern called "nope".*The player has nothing to show\./s);
  await page.goto(`${env.server.url}?pattern=nope`);
  await notice.waitFor();
  assert.match(await notice.innerText(), /no pattern called "nope".*Your diagram is unchanged\./s);
  await context.close();
});

test('open scenario and definitions files; bad files are refused with a reason; downloads', async () => {
  const { context, page } = await fresh();
  await page.goto(env.server.url);
  const input = page.locator('input[type="file"]');
  await input.setInputFiles(path.join(ROOT, 'tests/scenarios/dead-letter.json'));
  await page.locator('g[data-kind="queue"]').first().waitFor();
  assert.equal(await page.locator('g[data-kind="queue"]').count(), 2);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qp-e2e-'));
  const bad = [
    ['broken.json', '{ not json', /Could not open/],
    ['version.json', '{"version": 7, "nodes": []}', /version/],
    ['kind.json', '{"version": 1, "nodes": [{"id": "a", "kind": "stream"}]}', /nodes\[0\]\.kind/],
    ['dangling.json', '{"version": 1, "nodes": [{"id": "q", "kind": "queue", "name": "q"}], "edges": [{"id": "e", "from": "q", "to": "x", "kind": "subscription"}]}', /edges\[0\]\.to/],
  ];
  for (const [name, text, why] of bad) {
    fs.writeFileSync(path.join(dir, name), text);
    await input.setInputFiles(path.join(dir, name));
    await page.getByRole('status').filter({ hasText: name }).waitFor();
    assert.match(await page.getByRole('status').innerText(), why);
    assert.equal(await page.locator('g[data-kind="queue"]').count(), 2, `${name}: the diagram is unchanged`);
  }
  const huge = path.join(dir, 'huge.json');
  fs.writeFileSync(huge, `{"version": 1, "nodes": [], "padding": "${'x'.repeat(21 * 1024 * 1024)}"}`);
  await input.setInputFiles(huge);
  await page.getByRole('status').filter({ hasText: 'MB' }).waitFor();

  const defs = path.join(dir, 'definitions.json');
  fs.writeFileSync(defs, JSON.stringify({
    queues: [{ name: 'orders', vhost: '/', durable: true, auto_delete: false, arguments: { 'x-message-ttl': 5000 } }],
    exchanges: [{ name: 'shop', vhost: '/', type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} }],
    bindings: [{ source: 'shop', vhost: '/', destination: 'orders', destination_type: 'queue', routing_key: 'order.*', arguments: {} }],
    parameters: [{ vhost: '/', component: 'shovel', name: 's1', value: {} }],
  }));
  await input.setInputFiles(defs);
  await page.getByRole('status').filter({ hasText: 'Imported RabbitMQ definitions' }).waitFor();
  assert.equal(await page.getByRole('group', { name: 'orders' }).count(), 1);

  for (const [button, ext] of [['Download scenario', '.json'], ['Export definitions', '.json'], ['Export SVG', '.svg'], ['Export PNG', '.png']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    assert.ok(download.suggestedFilename().endsWith(ext), `${button} → ${download.suggestedFilename()}`);
    const file = await download.path();
    assert.ok(fs.statSync(file).size > 100, `${button} wrote a file`);
    if (ext === '.svg') assert.match(fs.readFileSync(file, 'utf8'), /<svg[^>]*xmlns/);
  }
  await context.close();
});

test('a file opened on the About tab shows the Inspector; Undo brings the pattern and its About back', async () => {
  const { context, page } = await fresh();
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas g[data-node-id="dlq"]').waitFor();
  const selected = () => page.evaluate(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent ?? null);
  assert.equal(await selected(), 'About');
  const defs = path.join(os.tmpdir(), `qp-defs-${process.pid}.json`);
  fs.writeFileSync(defs, JSON.stringify({
    queues: [{ name: 'orders', vhost: '/', durable: true, auto_delete: false, arguments: {} }],
    exchanges: [{ name: 'shop', vhost: '/', type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} }],
    bindings: [{ source: 'shop', vhost: '/', destination: 'orders', destination_type: 'queue', routing_key: 'order.*', arguments: {} }],
  }));
  await page.getByLabel('Scenario or definitions file').setInputFiles(defs);
  await page.getByRole('status').filter({ hasText: 'Imported RabbitMQ definitions' }).waitFor();
  assert.equal(await selected(), 'Inspector', 'a tab is shown');
  assert.equal(await page.getByRole('tab', { name: 'About' }).count(), 0);
  await page.locator('#canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.locator('#canvas g[data-node-id="dlq"]').waitFor();
  await page.getByRole('tab', { name: 'About' }).waitFor();
  await context.close();
});

test('an exported SVG styles its frames as the canvas does (not as black boxes)', async () => {
  const { context, page } = await fresh();
  await page.goto(`${env.server.url}?pattern=delivery-guarantees`);
  await page.locator('#canvas .frame').first().waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  const svg = fs.readFileSync(await download.path(), 'utf8');
  assert.match(svg, /class="frame/);
  assert.match(svg, /\.frame rect\s*\{[^}]*fill-opacity/);
  // Drawn: the frame's box is see-through, its title in the text colour.
  const view = await context.newPage();
  await view.setContent(svg);
  const fill = await view.$eval('.frame rect', (r) => [getComputedStyle(r).fillOpacity, getComputedStyle(r).fill]);
  assert.ok(Number(fill[0]) < 0.2, `frame fill ${fill}`);
  await context.close();
});

test('the player opened without a diagram says what it plays, not to use a palette it lacks', async () => {
  const { context, page } = await fresh();
  await page.goto(`${env.server.url}?embed=1`);
  const empty = page.locator('.canvas-empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /Nothing to play/);
  assert.doesNotMatch(await empty.innerText(), /palette/);
  await context.close();
});
