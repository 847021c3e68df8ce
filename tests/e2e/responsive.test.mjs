// Below 900 px the canvas keeps the width: the side panel is a drawer opened by the
// header's Panel button, and (below 1100 px) the gallery, file and share buttons sit
// behind More, a menu that closes after a choice, on Escape and on a press elsewhere.
// At 1400 px neither button shows and everything is in place. On a short laptop screen
// the palette scrolls in its column; on a phone Fit shows the whole diagram and the
// gallery fits the screen. Selecting a node on the About tab opens its Inspector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

test('at 800×600 the side panel is a drawer and the toolbar has a More menu', async () => {
  const page = await env.browser.newPage({ viewport: { width: 800, height: 600 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const canvas = await page.locator('#canvas').boundingBox();
  assert.ok(canvas.width >= 800 * 0.8, `canvas ${canvas.width} px of 800`);
  const panel = page.locator('#side-panel');
  assert.equal(await panel.isVisible(), false, 'the drawer starts closed');
  const toggle = page.getByRole('button', { name: 'Panel' });
  await toggle.click();
  await page.waitForFunction(() => getComputedStyle(document.querySelector('#side-panel')).visibility === 'visible');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  // Its tabs work, stopped and playing.
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent === 'Log');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent === 'Charts');
  await page.screenshot({ path: path.join(ARTIFACTS, 'drawer-800x600.png') });
  await toggle.click();
  await page.waitForFunction(() => getComputedStyle(document.querySelector('#side-panel')).visibility === 'hidden');
  // More: the gallery button behind it.
  assert.equal(await page.getByRole('button', { name: 'Gallery' }).isVisible(), false);
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('button', { name: 'Gallery' }).click();
  await page.getByRole('dialog', { name: 'Pattern gallery' }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'more-gallery-800x600.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('at 1400×900 there is no drawer and no More menu', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Panel' }).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'More' }).isVisible(), false);
  assert.ok(await page.locator('#side-panel').isVisible());
  assert.ok(await page.getByRole('button', { name: 'Gallery' }).isVisible());
  await page.close();
});

test('the embedded player can hide and show its explanation', async () => {
  const page = await env.browser.newPage({ viewport: { width: 960, height: 560 } });
  await page.goto(`${env.server.url}?pattern=work-queue&embed=1`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const explanation = page.getByRole('complementary', { name: 'Explanation' });
  assert.ok(await explanation.isVisible());
  const before = (await page.locator('#canvas').boundingBox()).width;
  await page.getByRole('button', { name: 'Hide explanation' }).click();
  await page.waitForFunction(() => !document.querySelector('#embed-explanation')?.checkVisibility());
  const after = (await page.locator('#canvas').boundingBox()).width;
  assert.ok(after > before + 100, `canvas ${before} → ${after} px`);
  await page.getByRole('button', { name: 'Show explanation' }).click();
  await page.waitForFunction(() => document.querySelector('#embed-explanation')?.checkVisibility());
  await page.close();
});

test('the gallery shows a picture of every pattern', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(env.server.url);
  await page.locator('#canvas').waitFor();
  await page.getByRole('button', { name: 'Gallery' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pattern gallery' });
  await dialog.waitFor();
  const items = await dialog.locator('.gallery-item').count();
  const pictures = await dialog.locator('.gallery-item svg.gallery-thumb').count();
  assert.equal(pictures, items);
  assert.ok(await dialog.locator('.gallery-item[data-pattern="kafka-partitions"] .thumb-node.kafka-topic').count() === 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'gallery-thumbnails.png') });
  await page.close();
});

