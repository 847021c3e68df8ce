//! A broker restart (rabbitmq.com/docs/queues "Durability", rabbitmq.com/docs/persistence-conf,
//! rabbitmq.com/docs/publishers "Message Durability"): a durable queue comes back with
//! its persistent messages (`delivery_mode` 2); its transient messages are lost; a
//! transient (non-durable) queue is deleted with everything in it (here its
//! declaration is redeclared empty, as the application would on reconnecting). Quorum
//! queues are always durable and keep every message. Consumers' connections are the
//! simulation's to drop and reopen (their unacked deliveries return first, redelivered).

use super::Rabbit;
use crate::core::kernel::Kernel;
use crate::core::model::events::DropReason;
use crate::core::scenario::QueueType;
use crate::core::topology::Topology;

impl Rabbit {
    /// The broker restarts: every queue keeps what survives and loses the rest
    /// (`broker_restart`). Returns how many messages were lost.
    pub fn restart(&mut self, k: &mut Kernel, topo: &Topology) -> u64 {
        let mut lost = 0;
        for (q, info) in topo.queues.iter().enumerate() {
            let keep_all = info.queue_type == QueueType::Quorum;
            let mut kept = Vec::new();
            let mut gone = Vec::new();
            while let Some(slot) = self.queues[q].ready.pop_front() {
                let copy = k.copy(slot);
                self.queues[q].ready_bytes -= copy.size();
                if info.durable && (keep_all || copy.body.persistent) {
                    kept.push(slot);
                } else {
                    gone.push(slot);
                }
            }
            for slot in kept {
                let c = k.copy(slot);
                let (level, seq, size) = (c.level, c.seq, c.size());
                self.queues[q].ready.reinsert(level, seq, slot);
                self.queues[q].ready_bytes += size;
            }
            for slot in gone {
                self.queues[q].stats.dropped += 1;
                k.drop_copy(slot, Some(info.node), DropReason::BrokerRestart);
                lost += 1;
            }
        }
        lost
    }
}
