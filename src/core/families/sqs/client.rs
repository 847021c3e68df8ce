//! The script's (and the inspector's) own SQS calls: ReceiveMessage with the
//! messages then held in flight by receipt, DeleteMessage and ChangeMessageVisibility
//! of the most recently received message with a body, and a dead-letter queue's
//! redrive back to its sources (the console's "Start DLQ redrive").

use super::store::{MsgRef, Visibility};
use super::*;
use crate::core::model::events::EventKind;

impl Sqs {
    /// ReceiveMessage by the script: up to `max`; the messages stay in flight until
    /// deleted or their timeout runs out. Returns the bodies.
    pub fn client_receive(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        max: u32,
        visibility_ms: Option<f64>,
    ) -> Vec<String> {
        let mut got = Vec::new();
        let max = max.clamp(1, 10) as usize;
        self.receive(k, topo, q, max, visibility_ms, None, &mut got);
        if got.is_empty() {
            // A script's receive is a short poll: it returns empty at once.
            self.queues[q].ledger.empty_receives += 1;
        }
        let mut bodies = Vec::new();
        for (slot, msg, token) in got {
            let (body, message) = (k.copy(slot).body.payload.clone(), k.copy(slot).body.id);
            // The script holds the receipt, not a parcel.
            k.settle_stored(slot);
            bodies.push(body.to_string());
            self.client.push(ClientReceipt {
                message,
                queue: q,
                body,
                msg,
                token,
            });
        }
        bodies
    }

    fn client_find(&self, q: usize, body: &str) -> Option<usize> {
        self.client
            .iter()
            .rposition(|r| r.queue == q && &*r.body == body)
    }

    /// DeleteMessage by the script, with its receipt for the most recently received
    /// message with `body`: `None` when the script holds no such receipt (the call
    /// cannot be made), else whether it deleted. A receipt that is no longer the latest
    /// (the message was received again since) succeeds and deletes nothing
    /// (API_DeleteMessage: "the request succeeds, but the message will not be
    /// deleted"), counted in `stale_deletes`.
    pub fn client_delete(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        body: &str,
    ) -> Option<bool> {
        let i = self.client_find(q, body)?;
        let r = self.client.remove(i);
        Some(self.delete_receipt(k, topo, q, r.msg, r.token, None, r.message))
    }

    /// ChangeMessageVisibility by the script; false when it holds no current receipt.
    pub fn client_change_visibility(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        body: &str,
        ms: f64,
    ) -> bool {
        let Some(i) = self.client_find(q, body) else {
            return false;
        };
        let (msg, token) = (self.client[i].msg, self.client[i].token);
        match self.change_visibility(k, topo, q, msg, token, ms) {
            Some(new) => {
                self.client[i].token = new;
                true
            }
            None => false,
        }
    }

    /// Moves every message of dead-letter queue `dlq` back to the queue each came
    /// from (the console's "Start DLQ redrive"); returns how many moved. A message
    /// without a known source (sent to the dead-letter queue directly) stays.
    pub fn redrive(&mut self, k: &mut Kernel, topo: &Topology, dlq: usize) -> u32 {
        let refs: Vec<(MsgRef, usize)> = self.queues[dlq]
            .refs()
            .into_iter()
            .filter_map(|(r, m)| Some((r, m.source?)))
            .collect();
        let mut n = 0;
        for (r, src) in refs {
            if self.queues[dlq]
                .get(r)
                .is_some_and(|m| matches!(m.state, Visibility::InFlight { .. }))
            {
                continue;
            }
            let Some((_, edge, _)) = topo.sqs[src].dead_letter else {
                continue;
            };
            self.move_message(k, topo, dlq, r, src, edge, true);
            n += 1;
        }
        let node = topo.sqs[dlq].node;
        k.emit(|| EventKind::Redriven {
            queue: node,
            count: n,
        });
        n
    }
}
