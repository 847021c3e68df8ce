// UI benchmark (figures only, nothing is asserted on time): dragging one well-connected
// node of a 500-node / 2,000-edge diagram in the release build (dist/), in Chromium.
//
// Prints: the initial load (navigation start → 500 nodes and 2,000 edges in the DOM),
// frame intervals during a ~2 s, 120-step drag (frames, p50/p95/p99/max, fps), the
// pointermove handling time, release (commit + autosave) time, long tasks, an idle
// baseline, and saves tests/e2e/artifacts/bench-drag.png.
//
// Usage: node tests/e2e/bench/drag.mjs [--zoom fit|<number>] [--input paced|serial] [--profile]
//   --zoom fit     (default) the whole diagram in view, so every node and edge is painted;
//   --zoom 1       the hub node centred at 100 %: most of the diagram is off-screen;
//   --input paced  (default) the 120 moves are sent on a 2 s schedule without waiting for
//                  the page, like a hand on a mouse (Chromium coalesces what the page can't take);
//   --input serial each move waits until the page has handled the previous one (the
//                  drag then lasts as long as the page needs);
//   --profile      then repeats the drag on a freshly loaded page under a Chromium trace
//                  and a CPU profile, and prints where the time went per thread and per
//                  kind of work (the profiled drag is slower; the figures are the first's).
// Environment: CHROMIUM (browser binary, as in lib/browser.mjs); BENCH_EXTRA_CSS (CSS added
// to the page after it loads, for experiments such as hiding part of the diagram to see
// what it costs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '../lib/server.mjs';
import { launch, DIST, ARTIFACTS } from '../lib/browser.mjs';
import { frameReporter, FRAME_TRACE_CATEGORIES } from '../lib/frames.mjs';

const AUTOSAVE_KEY = 'queue-playground/autosave';
const VIEWPORT = { width: 1600, height: 1000 };
const NODE_COUNT = 500;
const EDGE_COUNT = 2000;
const DRAG_STEPS = 120;
const DRAG_MS = 2000;
const FRAME_BUDGET_MS = 1000 / 60;

// ---------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { zoom: 'fit', profile: false, input: 'paced' };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--profile') opts.profile = true;
    else if (a === '--zoom') opts.zoom = argv[++i];
    else if (a.startsWith('--zoom=')) opts.zoom = a.slice('--zoom='.length);
    else if (a === '--input') opts.input = argv[++i];
    else if (a.startsWith('--input=')) opts.input = a.slice('--input='.length);
    else if (a === '-h' || a === '--help') {
      console.log('usage: node tests/e2e/bench/drag.mjs [--zoom fit|<number>] [--input paced|serial] [--profile]');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  if (!['paced', 'serial'].includes(opts.input)) {
    console.error('--input must be "paced" or "serial"');
    process.exit(2);
  }
  if (opts.zoom !== 'fit' && !(Number(opts.zoom) >= 0.2 && Number(opts.zoom) <= 3)) {
    console.error('--zoom must be "fit" or a number between 0.2 and 3');
    process.exit(2);
  }
  return opts;
}

// ---------------------------------------------------------------------------------------
// The scenario: a layered broker topology, deterministic (seeded).

/** Node sizes, as in src/editor/geometry.rs `node_size`. */
const SIZE = {
  producer: [140, 56],
  exchange: [140, 64],
  queue: [160, 64],
  consumer: [140, 56],
};

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 500 nodes: 50 producers, 100 exchanges (40 ingress topic, 50 routing direct, 10
 * dead-letter fanout), 200 queues (180 work queues, 20 dead-letter queues), 150 consumers.
 * 2,000 edges: 50 publish, 1,570 bindings (each with its own key), 150 subscriptions,
 * 180 dead-letter, 50 forward. Ingress exchange x1 is the hub (the node that is dragged).
 */
