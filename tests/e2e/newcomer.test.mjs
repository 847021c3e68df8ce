// What a newcomer does in the first minutes, in the states they are actually in:
// side-panel tabs switch while stopped, paused and playing; palette clicks never stack
// nodes; a saved diagram that cannot be opened is offered back (repair or download).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

async function selectedTab(page) {
  return page.$$eval('[role=tab][aria-selected=true]', (ts) => ts.map((t) => t.textContent).join(','));
}

test('side-panel tabs switch while stopped, paused and playing', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  assert.equal(await selectedTab(page), 'About');
  for (const [state, action] of [['stopped', null], ['playing', 'Play'], ['paused', 'Pause']]) {
    if (action) await page.getByRole('button', { name: action }).click();
    for (const tab of ['Inspector', 'Log', 'Charts', 'Trace', 'About']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForFunction((t) => document.querySelector('[role=tab][aria-selected=true]')?.textContent === t, tab, { timeout: 2000 });
      assert.equal(await selectedTab(page), tab, `${tab} while ${state}`);
    }
  }
  // By keyboard too: focus a tab and press Enter.
  await page.getByRole('tab', { name: 'Log' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent === 'Log');
  await page.screenshot({ path: path.join(ARTIFACTS, 'tabs-paused.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('palette clicks place each node clear of the others, by mouse and by keyboard', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  for (const name of ['Producer', 'Exchange']) await page.getByRole('button', { name, exact: true }).click();
  for (const name of ['Queue', 'Consumer']) {
    await page.getByRole('button', { name, exact: true }).focus();
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 4);
  const boxes = await page.$$eval('#canvas g[data-kind]', (ns) => ns.map((n) => n.querySelector('.node-body, rect, path, polygon, ellipse')?.getBoundingClientRect() ?? n.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i];
      const b = boxes[j];
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.ok(!overlap, `node ${i} and node ${j} overlap: ${JSON.stringify([a, b])}`);
    }
  }
  // Each click connected the new node to the one selected before: a working flow.
  assert.equal(await page.locator('#canvas [data-edge-kind="publish"]').count(), 1);
  assert.equal(await page.locator('#canvas [data-edge-kind="binding"]').count(), 1);
  assert.equal(await page.locator('#canvas [data-edge-kind="subscription"]').count(), 1);
  // Every node is on screen and clickable.
  for (const kind of ['producer', 'exchange', 'queue', 'consumer']) {
    await page.locator(`#canvas g[data-kind="${kind}"] .label`).click();
    await page.waitForFunction((k) => document.querySelector(`#canvas g[data-kind="${k}"]`).classList.contains('selected'), kind);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'palette-four-clicks.png') });
  // Space (not on a button) plays; the consumer gets work.
  await page.locator('#canvas').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press(' ');
  await page.waitForFunction(() => /processed [1-9]/.test(document.querySelector('#canvas g[data-kind="consumer"]').textContent), null, { timeout: 15000 });
  await page.keyboard.press(' ');
  await page.waitForFunction(() => !document.querySelector('button[aria-label=Play]').disabled);
  await context.close();
});

