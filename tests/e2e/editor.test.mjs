// The canvas editor, driven as a person would: drag nodes from the palette, connect
// them, edit a binding key, reload and find the same diagram; refused connections say why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, watchedPage, DIST, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

/** Drags a palette button onto the canvas at (x, y) relative to the canvas. */
async function dropFromPalette(page, name, x, y) {
  const button = page.getByRole('button', { name, exact: true });
  const box = await button.boundingBox();
  const canvas = await page.locator('#canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(canvas.x + x / 2, canvas.y + y / 2, { steps: 4 });
  await page.mouse.move(canvas.x + x, canvas.y + y, { steps: 4 });
  await page.mouse.up();
}

async function centre(locator) {
  const b = await locator.boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Drags from a node's output handle to another node. */
async function connect(page, fromId, toId) {
  const handle = page.locator(`[data-node-id="${fromId}"] [data-handle]`);
  const start = await centre(handle);
  const end = await centre(page.locator(`g[data-node-id="${toId}"]`));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

async function idOf(page, kind) {
  return page.locator(`g[data-kind="${kind}"]`).first().getAttribute('data-node-id');
}

test('build a topology by drag and drop, edit a binding, reload and find it again', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 850 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(env.server.url);
  await page.getByRole('button', { name: 'Producer', exact: true }).waitFor();

  await dropFromPalette(page, 'Producer', 120, 200);
  await dropFromPalette(page, 'Exchange', 380, 200);
  await dropFromPalette(page, 'Queue', 640, 200);
  await dropFromPalette(page, 'Consumer', 900, 200);
  for (const kind of ['producer', 'exchange', 'queue', 'consumer']) {
    assert.equal(await page.locator(`g[data-kind="${kind}"]`).count(), 1, `one ${kind}`);
  }
  // dropped where released: the producer's box contains the drop point
  const canvas = await page.locator('#canvas').boundingBox();
  const pbox = await page.locator('g[data-kind="producer"]').boundingBox();
  assert.ok(pbox.x < canvas.x + 120 && pbox.x + pbox.width > canvas.x + 120, 'producer placed at the drop point');

  const [p, x, q, c] = await Promise.all(['producer', 'exchange', 'queue', 'consumer'].map((k) => idOf(page, k)));
  await connect(page, p, x);
  await connect(page, x, q);
  await connect(page, q, c);
  assert.equal(await page.locator('[data-edge-id]').count(), 3);
  assert.equal(await page.locator(`[data-edge-kind="publish"][data-from="${p}"][data-to="${x}"]`).count(), 1);
  assert.equal(await page.locator(`[data-edge-kind="binding"][data-from="${x}"][data-to="${q}"]`).count(), 1);
  assert.equal(await page.locator(`[data-edge-kind="subscription"][data-from="${q}"][data-to="${c}"]`).count(), 1);

  // set the binding key in the inspector
  await page.locator('.edge-label.binding').click();
  const keyField = page.getByLabel('Binding key');
  await keyField.fill('orders.created');
  await keyField.press('Enter');
  await page.locator('.edge-label.binding', { hasText: 'orders.created' }).waitFor();

  // move the exchange: while the pointer is held it and its edges ride in the drag
  // layer and follow every move; on release it stays there, its edges attached
  const exchange = page.locator(`g[data-node-id="${x}"]`);
  const bindingLine = page.locator(`g[data-edge-id][data-from="${x}"] path.line`);
  const publishLine = page.locator(`g[data-edge-id][data-to="${x}"] path.line`);
  const y0 = Number(await exchange.getAttribute('data-y'));
  const bindingBefore = await bindingLine.getAttribute('d');
  const grab = await centre(exchange.locator('.shape'));
  // pressing a node that is not selected drags it alone, drawn selected while held, and
  // selects it at the release (with the render that commits the move)
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('g[data-node-id].selected').length === 0);
  assert.equal(await page.locator(`[data-node-id="${x}"]`).count(), 1, 'one element per node id (the handle has none)');
  await page.mouse.move(grab.x - 30, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x - 30, grab.y + 60, { steps: 6 });
  await page.mouse.move(grab.x - 30, grab.y + 120, { steps: 6 });
  assert.equal(await page.locator(`svg.drag-layer g[data-node-id="${x}"].selected`).count(), 1, 'drawn selected while held');
  assert.equal(await page.locator(`svg.drag-layer g[data-node-id="${x}"]`).count(), 1, 'lifted into the drag layer');
  assert.equal(await page.locator('.gesture-shield.moving').count(), 1, 'the shield holds the pointer');
  assert.equal(await page.locator(`[data-node-id="${x}"]`).count(), 1, 'one element per node id while held');
  assert.equal(await page.locator(`[data-edge-id][data-from="${x}"]`).count(), 1, 'one element per edge while held');
  const midY = Number(await page.locator(`svg.drag-layer g[data-node-id="${x}"]`).getAttribute('data-y'));
  assert.ok(Math.abs(midY - y0 - 120) < 1, `follows the pointer while held (${y0} → ${midY})`);
  assert.notEqual(await page.locator(`svg.drag-layer g[data-edge-id][data-from="${x}"] path.line`).getAttribute('d'), bindingBefore, 'its edges follow while held');
  await page.mouse.up();
  await page.locator('.gesture-shield.moving').waitFor({ state: 'detached' });
  assert.equal(await page.locator(`svg.drag-layer g[data-node-id="${x}"]`).count(), 0, 'back in the diagram');
  await page.waitForFunction((id) => document.querySelector(`g[data-node-id="${id}"].selected`), x);
  assert.deepEqual(await page.$$eval('g[data-node-id].selected', (g) => g.map((n) => n.getAttribute('data-node-id'))), [x], 'selected after the release');
  const y1 = Number(await exchange.getAttribute('data-y'));
  assert.ok(Math.abs(y1 - y0 - 120) <= 10, `moved by the drag, snapped (${y0} → ${y1})`);
  // the publish edge now ends at the exchange's left middle (its arrowhead's tip)
  const x1 = Number(await exchange.getAttribute('data-x'));
  const end = (await publishLine.getAttribute('d')).trim().split(/\s+/).pop().split(',').map(Number);
  assert.deepEqual(end, [x1, y1 + 32], 'the publish edge arrives at the moved exchange');
  const tip = (await page.locator(`g[data-edge-id][data-to="${x}"] path.arrow`).getAttribute('d')).match(/^M([-\d.]+),([-\d.]+)/).slice(1).map(Number);
  assert.deepEqual(tip, [x1, y1 + 32], 'its arrowhead too');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(([id, y]) => document.querySelector(`g[data-node-id="${id}"]`)?.getAttribute('data-y') === String(y), [x, y0]);
  assert.equal(await bindingLine.getAttribute('d'), bindingBefore, 'undo puts it and its edges back');

  // a refused connection says why
  await connect(page, p, q);
  const notice = page.getByRole('status');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Cannot connect .* exchange/);
  assert.equal(await page.locator('[data-edge-id]').count(), 3, 'nothing was added');

  await page.screenshot({ path: path.join(ARTIFACTS, 'editor.png') });

  // reload: the same diagram comes back from autosave
  await page.reload();
  await page.locator('g[data-kind="consumer"]').waitFor();
  for (const kind of ['producer', 'exchange', 'queue', 'consumer']) {
    assert.equal(await page.locator(`g[data-kind="${kind}"]`).count(), 1);
  }
  assert.equal(await page.locator('[data-edge-id]').count(), 3);
  assert.equal((await page.locator('.edge-label.binding').textContent()).trim(), 'orders.created');
  assert.deepEqual(errors, []);
  await context.close();
});

