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
  await page.screenshot({ path: path.join(ARTIFACTS, 'palette-four-clicks.png') });
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