export function buildScenario() {
  const rand = mulberry32(20240611);
  const pick = (n) => Math.floor(rand() * n);
  const nodes = [];
  const edges = [];
  const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

  const domains = ['orders', 'billing', 'shipping', 'users', 'inventory', 'audit', 'search', 'mail'];
  const events = ['created', 'updated', 'deleted', 'paid', 'failed', 'sent', 'moved', 'synced'];

  const producers = range(1, 50).map((i) => ({ id: `p${i}`, kind: 'producer', name: `${domains[i % 8]}-svc-${i}` }));
  const ingress = range(1, 40).map((i) => ({
    id: `x${i}`, kind: 'exchange', name: i === 1 ? 'events' : `${domains[i % 8]}.in.${i}`, exchange: { type: 'topic' },
  }));
  const routing = range(41, 90).map((i) => ({
    id: `x${i}`, kind: 'exchange', name: `${domains[i % 8]}.route.${i}`, exchange: { type: 'direct' },
  }));
  const dlx = range(91, 100).map((i) => ({ id: `x${i}`, kind: 'exchange', name: `dlx.${i - 90}`, exchange: { type: 'fanout' } }));
  const workQueues = range(1, 180).map((i) => ({ id: `q${i}`, kind: 'queue', name: `${domains[i % 8]}.work.${i}` }));
  const deadQueues = range(181, 200).map((i) => ({ id: `q${i}`, kind: 'queue', name: `dlq.${i - 180}` }));
  const consumers = range(1, 150).map((i) => ({ id: `c${i}`, kind: 'consumer', name: `worker-${i}` }));

  // Layout: one band of columns per layer, 25 rows, on the 20-unit grid.
  const ROWS = 25;
  const COL_W = 240;
  const ROW_H = 100;
  let col = 0;
  for (const layer of [producers, ingress, routing, dlx, [...workQueues, ...deadQueues], consumers]) {
    const cols = Math.ceil(layer.length / ROWS);
    const rows = Math.ceil(layer.length / cols);
    layer.forEach((n, k) => {
      const c = Math.floor(k / rows);
      const r = k % rows;
      nodes.push({ ...n, x: (col + c) * COL_W, y: r * ROW_H });
    });
    col += cols;
  }

  let edgeNo = 0;
  let keyNo = 0;
  const addEdge = (from, to, kind, routingKey) => {
    edgeNo += 1;
    const e = { id: `e${edgeNo}`, from, to, kind };
    if (routingKey !== undefined) e.routing_key = routingKey;
    edges.push(e);
  };
  const nextKey = () => {
    keyNo += 1;
    return `${domains[keyNo % 8]}.${events[Math.floor(keyNo / 8) % 8]}.${keyNo}`;
  };
  const pairs = new Set();
  const bind = (from, to) => {
    const pair = `${from}>${to}`;
    if (pairs.has(pair)) return false;
    pairs.add(pair);
    addEdge(from, to, 'binding', nextKey());
    return true;
  };
  const bindRandom = (fromIds, toIds, count) => {
    let made = 0;
    while (made < count) if (bind(fromIds[pick(fromIds.length)], toIds[pick(toIds.length)])) made += 1;
  };
  const ids = (list) => list.map((n) => n.id);

  // 50 publish: producer i → ingress exchange ((i-1) mod 40)+1 (the hub gets p1 and p41).
  producers.forEach((p, i) => addEdge(p.id, ingress[i % 40].id, 'publish'));
  // 1,570 bindings.
  const hubQueues = ids(workQueues).filter((_, i) => i % 3 === 0).slice(0, 60);
  hubQueues.forEach((q) => bind('x1', q)); //                        60 hub → queues
  ids(routing).slice(0, 20).forEach((x) => bind('x1', x)); //         20 hub → routing
  bindRandom(ids(ingress).slice(1), ids(routing), 280); //           280 ingress → routing
  bindRandom(ids(routing), ids(workQueues), 900); //                 900 routing → queues
  bindRandom(ids(ingress).slice(1), ids(workQueues), 290); //        290 ingress → queues
  dlx.forEach((x, i) => { bind(x.id, deadQueues[2 * i].id); bind(x.id, deadQueues[2 * i + 1].id); }); // 20
  // 150 subscriptions: queue i → consumer i (each consumer on one queue).
  consumers.forEach((c, i) => addEdge(workQueues[i].id, c.id, 'subscription'));
  // 180 dead-letter: every work queue → one of the dead-letter exchanges.
  workQueues.forEach((q, i) => addEdge(q.id, dlx[i % 10].id, 'dead-letter', 'rejected'));
  // 50 forward: the first 50 consumers publish their results to a routing exchange.
  consumers.slice(0, 50).forEach((c, i) => addEdge(c.id, routing[(i * 7) % 50].id, 'forward'));

  const scenario = { version: 1, name: 'bench: 500 nodes, 2000 edges', nodes, edges };
  checkScenario(scenario);
  return scenario;
}

/** The rules of src/core/scenario/validate.rs this generator could break, checked up front. */
function checkScenario(s) {
  const fail = (m) => { throw new Error(`generated scenario is invalid: ${m}`); };
  if (s.nodes.length !== NODE_COUNT) fail(`${s.nodes.length} nodes`);
  if (s.edges.length !== EDGE_COUNT) fail(`${s.edges.length} edges`);
  const byId = new Map();
  const names = { exchange: new Set(), queue: new Set() };
  for (const n of s.nodes) {
    if (byId.has(n.id)) fail(`duplicate node id ${n.id}`);
    byId.set(n.id, n);
    if (n.kind === 'exchange' || n.kind === 'queue') {
      if (!n.name || names[n.kind].has(n.name)) fail(`bad ${n.kind} name ${n.name}`);
      if (n.name.startsWith('amq.')) fail(`reserved name ${n.name}`);
      names[n.kind].add(n.name);
    }
  }
  const allowed = {
    publish: ['producer', 'exchange'],
    subscription: ['queue', 'consumer'],
    'dead-letter': ['queue', 'exchange'],
    forward: ['consumer', 'exchange'],
  };
  const once = { publish: new Set(), 'dead-letter': new Set(), subscription: new Set() };
  const edgeIds = new Set();
  const keys = new Set();
  for (const e of s.edges) {
    if (edgeIds.has(e.id)) fail(`duplicate edge id ${e.id}`);
    edgeIds.add(e.id);
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) fail(`edge ${e.id} points to a missing node`);
    if (e.kind === 'binding') {
      if (a.kind !== 'exchange' || !['exchange', 'queue'].includes(b.kind)) fail(`binding ${e.id} ${a.kind}→${b.kind}`);
      if (keys.has(e.routing_key)) fail(`binding key ${e.routing_key} used twice`);
      keys.add(e.routing_key);
    } else if (allowed[e.kind][0] !== a.kind || allowed[e.kind][1] !== b.kind) {
      fail(`${e.kind} ${e.id} ${a.kind}→${b.kind}`);
    }
    if (once[e.kind]) {
      const who = e.kind === 'subscription' ? e.to : e.from;
      if (once[e.kind].has(who)) fail(`${who} has two ${e.kind} edges`);
      once[e.kind].add(who);
    }
  }
}