test('on a phone a notice shows in view wherever the page is scrolled', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-kind="queue"]').first().waitFor();
  // The script editor is far down the page, under the canvas and the controls.
  await page.getByRole('tab', { name: 'Script' }).click();
  const script = page.getByRole('region', { name: 'Script' });
  await script.getByText('Edit as JSON').click();
  await script.getByLabel('Script (JSON)').fill('[{"op": "get", "at_ms": 1, "queue": "nope"}]');
  await script.getByRole('button', { name: 'Apply' }).scrollIntoViewIfNeeded();
  assert.ok(await page.evaluate(() => window.scrollY) > 300, 'the page is scrolled down');
  await script.getByRole('button', { name: 'Apply' }).tap();
  const notice = page.locator('.notice');
  await notice.getByText(/no queue named `nope`/).waitFor();
  const box = await notice.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 844, `the notice is on screen (${box.y}, ${box.height})`);
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the notice fits the width (${box.x}, ${box.width})`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone-notice.png') });
  // Dismissing it by touch works where it is.
  await notice.getByRole('button', { name: 'Dismiss notice' }).tap();
  await notice.waitFor({ state: 'detached' });
  await context.close();
});

/** Whether the element is in the viewport and the topmost thing at its centre. */
async function reachable(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
    const top = document.elementFromPoint(x, y);
    return top === el || el.contains(top);
  });
}

test('at 1280×720 the palette scrolls in its column; at 1000×700 the toolbar and tabs fit', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const palette = page.getByRole('navigation', { name: 'Palette' });
  for (const name of ['Producer', 'Consumer', 'Exchange', 'Queue', 'Kafka topic', 'SQS queue', 'SNS topic', 'ZeroMQ device', 'Service']) {
    const button = palette.getByRole('button', { name, exact: true });
    await button.scrollIntoViewIfNeeded();
    assert.ok(await reachable(button), `${name} can be pressed`);
  }
  // The page itself does not scroll: the header stays.
  await page.mouse.move(50, 400);
  await page.mouse.wheel(0, 600);
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => document.scrollingElement.scrollTop), 0);
  assert.ok(await reachable(page.getByRole('button', { name: 'Undo' })));
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.waitForTimeout(100);
  for (const name of ['More', 'Help', 'Fit to view']) {
    assert.ok(await reachable(page.getByRole('button', { name, exact: true })), `${name} in view`);
  }
  for (const name of ['About', 'Inspector', 'Charts', 'Log', 'Trace', 'Script']) {
    assert.ok(await reachable(page.getByRole('tab', { name })), `tab ${name} in view`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'header-1000x700.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the More menu closes after a choice, on Escape and on a press elsewhere', async () => {
  const page = await env.browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const more = page.getByRole('button', { name: 'More' });
  const gallery = page.getByRole('button', { name: 'Gallery' });
  await more.click();
  await gallery.click();
  await page.getByRole('dialog', { name: 'Pattern gallery' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await more.getAttribute('aria-expanded'), 'false', 'closed after a choice');
  assert.equal(await gallery.isVisible(), false);
  await more.click();
  await gallery.focus();
  await page.keyboard.press('Escape');
  assert.equal(await more.getAttribute('aria-expanded'), 'false', 'closed on Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'More');
  await more.click();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  assert.equal(await more.getAttribute('aria-expanded'), 'false', 'closed by a press elsewhere');
  assert.equal(await gallery.isVisible(), false);
  await page.close();
});

test('the embedded player on a phone shows its whole diagram and its controls', async () => {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${env.server.url}?pattern=dead-letter&embed=1`);
  await page.locator('#canvas g[data-node-id="dlq"]').waitFor();
  await page.waitForFunction(() => {
    const c = document.querySelector('#canvas').getBoundingClientRect();
    return [...document.querySelectorAll('#canvas g[data-node-id]')].every((g) => {
      const r = g.getBoundingClientRect();
      return r.left >= c.left - 1 && r.right <= c.right + 1 && r.top >= c.top - 1 && r.bottom <= c.bottom + 1;
    });
  });
  for (const name of ['Play', 'Reset']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `${name} within the screen`);
  }
  const seed = await page.getByLabel('Seed').boundingBox();
  assert.ok(seed.x + seed.width <= 390, 'the seed within the screen');
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-phone.png'), fullPage: true });
  await page.close();
});