test('a saved diagram that cannot be opened is offered back: repair and open it', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Written by an older build: an exchange renamed to "" (the default exchange) still
  // has a binding, which no diagram may have.
  const broken = {
    app: 'queue-playground',
    viewport: { x: 0, y: 0, zoom: 1 },
    scenario: {
      version: 1,
      nodes: [
        { id: 'x', kind: 'exchange', name: '', x: 100, y: 100 },
        { id: 'q', kind: 'queue', name: 'work', x: 400, y: 100 },
      ],
      edges: [{ id: 'e1', from: 'x', to: 'q', kind: 'binding', routing_key: 'k' }],
    },
  };
  await context.addInitScript((text) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('queue-playground/autosave', text);
      sessionStorage.setItem('seeded', '1');
    }
  }, JSON.stringify(broken));
  const page = await context.newPage();
  await page.goto(env.server.url);
  const notice = page.locator('.notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /could not be opened/);
  const kept = await page.evaluate(() => localStorage.getItem('queue-playground/autosave-unreadable'));
  assert.ok(kept && kept.includes('"work"'), 'the unreadable save is kept');
  assert.ok(await page.getByRole('button', { name: 'Download the saved diagram', exact: true }).isVisible());
  await page.screenshot({ path: path.join(ARTIFACTS, 'damaged-save-offered.png') });
  await page.getByRole('button', { name: 'Repair and open' }).click();
  await page.locator('#canvas g[data-node-id="q"]').waitFor();
  assert.match(await notice.innerText(), /Repaired: removed edge `e1`/);
  assert.equal(await page.locator('#canvas g[data-node-id]').count(), 2, 'both nodes are back');
  await context.close();
});

test('P plays and pauses; a diagram that would do nothing says why; an edit that restarts the run says so', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  // A lone producer: the status bar says it is not connected.
  await page.getByRole('button', { name: 'Producer', exact: true }).click();
  await page.locator('#stats .hint').waitFor();
  assert.match(await page.locator('#stats .hint').innerText(), /producer-1 is not connected/);
  await context.close();

  const p2 = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await p2.goto(`${env.server.url}?pattern=work-queue`);
  await p2.locator('#canvas [data-node-id]').first().waitFor();
  assert.equal(await p2.locator('#stats .hint').count(), 0, 'a connected diagram has no hint');
  await p2.locator('#canvas').click({ position: { x: 5, y: 5 } });
  await p2.keyboard.press('p');
  await p2.waitForFunction(() => document.querySelector('button[aria-label=Pause]') && !document.querySelector('button[aria-label=Pause]').disabled);
  await p2.waitForFunction(() => /published [1-9]/.test(document.querySelector('#stats').innerText));
  await p2.keyboard.press('p');
  await p2.waitForFunction(() => !document.querySelector('button[aria-label=Play]').disabled);
  // Paused mid-run, an edit in the inspector restarts the run: the status bar says so.
  await p2.locator('#canvas g[data-node-id="image-jobs"]').click();
  await p2.getByRole('tab', { name: 'Inspector' }).click();
  const ttl = p2.getByLabel('Message TTL (ms)');
  await ttl.fill('60000');
  await ttl.press('Enter');
  await p2.waitForFunction(() => /started again at t = 0/.test(document.querySelector('#stats').innerText));
  assert.match(await p2.locator('#stats').innerText(), /t = 0\.000 s/);
  await p2.screenshot({ path: path.join(ARTIFACTS, 'restarted-after-edit.png') });
  // Another diagram opened from the gallery mid-run is a new run, not a restart.
  await p2.keyboard.press('Escape');
  await p2.getByRole('button', { name: 'Play' }).click();
  await p2.waitForFunction(() => /published [1-9]/.test(document.querySelector('#stats').innerText));
  await p2.getByRole('button', { name: 'Gallery' }).click();
  await p2.getByRole('dialog', { name: 'Pattern gallery' }).getByRole('button', { name: /^Dead-letter queue/ }).click();
  await p2.locator('#canvas g[data-node-id="dlq"]').waitFor();
  await p2.waitForTimeout(300);
  assert.doesNotMatch(await p2.locator('#stats').innerText(), /started again/);
  await p2.close();
});

