//! Positions: laying the imported nodes out left to right, exchanges in columns by their
//! depth along exchange-to-exchange links, queues in the last column.

use super::Importer;
use crate::core::scenario::{EdgeKind, NodeKind};
use std::collections::HashMap;

/// Horizontal distance between layout columns.
const COLUMN_WIDTH: f64 = 240.0;
/// Vertical distance between nodes of a column.
const ROW_HEIGHT: f64 = 110.0;
/// Top-left margin of the layout.
const MARGIN: f64 = 80.0;
/// Most nodes one above the other: a longer column goes on in the next one to its right,
/// so that a large import stays inside the canvas's coordinates (±1,000,000).
const MAX_ROWS: usize = 1000;

impl Importer {
    /// Columns left to right: exchanges by their depth along exchange-to-exchange
    /// bindings and alternate exchanges, then the queues; rows in declaration order,
    /// queues sorted by the row of the first exchange bound to them.
    pub(super) fn layout(&mut self) {
        let n = self.nodes.len();
        let index: HashMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, nd)| (nd.id.as_str(), i))
            .collect();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut incoming = vec![0usize; n];
        let mut queue_sources: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &self.edges {
            let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
            else {
                continue;
            };
            match (e.kind, self.nodes[b].kind()) {
                (EdgeKind::Binding | EdgeKind::AlternateExchange, NodeKind::Exchange) => {
                    next[a].push(b);
                    incoming[b] += 1;
                }
                (EdgeKind::Binding, NodeKind::Queue) => queue_sources[b].push(a),
                _ => {}
            }
        }
        let exchanges: Vec<usize> = (0..n)
            .filter(|&i| self.nodes[i].kind() == NodeKind::Exchange)
            .collect();
        // Depth-first post-order without recursion; back edges (cycles) are ignored.
        let mut state = vec![0u8; n];
        let mut post = Vec::with_capacity(exchanges.len());
        let roots = exchanges
            .iter()
            .filter(|&&x| incoming[x] == 0)
            .chain(exchanges.iter().filter(|&&x| incoming[x] > 0));
        for &root in roots {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack = vec![(root, 0usize)];
            while let Some(top) = stack.last_mut() {
                let (v, i) = *top;
                if i < next[v].len() {
                    top.1 += 1;
                    let w = next[v][i];
                    if state[w] == 0 {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                } else {
                    state[v] = 2;
                    post.push(v);
                    stack.pop();
                }
            }
        }
        let mut position = vec![0usize; n];
        for (p, &v) in post.iter().rev().enumerate() {
            position[v] = p;
        }
        let mut depth = vec![0usize; n];
        for &v in post.iter().rev() {
            for &w in &next[v] {
                if position[w] > position[v] {
                    depth[w] = depth[w].max(depth[v] + 1);
                }
            }
        }
        let columns = exchanges.iter().map(|&x| depth[x] + 1).max().unwrap_or(0);
        // Where each depth's column starts, counted in columns: one with more than
        // MAX_ROWS exchanges takes several.
        let mut count = vec![0usize; columns];
        for &x in &exchanges {
            count[depth[x]] += 1;
        }
        let mut start = vec![0usize; columns + 1];
        for c in 0..columns {
            start[c + 1] = start[c] + count[c].div_ceil(MAX_ROWS).max(1);
        }
        let mut rows = vec![0usize; columns + 1];
        let mut y = vec![0.0f64; n];
        for &x in &exchanges {
            let c = depth[x];
            let (sub, row) = (rows[c] / MAX_ROWS, rows[c] % MAX_ROWS);
            // The sort key of the queues it feeds: its place in reading order.
            y[x] = MARGIN + rows[c] as f64 * ROW_HEIGHT;
            rows[c] += 1;
            self.nodes[x].x = MARGIN + (start[c] + sub) as f64 * COLUMN_WIDTH;
            self.nodes[x].y = MARGIN + row as f64 * ROW_HEIGHT;
        }
        let mut queues: Vec<(f64, usize)> = (0..n)
            .filter(|&i| self.nodes[i].kind() == NodeKind::Queue)
            .map(|q| {
                let key = queue_sources[q]
                    .iter()
                    .map(|&s| y[s])
                    .fold(f64::INFINITY, f64::min);
                (key, q)
            })
            .collect();
        crate::core::sort::sort_by(&mut queues, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (i, &(_, q)) in queues.iter().enumerate() {
            let (sub, row) = (i / MAX_ROWS, i % MAX_ROWS);
            self.nodes[q].x = MARGIN + (start[columns] + sub) as f64 * COLUMN_WIDTH;
            self.nodes[q].y = MARGIN + row as f64 * ROW_HEIGHT;
        }
    }
}