test('on a phone Fit shows the whole diagram, and the gallery fits the screen', async () => {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${env.server.url}?pattern=dead-letter`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const inView = () => page.evaluate(() => {
    const c = document.querySelector('#canvas').getBoundingClientRect();
    return [...document.querySelectorAll('#canvas g[data-node-id]')].filter((g) => {
      const r = g.getBoundingClientRect();
      return r.left >= c.left - 1 && r.right <= c.right + 1 && r.top >= c.top - 1 && r.bottom <= c.bottom + 1;
    }).length;
  });
  const nodes = await page.locator('#canvas g[data-node-id]').count();
  assert.ok(await inView() < nodes, 'at first a readable part of the diagram');
  await page.getByRole('button', { name: 'Fit to view' }).click();
  await page.waitForFunction((n) => {
    const c = document.querySelector('#canvas').getBoundingClientRect();
    return [...document.querySelectorAll('#canvas g[data-node-id]')].every((g) => {
      const r = g.getBoundingClientRect();
      return r.left >= c.left - 1 && r.right <= c.right + 1 && r.top >= c.top - 1 && r.bottom <= c.bottom + 1;
    }) && document.querySelectorAll('#canvas g[data-node-id]').length === n;
  }, nodes);
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone-fit.png') });
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('button', { name: 'Gallery' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pattern gallery' });
  await dialog.waitFor();
  const wide = await page.evaluate(() => {
    const card = document.querySelector('.overlay-card');
    return [card.getBoundingClientRect().right, card.scrollWidth > card.clientWidth];
  });
  assert.ok(wide[0] <= 390 && !wide[1], `the gallery fits: ${wide}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone-gallery.png') });
  await page.close();
});

test('selecting a node on the About tab opens its Inspector; the Log tab stays', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const selected = () => page.evaluate(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent);
  assert.equal(await selected(), 'About');
  await page.locator('#canvas g[data-kind="consumer"]').nth(2).click();
  await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.textContent === 'Inspector');
  await page.getByLabel('Prefetch', { exact: true }).waitFor();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.locator('#canvas g[data-kind="queue"]').first().click();
  await page.waitForTimeout(200);
  assert.equal(await selected(), 'Log');
  await page.close();
});

test('from 701 to 900 px the closed drawer never makes the page scroll sideways; the embedded player shows every total', async () => {
  // Review: at 800 px a sideways swipe scrolled the whole page 370 px into a blank
  // strip (the closed drawer waits off to the right); at 960×560 the player's totals
  // ran off its right edge.
  for (const width of [701, 800, 900]) {
    const page = await env.browser.newPage({ viewport: { width, height: 600 } });
    await page.goto(`${env.server.url}?pattern=work-queue`);
    await page.locator('#canvas [data-node-id]').first().waitFor();
    for (const state of ['stopped', 'playing']) {
      if (state === 'playing') await page.getByRole('button', { name: 'Play', exact: true }).click();
      await page.mouse.move(300, 580);
      await page.mouse.wheel(400, 0);
      await page.waitForTimeout(150);
      const m = await page.evaluate(() => ({ x: window.scrollX, wide: document.documentElement.scrollWidth }));
      assert.deepEqual(m, { x: 0, wide: width }, `${width} px, ${state}`);
    }
    await page.close();
  }
  const page = await env.browser.newPage({ viewport: { width: 960, height: 560 } });
  await page.goto(`${env.server.url}?embed=1&pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(500);
  const cells = await page.$$eval('.status-bar > *', (es) => es.map((e) => {
    const r = e.getBoundingClientRect();
    return { text: e.textContent, right: r.right, bottom: r.bottom };
  }));
  assert.ok(cells.some((c) => /dots/.test(c.text)), JSON.stringify(cells));
  for (const c of cells) assert.ok(c.right <= 960 && c.bottom <= 560, `${c.text} is in view: ${JSON.stringify(c)}`);
  await page.close();
});