test('the About tab follows the diagram: gone after Undo, kept in a share link of an edited pattern', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByRole('button', { name: 'Producer', exact: true }).click();
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  assert.equal(await page.getByRole('tab', { name: 'About' }).count(), 1);
  await page.getByRole('button', { name: /Undo/ }).first().click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas g[data-kind]').length === 1);
  assert.equal(await page.getByRole('tab', { name: 'About' }).count(), 0, 'the pattern left the canvas, so did its About');
  // Redo brings the pattern back; edit it (move a node) and share it: the link opens
  // with the explanation.
  await page.getByRole('button', { name: 'Redo' }).click();
  await page.locator('#canvas g[data-node-id="dlq"]').waitFor();
  const box = await page.locator('#canvas g[data-node-id="dlq"]').boundingBox();
  await page.mouse.move(box.x + 40, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 40, box.y + 120, { steps: 5 });
  await page.mouse.up();
  await page.getByRole('button', { name: 'Share' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const link = page.url();
  const other = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await other.goto(link);
  await other.locator('#canvas g[data-node-id="dlq"]').waitFor();
  assert.equal(await other.getByRole('tab', { name: 'About' }).count(), 1, 'a shared pattern keeps its About');
  await other.close();
  await context.close();
});

test('a phone and a narrow embed show the canvas, with the controls right under it', async () => {
  for (const [w, h, query] of [[390, 844, '?pattern=work-queue'], [380, 560, '?embed=1&pattern=work-queue'], [800, 600, '?pattern=work-queue']]) {
    const page = await env.browser.newPage({ viewport: { width: w, height: h } });
    await page.goto(`${env.server.url}${query}`);
    await page.locator('#canvas [data-node-id]').first().waitFor();
    const canvas = await page.locator('#canvas').boundingBox();
    assert.ok(canvas.width >= Math.min(w, 460) * 0.55, `${w}×${h}: canvas ${canvas.width} px wide`);
    assert.ok(canvas.height >= 200, `${w}×${h}: canvas ${canvas.height} px high`);
    const play = await page.getByRole('button', { name: 'Play' }).boundingBox();
    assert.ok(play.y >= canvas.y + canvas.height - 1, `${w}×${h}: Play is below the canvas`);
    if (w < 700) assert.ok(play.y - (canvas.y + canvas.height) < 40, `${w}×${h}: Play is right under the canvas`);
    // The timeline follows the controls (not above the palette).
    const timeline = await page.getByRole('group', { name: 'Timeline' }).boundingBox();
    assert.ok(timeline.y >= play.y, `${w}×${h}: the timeline (${timeline.y}) is under the controls (${play.y})`);
    await page.screenshot({ path: path.join(ARTIFACTS, `small-${w}x${h}.png`), fullPage: true });
    await page.close();
  }
});

test('nodes by keyboard: Tab to a node, Enter selects, arrows move, C then Enter connects', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByRole('button', { name: 'Producer', exact: true }).click();
  await page.getByRole('button', { name: 'Exchange', exact: true }).click();
  const producer = page.locator('#canvas g[data-kind="producer"]');
  const exchange = page.locator('#canvas g[data-kind="exchange"]');
  await producer.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#canvas g[data-kind="producer"]').classList.contains('selected'));
  const x0 = Number(await producer.getAttribute('data-x'));
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((x) => Number(document.querySelector('#canvas g[data-kind="producer"]').getAttribute('data-x')) === x + 20, x0);
  await page.keyboard.press('c');
  assert.match(await page.locator('.notice').innerText(), /Connecting from producer-1/);
  await exchange.focus();
  await page.keyboard.press('Enter');
  await page.locator('#canvas [data-edge-kind="publish"]').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'keyboard-connect.png') });
  await context.close();
});