test('palette click, labels as text, undo/redo, delete', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 850 } });
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await page.goto(env.server.url);
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  const node = page.locator('g[data-kind="queue"]');
  await node.waitFor();
  // centred in the view
  const canvas = await page.locator('#canvas').boundingBox();
  const b = await node.boundingBox();
  assert.ok(Math.abs(b.x + b.width / 2 - (canvas.x + canvas.width / 2)) < 30, 'added at the centre');

  const evil = '<img src=x onerror=alert(1)>';
  const name = page.getByLabel('Name');
  await name.fill(evil);
  await name.press('Enter');
  await page.getByRole('group', { name: evil }).waitFor();
  // Too long for the box, the name is cut with "…" and its whole text is the title:
  // both as text.
  assert.equal(await page.locator('g[data-kind="queue"] .label title').textContent(), evil);
  const shown = await page.locator('g[data-kind="queue"] .label').evaluate((t) => t.lastChild.textContent);
  assert.ok(shown.startsWith('<img src=x') && shown.endsWith('…'), shown);
  assert.equal(await page.locator('#canvas img').count(), 0);

  // leave the text field (its own undo belongs to the browser), then undo the rename
  await page.mouse.click(canvas.x + 20, canvas.y + canvas.height - 20);
  await page.keyboard.press('Control+z');
  await page.getByRole('group', { name: evil }).waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Shift+z');
  await page.getByRole('group', { name: evil }).waitFor();
  await page.locator('g[data-kind="queue"] .label').click();
  await page.keyboard.press('Delete');
  await node.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Undo' }).click();
  await node.waitFor();
  assert.equal(dialogs, 0, 'no script ran from a label');

  // help overlay lists the shortcuts
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.match(await help.innerText(), /Undo/);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  await context.close();
});

