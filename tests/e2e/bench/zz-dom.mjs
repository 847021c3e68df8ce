import { serve } from '../lib/server.mjs';
import { launch, DIST } from '../lib/browser.mjs';
const server = await serve(DIST, '/');
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
await page.goto(`${server.url}?pattern=work-queue`);
await page.locator('#canvas g[data-node-id]').first().waitFor();
await page.waitForTimeout(300);
console.log(await page.evaluate(() => {
  const out = [`total ${document.querySelectorAll('*').length}`];
  const walk = (el, depth) => {
    for (const c of el.children) {
      const n = c.querySelectorAll('*').length + 1;
      if (n > 40) {
        out.push(`${'  '.repeat(depth)}${c.tagName.toLowerCase()}${c.id ? '#' + c.id : ''}${c.className && typeof c.className === 'string' ? '.' + c.className.split(' ').join('.') : ''} ${n}${c.hidden || getComputedStyle(c).display === 'none' ? ' (hidden)' : ''}`);
        if (depth < 4) walk(c, depth + 1);
      }
    }
  };
  walk(document.body, 0);
  return out.join('\n');
}));
await browser.close(); await server.close();
