// What appears never moves or hides what a person is using: a notice sits over the
// canvas's column, not over the palette or the side panel's tabs (stopped, at 1400 and
// 1000 px); the status bar's notes and the seed's error
// do not push the controls up (playing); on a phone a "Whole diagram" button says part
// of the diagram is off the screen and shows all of it. Refusals fit their field: a
// call's jitter is a number from 0 to 1, an SNS publish's attributes get an SNS example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowserAndServer, ARTIFACTS } from './lib/browser.mjs';

const env = useBrowserAndServer();

for (const [width, height] of [[1400, 900], [1000, 700]]) {
  test(`a notice leaves the side panel's tabs usable at ${width} px`, async () => {
    const page = await env.browser.newPage({ viewport: { width, height } });
    await page.goto(`${env.server.url}?pattern=work-queue#s=!!!bad`);
    const notice = page.locator('.notice');
    await notice.getByText(/share link cannot be opened/).waitFor();
    const [n, canvas, tabs] = await Promise.all([
      notice.boundingBox(), page.locator('#canvas').boundingBox(), page.locator('.tabs').boundingBox(),
    ]);
    assert.ok(n.x >= canvas.x - 1 && n.x + n.width <= canvas.x + canvas.width + 1, `notice ${JSON.stringify(n)} within the canvas ${JSON.stringify(canvas)}`);
    assert.ok(n.x + n.width <= tabs.x, 'the notice ends before the tabs');
    await page.getByRole('tab', { name: 'Log' }).click();
    assert.equal(await page.getByRole('tab', { name: 'Log' }).getAttribute('aria-selected'), 'true');
    assert.equal(await notice.count(), 1, 'the click went to the tab, not the notice');
    await page.close();
  });
}

test('the restart note and the seed error leave the controls where they are, playing', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-node-id="w3"], #canvas g[data-kind="consumer"]').first().waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(500);
  const controls = page.locator('.controls');
  const before = await controls.boundingBox();
  const statsBefore = await page.locator('#stats').boundingBox();
  await page.locator('#canvas g[data-kind="consumer"]').last().click();
  await page.keyboard.press('Delete');
  const note = page.locator('#stats .note');
  await note.waitFor();
  assert.match(await note.getAttribute('title'), /run started again at t = 0/);
  assert.deepEqual(await controls.boundingBox(), before);
  assert.equal((await page.locator('#stats').boundingBox()).height, statsBefore.height, 'the status bar keeps its one row');
  await page.getByLabel('Seed').fill('99999999999999999999999');
  await page.getByLabel('Seed').press('Enter');
  await page.locator('#seed-error').waitFor();
  assert.deepEqual(await controls.boundingBox(), before);
  const error = await page.locator('#seed-error').boundingBox();
  assert.ok(error.y + error.height <= before.y + 1, 'the error floats above the controls');
  await page.screenshot({ path: path.join(ARTIFACTS, 'steady-notes.png') });
  await page.close();
});

test('on a phone a button shows the whole diagram while part of it is off the screen', async () => {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas [data-node-id]').first().waitFor();
  const whole = page.getByRole('button', { name: 'Whole diagram' });
  await whole.waitFor();
  await whole.tap();
  await whole.waitFor({ state: 'detached' });
  const outside = await page.evaluate(() => {
    const c = document.querySelector('#canvas').getBoundingClientRect();
    return [...document.querySelectorAll('#canvas g[data-node-id]')].filter((g) => {
      const r = g.getBoundingClientRect();
      return r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1;
    }).length;
  });
  assert.equal(outside, 0, 'every node in view');
  await page.close();
});

test('refusals fit their field: a jitter is from 0 to 1, SNS attributes get an SNS example', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=api-gateway`);
  await page.locator('#canvas .edge-label[data-label-for="g1"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const jitter = page.getByLabel('Jitter', { exact: true });
  await jitter.fill('5');
  await jitter.press('Enter');
  await page.getByText('`5` is not a number from 0 to 1').waitFor();
  await page.goto(`${env.server.url}?pattern=sns-fanout-filter`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  await page.getByRole('button', { name: 'Step' }).click();
  await page.locator('#canvas g[data-kind="sns-topic"]').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const form = page.getByRole('form', { name: 'Publish to the topic' });
  await form.getByLabel('Message', { exact: true }).fill('hello');
  await form.getByLabel('Message attributes (JSON)').fill('[1, 2]');
  await form.getByRole('button', { name: 'Publish' }).click();
  const outcome = page.getByRole('region', { name: 'Now' }).getByText(/must be a JSON object such as/);
  await outcome.waitFor();
  const text = await outcome.textContent();
  assert.match(text, /"type": "refund"/);
  assert.doesNotMatch(text, /x-match/);
  await page.close();
});

test('the gallery and the shortcuts are modal for the keyboard, and focus is never dropped', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.server.url}?pattern=work-queue`);
  await page.locator('#canvas g[data-node-id]').first().waitFor();
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    return { tag: a?.tagName, inDialog: !!a?.closest('[role="dialog"]'), label: a?.getAttribute('aria-label') ?? a?.textContent?.trim().slice(0, 30), node: a?.getAttribute('data-node-id') };
  });
  // The gallery, opened from the keyboard: focus inside, Tab stays inside, the
  // palette behind it cannot be reached, Escape closes it and focus goes back.
  await page.getByRole('button', { name: 'Gallery' }).focus();
  await page.keyboard.press('Enter');
  const gallery = page.getByRole('dialog', { name: 'Pattern gallery' });
  await gallery.waitFor();
  assert.ok((await active()).inDialog, 'focus moved into the gallery');
  for (let i = 0; i < 45; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    assert.ok((await active()).inDialog, `Tab ${i} stays in the gallery`);
  }
  assert.ok(await page.evaluate(() => !!document.querySelector('.palette').closest('[inert]')), 'the app behind it is inert');
  const nodes = await page.locator('#canvas g[data-node-id]').count();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  assert.equal(await page.locator('#canvas g[data-node-id]').count(), nodes, 'keys do not reach the diagram behind it');
  await page.keyboard.press('Escape');
  await gallery.waitFor({ state: 'detached' });
  assert.equal((await active()).label, 'Gallery', 'focus back on the Gallery button');
  // A pattern opened with Enter: focus on its diagram.
  await page.keyboard.press('Enter');
  await gallery.waitFor();
  await gallery.locator('[data-pattern="dead-letter"]').focus();
  await page.keyboard.press('Enter');
  await gallery.waitFor({ state: 'detached' });
  await page.locator('#canvas g[data-node-id="order-work"], #canvas g[data-kind="queue"]').first().waitFor();
  assert.notEqual((await active()).tag, 'BODY', 'focus kept after opening a pattern');
  // The shortcuts sheet, opened with ? on a node: focus inside, Escape closes it and
  // focus goes back to that node (review: it went to the first node).
  const third = page.locator('#canvas g[data-node-id]').nth(2);
  const thirdId = await third.getAttribute('data-node-id');
  await third.focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.ok((await active()).inDialog);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-node-id')), thirdId);
  // Deleting the focused node: focus goes to the node now in its place.
  const first = page.locator('#canvas g[data-node-id]').nth(1);
  await first.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.activeElement?.closest('#canvas g[data-node-id]'));
  // Undo until nothing is left to undo, by the button: focus stays in the toolbar.
  const undo = page.getByRole('button', { name: 'Undo' });
  await undo.focus();
  while (await undo.isEnabled()) await page.keyboard.press('Enter');
  await page.waitForTimeout(100);
  assert.notEqual((await active()).tag, 'BODY', 'focus kept when Undo became disabled');
  await page.close();
});