function degrees(s) {
  const d = new Map(s.nodes.map((n) => [n.id, 0]));
  for (const e of s.edges) {
    d.set(e.from, d.get(e.from) + 1);
    d.set(e.to, d.get(e.to) + 1);
  }
  return d;
}

function bounds(s) {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const n of s.nodes) {
    const [w, h] = SIZE[n.kind];
    x1 = Math.min(x1, n.x); y1 = Math.min(y1, n.y);
    x2 = Math.max(x2, n.x + w); y2 = Math.max(y2, n.y + h);
  }
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}

// ---------------------------------------------------------------------------------------
// Figures

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

const ms = (v) => `${v.toFixed(1)} ms`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

/** A node's world position from its data-x / data-y attributes. */
async function nodePlace(node) {
  const x = await node.getAttribute('data-x');
  const y = await node.getAttribute('data-y');
  return x === null || y === null ? null : { x: Number(x), y: Number(y) };
}

// ---------------------------------------------------------------------------------------
// In-page helpers (serialised into the page)

/** Installed before the app loads: notes when the whole diagram is in the DOM. */
function initScript({ key, value, nodes, edges }) {
  localStorage.setItem(key, value);
  window.__bench = { domReadyAt: null, frameAfterDomAt: null };
  const check = () => {
    if (window.__bench.domReadyAt !== null) return;
    if (document.querySelectorAll('g[data-node-id]').length >= nodes
        && document.querySelectorAll('g[data-edge-id]').length >= edges) {
      window.__bench.domReadyAt = performance.now();
      requestAnimationFrame(() => { window.__bench.frameAfterDomAt = performance.now(); });
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * rAF recorder, while __recording: window.__callbacks gets performance.now() when each
 * callback ran (the frame time figures), window.__frames the rAF timestamp argument (the
 * frame's begin time; in headless Chromium these stay on the 16.7 ms grid even when the
 * page's work makes the callback run late, so they are printed for reference only).
 */
function installRecorder() {
  window.__frames = [];
  window.__callbacks = [];
  window.__recording = false;
  window.__longtasks = [];
  const tick = (ts) => {
    if (window.__recording) {
      window.__frames.push(ts);
      window.__callbacks.push(performance.now());
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
  } catch {
    window.__longtasks = null; // not supported
  }
  // pointermove handling: capture listener on window (first) to bubble listener on
  // window (last, after the canvas handler and Yew's render in the microtasks between).
  window.__moves = [];
  let moveStart = null;
  window.addEventListener('pointermove', () => { moveStart = performance.now(); }, { capture: true });
  window.addEventListener('pointermove', () => {
    if (window.__recording && moveStart !== null) window.__moves.push(performance.now() - moveStart);
    moveStart = null;
  });
  // Release: time from the pointerup event to the next animation frame (the app commits
  // the move, re-renders and autosaves in between).
  window.__release = null;
  // Press: from the pointerdown event to the next animation frame (the app lifts the
  // pressed nodes and their edges into the drag layer in between).
  window.__press = null;
  window.addEventListener('pointerdown', () => {
    const t = performance.now();
    requestAnimationFrame(() => { window.__press = { at: t, ms: performance.now() - t }; });
  }, { capture: true });
  window.addEventListener('pointerup', () => {
    const t = performance.now();
    requestAnimationFrame(() => { window.__release = { at: t, ms: performance.now() - t }; });
  }, { capture: true });
}

/** A point on the node's body that hit-tests to the node (not its handle, not a label). */
function bodyPoint(id) {
  const g = document.querySelector(`g[data-node-id="${id}"]`);
  const shape = g.querySelector('.shape');
  const r = shape.getBoundingClientRect();
  for (const fx of [0.3, 0.2, 0.4, 0.5, 0.15, 0.6]) {
    for (const fy of [0.5, 0.35, 0.65, 0.25, 0.75]) {
      const x = r.left + r.width * fx;
      const y = r.top + r.height * fy;
      const hit = document.elementFromPoint(x, y);
      if (hit && hit.closest('[data-node-id]') === g && !hit.closest('[data-handle]') && !hit.closest('[data-label-for]')) {
        return { x, y };
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Driving the page

/**
 * Drags with page.mouse: down, DRAG_STEPS moves paced over DRAG_MS, up.
 * paced (default): moves are sent on schedule without waiting for the page to handle
 *   the previous one, as a hand moves a mouse; Chromium coalesces the moves the page is
 *   too busy to take, as it does for real input.
 * serial: each move waits until the page has handled the previous one, so a slow page
 *   stretches the drag (every move is rendered).
 */
async function drag(page, from, dx, dy, input = 'paced') {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  // let the press's re-render (the nodes lifted into the drag layer) show first
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.evaluate(() => { window.__frames = []; window.__callbacks = []; window.__moves = []; window.__recording = true; performance.mark('qp-measure-start'); });
  const t0 = Date.now();
  const pending = [];
  for (let i = 1; i <= DRAG_STEPS; i += 1) {
    const f = i / DRAG_STEPS;
    // a gentle S-curve, so both axes change at every step
    const move = page.mouse.move(from.x + dx * f, from.y + dy * f + 25 * Math.sin(f * 2 * Math.PI));
    if (input === 'serial') await move;
    else pending.push(move);
    const wait = t0 + (i * DRAG_MS) / DRAG_STEPS - Date.now();
    if (wait > 0) await sleep(wait);
  }
  const sentMs = Date.now() - t0;
  await Promise.all(pending);
  const handledMs = Date.now() - t0;
  // let the frame showing the last move happen, then stop recording before the release
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const { frames, callbacks, moves, longtasks } = await page.evaluate(() => {
    window.__recording = false;
    performance.mark('qp-measure-end');
    return {
      frames: window.__frames.slice(),
      callbacks: window.__callbacks.slice(),
      moves: window.__moves.slice(),
      longtasks: window.__longtasks && window.__longtasks.slice(),
    };
  });
  await page.mouse.up();
  await page.waitForFunction(() => window.__release !== null);
  const release = await page.evaluate(() => window.__release);
  const press = await page.evaluate(() => window.__press);
  await page.evaluate(() => { window.__release = null; window.__press = null; });
  return { frames, callbacks, moves, longtasks, press, release, sentMs, handledMs };
}

function frameStats(frames) {
  const intervals = [];
  for (let i = 1; i < frames.length; i += 1) intervals.push(frames[i] - frames[i - 1]);
  const sorted = [...intervals].sort((a, b) => a - b);
  const span = frames.length > 1 ? frames[frames.length - 1] - frames[0] : NaN;
  return {
    frames: frames.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    mean: span / intervals.length,
    fps: (intervals.length / span) * 1000,
    over: sorted.filter((v) => v > FRAME_BUDGET_MS * 1.5).length,
    intervals: intervals.length,
  };
}

// ---------------------------------------------------------------------------------------
// Profile (--profile): trace event self time on the renderer main thread, CPU profile.

const GROUPS = [
  ['scripting (app wasm + JS, incl. its own rAF loop)', /^(EventDispatch|FunctionCall|TimerFire|FireAnimationFrame|RunMicrotasks|V8\.|v8\.|EvaluateScript|Compile|MinorGC|MajorGC|BlinkGC|GCEvent|CppGC|ScavengeJob|V8Execute|HandlePostMessage)/],
  ['style recalc', /^(UpdateLayoutTree|RecalculateStyles|ScheduleStyleRecalculation|ParseAuthorStyleSheet|Document::recalcStyle|Document::UpdateStyle|Blink\.Style)/],
  ['layout + hit test', /^(Layout|UpdateLayout|InvalidateLayout|LocalFrameView::performLayout|LocalFrameView::layout|Blink\.Layout|HitTest|ComputeIntersections|IntersectionObserver)/],
  ['paint + layerize (record)', /^(Paint|PrePaint|PaintImage|Layerize|UpdateLayer|UpdateLayerTree|PaintArtifactCompositor|Blink\.(Paint|PrePaint|CompositingInputs|CompositingCommit)|LayerTreeHost::DoUpdateLayers|Canvas2DResourceProvider|CompositeLayers|LocalFrameView::RunPostLifecycleSteps|UpdateLifecyclePhases|ProxyMain::BeginMainFrame|BeginMainFrame|Animation)/],
  ['waiting for the compositor commit', /^(LayerTreeHost::WaitForCommitCompletion|ProxyMain::.*Commit|Commit)/],
  ['profiler overhead', /^CpuProfiler/],
];

function groupOf(name) {
  for (const [group, re] of GROUPS) if (re.test(name)) return group;
  return 'other';
}

/** Busy time (top-level events) and self time per event name of one thread's events. */
function threadTimes(list) {
  list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // self time = duration minus the durations of the events nested in it
  const stack = [];
  const done = [];
  let busy = 0;
  let tsMin = Infinity;
  let tsMax = -Infinity;
  for (const e of list) {
    const node = { name: e.name, end: e.ts + e.dur, dur: e.dur, child: 0 };
    tsMin = Math.min(tsMin, e.ts);
    tsMax = Math.max(tsMax, node.end);
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent && node.end <= parent.end) parent.child += e.dur;
    else if (!parent) busy += e.dur;
    stack.push(node);
    done.push(node);
  }
  const self = new Map();
  for (const n of done) self.set(n.name, (self.get(n.name) ?? 0) + Math.max(0, n.dur - n.child));
  return { busy, self, tsMin, tsMax };
}

function summariseTrace(buffer) {
  const parsed = JSON.parse(buffer.toString('utf8'));
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  if (process.env.BENCH_DUMP_TRACE) fs.writeFileSync(process.env.BENCH_DUMP_TRACE, JSON.stringify(events));
  const threadName = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  }
  // complete events per thread (B/E pairs folded into X)
  const perThread = new Map();
  const open = new Map();
  const add = (key, ev) => {
    if (!perThread.has(key)) perThread.set(key, []);
    perThread.get(key).push(ev);
  };
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === 'X' && typeof e.dur === 'number') add(key, { name: e.name, ts: e.ts, dur: e.dur, type: e.args?.data?.type });
    else if (e.ph === 'B') {
      if (!open.has(key)) open.set(key, []);
      open.get(key).push(e);
    } else if (e.ph === 'E') {
      const b = open.get(key)?.pop();
      if (b) add(key, { name: b.name, ts: b.ts, dur: e.ts - b.ts });
    }
  }
  const threads = [...perThread].map(([key, list]) => ({ key, name: threadName.get(key) ?? key, ...threadTimes(list) }));
  // the page's main thread: the busiest renderer main thread
  const main = threads.filter((t) => t.name === 'CrRendererMain').sort((a, b) => b.busy - a.busy)[0];
  if (!main) return null;
  const wallUs = main.tsMax - main.tsMin;
  const totalSelf = [...main.self.values()].reduce((a, b) => a + b, 0);
  const groups = new Map();
  for (const [name, us] of main.self) groups.set(groupOf(name), (groups.get(groupOf(name)) ?? 0) + us);
  // Steady state: from 100 ms after the first pointermove to the last one, leaving out
  // the press (lifting the nodes into the drag layer) and the release (commit, re-render).
  const mainList = perThread.get(main.key);
  const moves = mainList.filter((e) => e.name === 'EventDispatch' && e.type === 'pointermove').map((e) => e.ts);
  let steady = null;
  if (moves.length > 2) {
    const from = moves[0] + 100_000;
    const to = moves[moves.length - 1];
    const inWindow = threadTimes(mainList.filter((e) => e.ts >= from && e.ts + e.dur <= to));
    const sg = new Map();
    for (const [name, us] of inWindow.self) sg.set(groupOf(name), (sg.get(groupOf(name)) ?? 0) + us);
    steady = {
      wallMs: (to - from) / 1000,
      busyMs: inWindow.busy / 1000,
      groups: [...sg].sort((a, b) => b[1] - a[1]).map(([g, us]) => [g, us / 1000]),
      top: [...inWindow.self].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, us]) => [n, us / 1000]),
    };
  }
  // busy time per thread kind (thread pools summed), for the raster/compositor side
  const byKind = new Map();
  for (const t of threads) {
    const kind = t === main ? 'CrRendererMain (page)' : t.name.replace(/\d+$/, '');
    byKind.set(kind, (byKind.get(kind) ?? 0) + t.busy);
  }
  // what the busiest helper threads (raster workers, compositor) spend their time on
  const helperTop = [];
  for (const [kind] of [...byKind].filter(([k]) => k !== 'CrRendererMain (page)' && k !== 'CrRendererMain').sort((a, b) => b[1] - a[1]).slice(0, 2)) {
    const self = new Map();
    for (const t of threads.filter((x) => x !== main && x.name.replace(/\d+$/, '') === kind)) {
      for (const [n, us] of t.self) self.set(n, (self.get(n) ?? 0) + us);
    }
    helperTop.push([kind, [...self].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, us]) => [n, us / 1000])]);
  }
  // The longest main-thread tasks (the press and the release among them), with what
  // their time went to.
  const sortedMain = [...mainList].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const longTasks = [];
  let i = 0;
  while (i < sortedMain.length) {
    const top = sortedMain[i];
    let j = i + 1;
    while (j < sortedMain.length && sortedMain[j].ts < top.ts + top.dur) j += 1;
    if (top.dur > 30_000) {
      const inner = threadTimes(sortedMain.slice(i, j));
      longTasks.push({
        at: (top.ts - main.tsMin) / 1000,
        ms: top.dur / 1000,
        top: [...inner.self].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, us]) => [n, us / 1000]),
      });
    }
    i = j;
  }
  return {
    steady,
    longTasks,
    helperTop,
    wallMs: wallUs / 1000,
    busyMs: main.busy / 1000,
    groups: [...groups].sort((a, b) => b[1] - a[1]).map(([g, us]) => [g, us / 1000, us / totalSelf]),
    top: [...main.self].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, us]) => [n, us / 1000, us / totalSelf]),
    threads: [...byKind].filter(([, us]) => us > wallUs * 0.02).sort((a, b) => b[1] - a[1]).map(([n, us]) => [n, us / 1000, us / wallUs]),
  };
}

function summariseCpuProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const fn = new Map();
  let total = 0;
  const kinds = new Map();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id).callFrame;
    const isWasm = cf.url.startsWith('wasm://') || /^\$?(func|wasm-function)/.test(cf.functionName);
    const name = cf.functionName || '(anonymous)';
    const label = isWasm ? `[wasm] ${name}` : cf.url ? `[js] ${name} (${path.basename(cf.url)}:${cf.lineNumber + 1})` : name;
    fn.set(label, (fn.get(label) ?? 0) + us);
    total += us;
    const kind = name === '(idle)' ? 'idle'
      : name === '(program)' ? 'browser work outside JS (style, layout, paint, input)'
        : name === '(garbage collector)' ? 'garbage collection'
          : isWasm ? 'wasm (the app: Yew render/diff, props, strings)'
            : 'JS (wasm-bindgen glue → DOM calls)';
    kinds.set(kind, (kinds.get(kind) ?? 0) + us);
  }
  return {
    totalMs: total / 1000,
    kinds: [...kinds].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, us / 1000, us / total]),
    top: [...fn].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, us]) => [n, us / 1000, us / total]),
  };
}

async function profileDrag(browser, page, from, dx, dy) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8', 'toplevel', 'cc', 'viz', 'gpu', 'benchmark', '__metadata'],
  });
  await cdp.send('Profiler.start');
  const run = await drag(page, from, dx, dy, 'paced');
  const { profile } = await cdp.send('Profiler.stop');
  const trace = await browser.stopTracing();
  await cdp.detach();
  return { run, trace: summariseTrace(trace), cpu: summariseCpuProfile(profile) };
}

