// Chromium's own account of frames, read from a trace: used by the benchmarks to count
// frames presented on time, presented late and dropped (rAF timestamps cannot show this
// in headless Chromium: they stay on the 16.7 ms grid even when the page runs late).

/** Trace categories for frameReporter: light enough to leave on during a measurement. */
export const FRAME_TRACE_CATEGORIES = ['benchmark', 'blink.user_timing'];

/**
 * Tallies Chromium's PipelineReporter events (one per frame the compositor began) of the
 * busiest renderer between the page's performance marks qp-measure-start and qp-measure-end, by their
 * state: presented all, presented partial, dropped, no update.
 */
export function frameReporter(buffer) {
  const parsed = JSON.parse(buffer.toString('utf8'));
  const all = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  // only the frames the page marked as measured
  const mark = (name) => all.find((e) => e.name === name)?.ts;
  const from = mark('qp-measure-start') ?? -Infinity;
  const to = mark('qp-measure-end') ?? Infinity;
  const events = all
    .filter((e) => e.name === 'PipelineReporter' && e.ph === 'b' && e.args?.frame_reporter?.state)
    .filter((e) => e.ts >= from && e.ts <= to);
  // Per renderer compositor (layer tree host; the page's is the busiest), one state per
  // frame: a frame can have two reporters (the compositor's own update and the main
  // thread's), and then the better one says what was shown.
  const rank = { STATE_PRESENTED_ALL: 3, STATE_PRESENTED_PARTIAL: 2, STATE_DROPPED: 1, STATE_NO_UPDATE_DESIRED: 0 };
  const byHost = new Map();
  for (const e of events.sort((a, b) => a.ts - b.ts)) {
    const r = e.args.frame_reporter;
    const key = `${e.pid}/${r.layer_tree_host_id}`;
    if (!byHost.has(key)) byHost.set(key, new Map());
    const frames = byHost.get(key);
    const seq = `${r.frame_source}/${r.frame_sequence}`;
    const best = frames.get(seq);
    if (best === undefined || (rank[r.state] ?? -1) > (rank[best] ?? -1)) frames.set(seq, r.state);
  }
  for (const [key, frames] of byHost) byHost.set(key, [...frames.values()]);
  if (process.env.BENCH_DEBUG_FRAMES) {
    const letter = { STATE_PRESENTED_ALL: '.', STATE_PRESENTED_PARTIAL: 'p', STATE_DROPPED: 'D', STATE_NO_UPDATE_DESIRED: '-' };
    for (const [k, v] of byHost) console.log(`  reporter ${k}: ${v.length} frames, ${v.filter((x) => x === 'STATE_PRESENTED_ALL').length} presented: ${v.map((x) => letter[x] ?? '?').join('')}`);
  }
  const [, states] = [...byHost].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!states) return null;
  const count = (s) => states.filter((x) => x === s).length;
  return {
    presented: count('STATE_PRESENTED_ALL'),
    partial: count('STATE_PRESENTED_PARTIAL'),
    dropped: count('STATE_DROPPED'),
    idle: count('STATE_NO_UPDATE_DESIRED'),
  };
}