test('the embedded player at 960×560: the wheel scrolls the host page, Fit brings a panned diagram back, the bars take one row each', async () => {
  const page = await env.browser.newPage({ viewport: { width: 960, height: 560 } });
  await page.goto(`${env.server.url}?embed=1&pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const transform = () => page.$eval('#canvas svg.diagram g.viewport', (g) => g.getAttribute('transform'));
  const before = await transform();
  await page.mouse.move(300, 250);
  await page.mouse.wheel(0, 300);
  await page.waitForTimeout(200);
  assert.equal(await transform(), before, 'the wheel alone does not zoom an embedded diagram');
  // A stray drag pans it away; Fit puts it back.
  await page.mouse.move(300, 300);
  await page.mouse.down();
  await page.mouse.move(700, 500, { steps: 5 });
  await page.mouse.up();
  assert.notEqual(await transform(), before);
  await page.getByRole('button', { name: 'Fit to view' }).click();
  await page.waitForFunction((t) => document.querySelector('#canvas svg.diagram g.viewport').getAttribute('transform') === t, before);
  const canvas = await page.locator('#canvas').boundingBox();
  assert.ok(canvas.height >= 400, `the canvas has the height: ${canvas.height}`);
  await page.close();
});

test('a loading screen until the app mounts; the gallery closes on Escape and on its backdrop; Share says it copied a link', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Hold the wasm back: the page shows the loading screen with the product name.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
  await page.locator('#loading').waitFor();
  assert.match(await page.locator('#loading').innerText(), /Queue Playground/);
  release();
  await page.locator('#canvas').waitFor();
  await page.waitForFunction(() => !document.querySelector('#loading'));
  await page.unroute('**/*.wasm');

  await page.getByRole('button', { name: 'Gallery' }).click();
  await page.getByRole('dialog', { name: 'Pattern gallery' }).waitFor();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[aria-label="Pattern gallery"]'));
  await page.getByRole('button', { name: 'Gallery' }).click();
  await page.getByRole('dialog', { name: 'Pattern gallery' }).click({ position: { x: 5, y: 5 } });
  await page.waitForFunction(() => !document.querySelector('[aria-label="Pattern gallery"]'));

  await page.getByRole('button', { name: 'Share' }).click();
  const notice = await page.locator('.notice').innerText();
  assert.match(notice, /Share link copied/);
  assert.ok(notice.length < 200, 'the notice does not paste the whole link');
  await page.close();
});

test('an opened scenario and an imported definitions file are fitted to the view', async () => {
  const { ROOT } = await import('./lib/browser.mjs');
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  for (const file of ['tests/fixtures/definitions/full-export.json', 'tests/scenarios/topic-routing.json']) {
    await page.locator('input[type="file"]').setInputFiles(path.join(ROOT, file));
    await page.locator('#canvas g[data-node-id]').first().waitFor();
    await page.waitForTimeout(300);
    const canvas = await page.locator('#canvas').boundingBox();
    const boxes = await page.$$eval('#canvas svg.diagram g[data-node-id]', (ns) => ns.map((n) => n.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]));
    assert.ok(boxes.length > 3, file);
    for (const [l, t, r, b] of boxes) {
      assert.ok(l >= canvas.x - 1 && t >= canvas.y - 1 && r <= canvas.x + canvas.width + 1 && b <= canvas.y + canvas.height + 1, `${file}: a node outside the view`);
    }
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'imported-fitted.png') });
  await context.close();
});

test('a line dropped on empty canvas adds the next node there, connected', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByRole('button', { name: 'Exchange', exact: true }).click();
  const handle = await page.locator('#canvas svg.diagram circle.handle.out').first().boundingBox();
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 200, handle.y + 180, { steps: 8 });
  await page.mouse.up();
  await page.locator('#canvas g[data-kind="queue"]').waitFor();
  assert.equal(await page.locator('#canvas [data-edge-kind="binding"]').count(), 1);
  assert.match(await page.locator('.notice').innerText(), /Added a queue/);
  await context.close();
});

test('a queue lights its backlog slots as it fills; the help explains the figures', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=load-levelling`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const lit = () => page.locator('#canvas svg.diagram g[data-kind="queue"] .slot.lit').count();
  assert.equal(await lit(), 0, 'an empty queue lights nothing');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#canvas svg.diagram g[data-kind="queue"] .slot.lit').length > 0, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: path.join(ARTIFACTS, 'queue-backlog.png') });
  await page.getByRole('button', { name: 'Help' }).click();
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.match(await help.innerText(), /unacked/);
  assert.match(await help.innerText(), /Space \/ P/);
  await page.close();
});