/** A fresh context whose autosave holds `saved`; loads the app and waits for the diagram. */
async function openDiagram(browser, url, saved, errors) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(initScript, { key: AUTOSAVE_KEY, value: saved, nodes: NODE_COUNT, edges: EDGE_COUNT });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  // One in-page wait (it stops polling once it resolves: a Playwright locator wait left
  // pending would keep querying the DOM during the drag and skew the figures).
  const outcome = await page.waitForFunction(() => {
    if (typeof window.__bench?.frameAfterDomAt === 'number') return 'ok';
    const notice = [...document.querySelectorAll('[role="status"]')].find((n) => n.textContent.includes('could not be opened'));
    return notice ? notice.textContent : false;
  }, null, { timeout: 120_000 });
  const result = await outcome.jsonValue();
  if (result !== 'ok') throw new Error(`the app refused the generated scenario: ${result}`);
  const load = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
    return {
      domReadyAt: window.__bench.domReadyAt,
      frameAt: window.__bench.frameAfterDomAt,
      dcl: nav?.domContentLoadedEventEnd,
      wasmEnd: wasm?.responseEnd,
      nodes: document.querySelectorAll('g[data-node-id]').length,
      edges: document.querySelectorAll('g[data-edge-id]').length,
    };
  });
  if (process.env.BENCH_EXTRA_CSS) await page.addStyleTag({ content: process.env.BENCH_EXTRA_CSS });
  const canvas = await page.locator('#canvas').boundingBox();
  await page.evaluate(installRecorder);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500))); // let the page settle
  return { context, page, load, canvas };
}

