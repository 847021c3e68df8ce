//! A ZeroMQ device (the notes' distributor): it takes messages from its input pipes,
//! fair-queued, and hands each to one output. `round-robin` is a blind PUSH: the next
//! connected instance whose pipe has room, busy or not, so a slow instance still gets
//! every Nth message and its pipe fills. `least-recently-used` is the zguide's
//! load-balancing broker (chapter 3): an instance says it is ready when its hands are
//! empty, and the device gives work only to ready instances, the one ready longest
//! first. With no output able to take a message, it stays in the input pipe, which
//! fills up to its high-water mark and then blocks the senders upstream.

use super::*;
use crate::core::kernel::Kernel;
use crate::core::scenario::DeviceMode;

impl Pipes {
    /// Device `d` forwards while it has both a message and somewhere to send it.
    pub(super) fn pump(&mut self, k: &mut Kernel, topo: &Topology, d: usize) {
        let info = &topo.devices[d];
        let end = PipeEnd::Device(d);
        loop {
            let out = match info.mode {
                DeviceMode::RoundRobin => {
                    let n = info.outputs.len();
                    let start = self.cursor.get(&end).copied().unwrap_or(0);
                    (0..n)
                        .map(|s| (start + s) % n)
                        .find(|&j| self.has_room(topo, info.outputs[j]))
                        .map(|j| (j, info.outputs[j]))
                }
                DeviceMode::LeastRecentlyUsed => self.ready[d]
                    .iter()
                    .position(|&i| {
                        let idle = match topo.pipes[i].to {
                            PipeEnd::Worker(c) => self.holding[c].is_none(),
                            _ => false,
                        };
                        idle && self.has_room(topo, i) && self.pipes[i].queued() == 0
                    })
                    .map(|r| (r, self.ready[d][r])),
            };
            let Some((pos, out)) = out else {
                return;
            };
            let Some((input, slot)) = self.next_input(&info.inputs, end) else {
                return;
            };
            match info.mode {
                DeviceMode::RoundRobin => {
                    self.cursor.insert(end, (pos + 1) % info.outputs.len());
                }
                DeviceMode::LeastRecentlyUsed => {
                    self.ready[d].remove(pos);
                }
            }
            self.devices[d].forwarded += 1;
            let body = k.copy(slot).body.clone();
            self.launch(k, topo, Some(info.node), out, body, Some(slot));
            // Its input has room again: whoever it blocked may send.
            if topo.pipes[input].from != end {
                self.room_freed(k, topo, input);
            }
        }
    }
}
