//! "Tidy": a layered (Sugiyama-style) layout for any diagram. Messages flow left to
//! right: each node goes in the column of its longest path from a node nothing points
//! to, edges that close a cycle (a reply, a retry through a dead-letter exchange) are
//! left out of that count; within a column, nodes are ordered by the mean row of their
//! neighbours (a few sweeps each way) so lines cross less; columns are as wide as their
//! widest node with a fixed gap, and each column is centred on the tallest.

use super::geometry::node_size;
use crate::core::scenario::Scenario;
use std::collections::HashMap;

/// Gap between columns, in world units (room for an edge label).
pub const COLUMN_GAP: f64 = 120.0;
/// Gap between the nodes of a column.
pub const ROW_GAP: f64 = 44.0;
/// Top-left margin.
pub const MARGIN: f64 = 40.0;

/// The tidy position (left, top) of every node, in node order.
pub fn tidy(s: &Scenario) -> Vec<(f64, f64)> {
    let n = s.nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let index: HashMap<&str, usize> = s
        .nodes
        .iter()
        .enumerate()
        .map(|(i, nd)| (nd.id.as_str(), i))
        .collect();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for e in &s.edges {
        if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            if a != b {
                out[a].push(b);
                indegree[b] += 1;
            }
        }
    }
    // Depth-first search from the sources (then from anything left, in node order): an
    // edge to a node still on the stack closes a cycle and does not count for layers.
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    let roots = (0..n)
        .filter(|&i| indegree[i] == 0)
        .chain((0..n).filter(|&i| indegree[i] > 0));
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        forward[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => forward[v].push(w),
                    _ => {} // back edge
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    // Longest path layering over the forward edges (a topological order by Kahn).
    let mut layer = vec![0usize; n];
    let mut pending = vec![0usize; n];
    for list in &forward {
        for &w in list {
            pending[w] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    let mut head = 0;
    while head < ready.len() {
        let v = ready[head];
        head += 1;
        for &w in &forward[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            pending[w] -= 1;
            if pending[w] == 0 {
                ready.push(w);
            }
        }
    }
    let layers = layer.iter().max().map_or(0, |m| m + 1);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for v in 0..n {
        columns[layer[v]].push(v);
    }
    // Neighbours in both directions, for the barycentre sweeps.
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, list) in forward.iter().enumerate() {
        for &w in list {
            neighbours[v].push(w);
            neighbours[w].push(v);
        }
    }
    let mut row = vec![0.0f64; n];
    let renumber = |columns: &Vec<Vec<usize>>, row: &mut Vec<f64>| {
        for col in columns {
            for (i, &v) in col.iter().enumerate() {
                row[v] = i as f64;
            }
        }
    };
    renumber(&columns, &mut row);
    for sweep in 0..6 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for c in order {
            let mut keyed: Vec<(f64, usize, usize)> = columns[c]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let near: Vec<f64> = neighbours[v]
                        .iter()
                        .filter(|&&w| layer[w].abs_diff(c) == 1)
                        .map(|&w| row[w])
                        .collect();
                    let key = if near.is_empty() {
                        i as f64
                    } else {
                        near.iter().sum::<f64>() / near.len() as f64
                    };
                    (key, i, v)
                })
                .collect();
            crate::core::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            columns[c] = keyed.into_iter().map(|(_, _, v)| v).collect();
            renumber(&columns, &mut row);
        }
    }
    // Coordinates: columns left to right, each centred on the tallest.
    let size = |v: usize| node_size(s.nodes[v].kind());
    let heights: Vec<f64> = columns
        .iter()
        .map(|col| {
            col.iter().map(|&v| size(v).1).sum::<f64>()
                + ROW_GAP * col.len().saturating_sub(1) as f64
        })
        .collect();
    let tallest = heights.iter().cloned().fold(0.0, f64::max);
    let mut pos = vec![(0.0, 0.0); n];
    let mut x = MARGIN;
    for (c, col) in columns.iter().enumerate() {
        let width = col.iter().map(|&v| size(v).0).fold(0.0, f64::max);
        let mut y = MARGIN + (tallest - heights[c]) / 2.0;
        for &v in col {
            let (w, h) = size(v);
            // Narrower nodes sit centred in their column; positions on the 20-unit
            // grid, as the editor's snap would put them.
            let left = x + (width - w) / 2.0;
            pos[v] = ((left / 20.0).round() * 20.0, (y / 20.0).round() * 20.0);
            y += h + ROW_GAP;
        }
        x += width + COLUMN_GAP;
    }
    pos
}