// ---------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    console.error(`No release build in ${DIST}: run \`trunk build --release\` first.`);
    process.exit(1);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });

  const scenario = buildScenario();
  const deg = degrees(scenario);
  const hub = scenario.nodes.reduce((a, b) => (deg.get(b.id) > deg.get(a.id) ? b : a));
  const byKind = {};
  for (const n of scenario.nodes) byKind[n.kind] = (byKind[n.kind] ?? 0) + 1;
  const byEdge = {};
  for (const e of scenario.edges) byEdge[e.kind] = (byEdge[e.kind] ?? 0) + 1;

  const server = await serve(DIST, '/');
  const browser = await launch();
  const errors = [];
  try {
    const wasmFile = fs.readdirSync(DIST).find((f) => f.endsWith('.wasm'));
    console.log(`Build: dist/${wasmFile} (${(fs.statSync(path.join(DIST, wasmFile)).size / 1024).toFixed(0)} KiB)`);
    console.log(`Chromium ${browser.version()}, viewport ${VIEWPORT.width}x${VIEWPORT.height}, dist/ at ${server.url}`);
    console.log(`Machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} (figures are noisy on a busy machine)`);
    console.log(`Scenario: ${scenario.nodes.length} nodes (${Object.entries(byKind).map(([k, v]) => `${v} ${k}`).join(', ')}),`);
    console.log(`          ${scenario.edges.length} edges (${Object.entries(byEdge).map(([k, v]) => `${v} ${k}`).join(', ')})`);

    // Canvas size in this window, from an empty page, to place the viewport.
    let canvasBox;
    {
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      const p = await ctx.newPage();
      await p.goto(server.url);
      await p.locator('#canvas').waitFor();
      canvasBox = await p.locator('#canvas').boundingBox();
      await ctx.close();
    }
    const b = bounds(scenario);
    let viewport;
    if (opts.zoom === 'fit') {
      const margin = 24;
      const zoom = Math.max(0.2, Math.min((canvasBox.width - 2 * margin) / b.w, (canvasBox.height - 2 * margin) / b.h, 1.5));
      viewport = {
        x: (canvasBox.width - b.w * zoom) / 2 - b.x * zoom,
        y: (canvasBox.height - b.h * zoom) / 2 - b.y * zoom,
        zoom,
      };
      // When the diagram does not fit even at the smallest zoom, pan just enough to
      // bring the hub (and room to drag it) into view.
      const [w, h] = SIZE[hub.kind];
      const margin2 = 40;
      const hubTop = viewport.y + hub.y * zoom;
      const hubLeft = viewport.x + hub.x * zoom;
      if (hubTop < margin2) viewport.y += margin2 - hubTop;
      if (hubLeft < margin2) viewport.x += margin2 - hubLeft;
      if (hubTop + h * zoom > canvasBox.height - margin2) viewport.y -= hubTop + h * zoom - (canvasBox.height - margin2);
      if (hubLeft + w * zoom > canvasBox.width - margin2) viewport.x -= hubLeft + w * zoom - (canvasBox.width - margin2);
    } else {
      const zoom = Number(opts.zoom);
      const [w, h] = SIZE[hub.kind];
      viewport = {
        x: canvasBox.width / 2 - (hub.x + w / 2) * zoom,
        y: canvasBox.height / 2 - (hub.y + h / 2) * zoom,
        zoom,
      };
    }
    const saved = JSON.stringify({ app: 'queue-playground', viewport, scenario });
    const fits = b.w * viewport.zoom <= canvasBox.width && b.h * viewport.zoom <= canvasBox.height;
    const how = opts.zoom !== 'fit' ? 'hub centred'
      : fits ? 'whole diagram in view'
        : `diagram is ${Math.round(b.w * viewport.zoom)}x${Math.round(b.h * viewport.zoom)} px even at the smallest zoom: partly out of view`;
    console.log(`Autosave: ${(saved.length / 1024).toFixed(0)} KiB; canvas ${Math.round(canvasBox.width)}x${Math.round(canvasBox.height)} px, zoom ${viewport.zoom.toFixed(3)} (${how})`);
    if (canvasBox.height < VIEWPORT.height / 2) {
      console.log(`Note: the canvas is only ${Math.round(canvasBox.height)} px tall in a ${VIEWPORT.height} px window (the app's layout, not the benchmark).`);
    }

    const { context, page, load, canvas: loadedCanvas } = await openDiagram(browser, server.url, saved, errors);
    console.log('\nInitial load (from navigation start):');
    console.log(`  DOMContentLoaded            ${ms(load.dcl)}`);
    if (load.wasmEnd) console.log(`  wasm downloaded             ${ms(load.wasmEnd)}`);
    console.log(`  ${load.nodes} nodes + ${load.edges} edges in DOM ${ms(load.domReadyAt)}`);
    console.log(`  next animation frame        ${ms(load.frameAt)}`);

    // ---- idle baseline: frames with nothing happening
    const idleFrames = await page.evaluate(async () => {
      window.__frames = []; window.__callbacks = [];
      window.__recording = true;
      await new Promise((r) => setTimeout(r, 1000));
      window.__recording = false;
      return window.__callbacks.slice();
    });
    const idle = frameStats(idleFrames);
    console.log(`\nIdle (1 s, no input): ${idle.frames} frames, p50 ${ms(idle.p50)}, p95 ${ms(idle.p95)}, max ${ms(idle.max)} → ${idle.fps.toFixed(1)} fps`);

    // ---- drag
    const node = page.locator(`g[data-node-id="${hub.id}"]`);
    const edgeSel = `g[data-edge-id][data-from="${hub.id}"] path.line`;
    const before = {
      place: await nodePlace(node),
      edgePath: await page.locator(edgeSel).first().getAttribute('d'),
    };
    const from = await page.evaluate(bodyPoint, hub.id);
    if (!from) throw new Error(`no point on ${hub.id}'s body hit-tests to it`);
    const dx = Math.min(300, loadedCanvas.x + loadedCanvas.width - 40 - from.x);
    const dy = Math.min(160, loadedCanvas.y + loadedCanvas.height - 60 - from.y);
    console.log(`Drag: ${hub.kind} ${hub.id} "${hub.name}" (${deg.get(hub.id)} edges) from (${from.x.toFixed(0)}, ${from.y.toFixed(0)}) by (${dx.toFixed(0)}, ${dy.toFixed(0)}) px, ${DRAG_STEPS} steps over ~${DRAG_MS / 1000} s`);
    // Chromium's own frame reporter (trace category "benchmark", light): for every frame
    // the compositor began during the drag, whether it presented the page's update, only
    // part of it (the main thread missed the frame), or dropped it.
    if (process.env.BENCH_PRESELECT) {
      await page.mouse.click(from.x, from.y);
      await sleep(500);
    }
    await browser.startTracing(page, { categories: FRAME_TRACE_CATEGORIES });
    const run = await drag(page, from, dx, dy, opts.input);
    const reporter = frameReporter(await browser.stopTracing());
    const s = frameStats(run.callbacks);
    const after = {
      place: await nodePlace(node),
      edgePath: await page.locator(edgeSel).first().getAttribute('d'),
      nodes: await page.locator('g[data-node-id]').count(),
      edges: await page.locator('g[data-edge-id]').count(),
      canvas: await page.locator('#canvas').boundingBox(),
    };
    const p0 = before.place;
    const p1 = after.place;
    console.log(`  moves sent over             ${ms(run.sentMs)} (${opts.input}); all handled after ${ms(run.handledMs)}`);
    const mv = [...run.moves].sort((a, b) => a - b);
    console.log(`  pointermove events handled  ${mv.length} of ${DRAG_STEPS} sent; handler + render p50 ${ms(percentile(mv, 50))}, p95 ${ms(percentile(mv, 95))}, max ${ms(mv[mv.length - 1] ?? NaN)}`);
    console.log(`  frames                      ${s.frames} (${s.intervals} intervals)`);
    // Frame time: the interval between consecutive rAF callbacks, timed with
    // performance.now() inside them. A frame whose work runs late shows as a longer
    // interval even when the browser still presents it at the next vsync.
    const ts = frameStats(run.frames);
    console.log('  frame time = interval between rAF callbacks (performance.now() inside each)');
    console.log(`  frame time p50              ${ms(s.p50)}`);
    console.log(`  frame time p95              ${ms(s.p95)}`);
    console.log(`  frame time p99              ${ms(s.p99)}`);
    console.log(`  frame time max              ${ms(s.max)}`);
    console.log(`  frame time mean             ${ms(s.mean)}  →  ${s.fps.toFixed(1)} fps`);
    console.log(`  frames over 25 ms           ${s.over} of ${s.intervals}`);
    if (reporter) {
      const began = reporter.presented + reporter.partial + reporter.dropped;
      console.log(`  Chromium frame reporter     ${reporter.presented} presented, ${reporter.partial} partial (main thread late), ${reporter.dropped} dropped` +
        ` of ${began} frames with an update → ${(100 * reporter.dropped / Math.max(1, began)).toFixed(1)} % dropped, ${(100 * (reporter.partial + reporter.dropped) / Math.max(1, began)).toFixed(1)} % not fully on time`);
    }
    console.log(`  rAF timestamp intervals     p50 ${ms(ts.p50)}, p95 ${ms(ts.p95)}, max ${ms(ts.max)}, over 25 ms ${ts.over}` +
      ' (the frames\' begin times: vsync-aligned in headless Chromium even when the callback runs late)');
    if (run.longtasks) {
      const during = run.longtasks.filter((t) => t.start >= run.frames[0] - 1 && t.start <= run.frames[run.frames.length - 1]);
      const total = during.reduce((a, t) => a + t.duration, 0);
      const longest = during.reduce((a, t) => Math.max(a, t.duration), 0);
      console.log(`  long tasks (>50 ms)         ${during.length}, ${ms(total)} in all, longest ${ms(longest)}`);
    }
    if (run.press) console.log(`  press → next frame          ${ms(run.press.ms)} (lift the node and its edges into the drag layer)`);
    console.log(`  release → next frame        ${ms(run.release.ms)} (commit the move, re-render, autosave)`);
    const moved = p0 && p1 && (p0.x !== p1.x || p0.y !== p1.y);
    console.log(`  node moved                  ${moved ? 'yes' : 'NO'}: (${p0?.x}, ${p0?.y}) → (${p1?.x}, ${p1?.y})` +
      (moved ? ` (Δ ${(p1.x - p0.x).toFixed(0)}, ${(p1.y - p0.y).toFixed(0)} world units)` : ''));
    console.log(`  its edges followed          ${before.edgePath !== after.edgePath ? 'yes' : 'NO'}`);
    console.log(`  diagram after the drag      ${after.nodes} nodes, ${after.edges} edges${after.nodes === NODE_COUNT && after.edges === EDGE_COUNT ? '' : '  (EXPECTED 500 / 2000)'}`);
    if (Math.round(after.canvas.height) !== Math.round(loadedCanvas.height)) {
      console.log(`  canvas height               ${Math.round(loadedCanvas.height)} px before, ${Math.round(after.canvas.height)} px with the node selected`);
    }
    // The goal (p95 ≤ 16.7 ms by rAF timestamps) and the two stricter views beside it.
    // (timestamps come rounded to 0.1 ms, so back-to-back frames read 16.6–16.8 ms)
    const tsOk = ts.p95 <= FRAME_BUDGET_MS + 0.15;
    const verdict = `rAF timestamps p95 ${ms(ts.p95)} (${tsOk ? 'within' : 'over'} the ${ms(FRAME_BUDGET_MS)} budget)` +
      (reporter ? `; Chromium dropped ${reporter.dropped} of ${reporter.presented + reporter.partial + reporter.dropped} frames` : '') +
      `; callback-timed p95 ${ms(s.p95)} against ${ms(idle.p95)} for the idle page` +
      (opts.profile || tsOk ? '' : ' (run with --profile to see where the time goes)');
    console.log(`  verdict: ${verdict}`);

    const shot = path.join(ARTIFACTS, 'bench-drag.png');
    await page.screenshot({ path: shot });
    console.log(`\nScreenshot: ${shot}`);

    // ---- optional profile: the same drag on a freshly loaded page, under tracing + CPU profiling
    await context.close();
    if (opts.profile) {
      const fresh = await openDiagram(browser, server.url, saved, errors);
      const start = await fresh.page.evaluate(bodyPoint, hub.id);
      if (!start) throw new Error(`no point on ${hub.id}'s body hit-tests to it`);
      const prof = await profileDrag(browser, fresh.page, start, dx, dy);
      await fresh.context.close();
      const ps = frameStats(prof.run.callbacks);
      console.log(`\nProfile (the same drag on a fresh load, under tracing + sampling, which slow it down):`);
      console.log(`  frames ${ps.frames}, p50 ${ms(ps.p50)}, p95 ${ms(ps.p95)}, ${ps.fps.toFixed(1)} fps`);
      if (prof.trace) {
        console.log(`  renderer main thread, self time by kind (trace, ${ms(prof.trace.wallMs)} traced, ${ms(prof.trace.busyMs)} busy):`);
        for (const [g, t, f] of prof.trace.groups) {
          console.log(`    ${g.padEnd(50)} ${ms(t).padStart(10)}  ${(100 * f).toFixed(1).padStart(5)} %  ${ms(t / Math.max(1, ps.intervals)).padStart(9)} per frame`);
        }
        const st = prof.trace.steady;
        if (st) {
          console.log(`  steady state (${ms(st.wallMs)} between the press and the release; ${ms(st.busyMs)} busy = ${ms((st.busyMs / st.wallMs) * (1000 / 60))} per 16.7 ms frame):`);
          for (const [g, t] of st.groups) console.log(`    ${g.padEnd(50)} ${ms(t).padStart(10)}  ${ms((t / st.wallMs) * (1000 / 60)).padStart(9)} per frame`);
          console.log(`    top events: ${st.top.map(([n, t]) => `${n} ${ms((t / st.wallMs) * (1000 / 60))}`).join(', ')} (per frame)`);
        }
        for (const t of prof.trace.longTasks) {
          console.log(`  task of ${ms(t.ms)} at ${ms(t.at)}: ${t.top.map(([n, d]) => `${n} ${ms(d)}`).join(', ')}`);
        }
        console.log('  busy time by thread (all processes, thread pools summed; % of the traced time):');
        for (const [n, t, f] of prof.trace.threads) console.log(`    ${n.slice(0, 40).padEnd(40)} ${ms(t).padStart(10)}  ${(100 * f).toFixed(1).padStart(5)} %`);
        for (const [kind, top] of prof.trace.helperTop) {
          console.log(`    ${kind}: ${top.map(([n, t]) => `${n} ${ms(t)}`).join(', ')}`);
        }
        console.log('  top trace events on the page main thread by self time:');
        for (const [n, t, f] of prof.trace.top) console.log(`    ${n.slice(0, 48).padEnd(48)} ${ms(t).padStart(10)}  ${(100 * f).toFixed(1).padStart(5)} %`);
      }
      console.log(`  CPU profile (sampled, ${ms(prof.cpu.totalMs)}):`);
      for (const [k, t, f] of prof.cpu.kinds) console.log(`    ${k.padEnd(56)} ${ms(t).padStart(10)}  ${(100 * f).toFixed(1).padStart(5)} %`);
      console.log('  top functions by self time:');
      for (const [n, t, f] of prof.cpu.top) console.log(`    ${n.slice(0, 64).padEnd(64)} ${ms(t).padStart(10)}  ${(100 * f).toFixed(1).padStart(5)} %`);
    }

    if (errors.length) console.log(`\nPage errors:\n  ${errors.join('\n  ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