test('a corrupted autosave shows a notice, starts clean and keeps the old data', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.url);
  // Wait for the app: it autosaves when it mounts, which would overwrite the damage.
  await page.locator('#canvas').waitFor();
  await page.evaluate(() => localStorage.setItem('queue-playground/autosave', '{"app":"queue-playground","viewport":{"x":0,"y":0,"zoom":1},"scenario":{"version":1,"nodes":[{"id":"a","kind":"bogus"}]}}'));
  await page.reload();
  // The notice bar (the loading screen before the app is a status too).
  const notice = page.locator('.notice[role=status]');
  await notice.waitFor();
  assert.match(await notice.innerText(), /could not be opened/);
  assert.equal(await page.locator('[data-node-id]').count(), 0);
  const kept = await page.evaluate(() => localStorage.getItem('queue-playground/autosave-unreadable'));
  assert.match(kept, /bogus/);
  // A second reload before anything new is saved offers it again.
  await page.reload();
  await notice.waitFor();
  assert.match(await notice.innerText(), /still kept in this browser/);
  assert.ok(await page.getByRole('button', { name: 'Repair and open' }).isVisible());
  await context.close();
});

test('the arrow keys move a node selected with the mouse, and a focused one once per press', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  const node = page.locator('#canvas g[data-node-id="orders"]');
  await node.waitFor();
  const saved = () => page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('queue-playground/autosave') ?? '{}');
    const n = s.scenario?.nodes?.find((x) => x.id === 'orders');
    return n ? [n.x, n.y] : null;
  });
  await node.click();
  await page.waitForFunction(() => localStorage.getItem('queue-playground/autosave'));
  const before = await saved();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((y) => JSON.parse(localStorage.getItem('queue-playground/autosave')).scenario.nodes.find((x) => x.id === 'orders').y !== y, before[1]);
  assert.deepEqual(await saved(), [before[0], before[1] + 20]);
  // Focused (Tab, as a keyboard user gets there) and selected: one step a press.
  await node.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((x) => JSON.parse(localStorage.getItem('queue-playground/autosave')).scenario.nodes.find((n) => n.id === 'orders').x !== x, before[0]);
  assert.deepEqual(await saved(), [before[0] + 20, before[1] + 20]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a name too long to read squeezed is cut with an ellipsis; its whole text stays its name', async () => {
  // Review: a 300-character name was squeezed into an unreadable grey bar.
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  const queue = page.locator('#canvas g[data-kind="queue"]').first();
  await queue.waitFor();
  await queue.click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const long = 'q'.repeat(300);
  await page.getByLabel('Name', { exact: true }).fill(long);
  await page.getByLabel('Name', { exact: true }).press('Tab');
  const node = page.locator(`#canvas g[data-kind="queue"][aria-label="${long}"]`);
  await node.waitFor();
  const label = await node.locator('text.label').evaluate((t) => ({ shown: t.lastChild.textContent, title: t.querySelector('title')?.textContent }));
  assert.ok(label.shown.endsWith('…') && label.shown.length < 60, label.shown);
  assert.equal(label.title, long);
  // A name a little too long is only squeezed, whole.
  await page.getByLabel('Name', { exact: true }).fill('image-jobs-for-thumbnails');
  await page.getByLabel('Name', { exact: true }).press('Tab');
  const shown = await page.locator('#canvas g[data-kind="queue"][aria-label="image-jobs-for-thumbnails"] text.label').textContent();
  assert.equal(shown, 'image-jobs-for-thumbnails');
  await page.close();
});
