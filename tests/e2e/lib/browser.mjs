// Launches Debian's Chromium through playwright-core and builds dist/ when needed.
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import { serve } from './server.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'tests/e2e/artifacts');

/** Builds the release bundle unless dist/ already holds one (QP_E2E_BUILD=1 forces it). */
export function ensureBuilt() {
  if (process.env.QP_E2E_BUILD === '1' || !fs.existsSync(path.join(DIST, 'index.html'))) {
    execFileSync('trunk', ['build', '--release'], { cwd: ROOT, stdio: 'inherit' });
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page that records console errors and uncaught exceptions into `errors`. */
export async function watchedPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`requestfailed: ${req.url()}`));
  return { page, errors };
}

/** A new browser context whose first page load finds `scenario` in the autosave. */
export async function contextWithDiagram(browser, scenario, options = { viewport: { width: 1400, height: 850 } }) {
  const context = await browser.newContext(options);
  await context.addInitScript((s) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('queue-playground/autosave', JSON.stringify({ app: 'queue-playground', viewport: { x: 0, y: 0, zoom: 1 }, scenario: s }));
      sessionStorage.setItem('seeded', '1');
    }
  }, scenario);
  return context;
}

/** Registers hooks that build dist/ if needed, launch Chromium and serve dist/ at the
 * site root for the tests of one file; the returned object holds them once started. */
export function useBrowserAndServer() {
  const env = { browser: null, server: null };
  before(async () => {
    ensureBuilt();
    env.browser = await launch();
    env.server = await serve(DIST, '/');
  });
  after(async () => {
    await env.server?.close();
    await env.browser?.close();
  });
  return env;
}
