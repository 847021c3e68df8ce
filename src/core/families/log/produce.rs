//! Producing to a topic: the partitioner's choice and the produced parcel (seam
//! `offer`), its arrival as a record (waking members that wait on that partition), and
//! each topic's retention and compaction runs.

use super::*;

impl Log {
    /// Seam `offer` for a topic: `from` produces `out` to `topic` along `edge`. The
    /// partition is the sender's choice (explicit, by key, or sticky).
    #[inline(never)]
    pub fn produce(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        from: Option<NodeId>,
        topic: usize,
        edge: Option<EdgeId>,
        out: Outgoing,
    ) -> Produced {
        let message = k.new_message_id();
        k.totals.published += 1;
        let info = &topo.topics[topic];
        let partitions = info.spec.partitions;
        let size = out.key.as_ref().map_or(0, |s| s.len() as u64)
            + if out.tombstone {
                0
            } else {
                out.payload.len() as u64
            };
        let partition = match (out.partition, &out.key) {
            (Some(p), _) => p.min(partitions.saturating_sub(1)),
            (None, Some(key)) => partitioner::partition_for_key(key, partitions),
            (None, None) => {
                let origin = from.map_or(u32::MAX, |n| n.0);
                let rng = &mut k.rng;
                self.sticky
                    .entry((origin, topic))
                    .or_default()
                    .next(size, || {
                        (rng.unit() * partitions as f64) as u32 % partitions.max(1)
                    })
            }
        };
        k.totals.hops += 1;
        if let Some(edge) = edge {
            k.travel(edge);
        }
        let keyless = out.key.is_none();
        // A record's routing key is its key; it has no priority or expiration.
        let routing_key = out
            .key
            .clone()
            .unwrap_or_else(crate::core::model::message::empty_text);
        let body = Rc::new(MessageBody {
            routing_key,
            priority: None,
            expiration_us: None,
            ..out.into_body(message, from, k.now)
        });
        let copy = new_copy(k, body, CopyState::InFlight, info.name.clone());
        let slot = k.alloc(copy);
        let (id, topic_node) = (k.copy(slot).id, info.node);
        k.emit(|| EventKind::Produced {
            copy: id,
            message,
            from,
            topic: topic_node,
            partition,
        });
        // "Compacted topic cannot accept message without key" (Kafka's
        // InvalidRecordException), and a record larger than a whole segment
        // (UnifiedLog.append: RecordBatchTooLargeException): the broker refuses the
        // produce.
        if (keyless && info.spec.cleanup_policy == CleanupPolicy::Compact)
            || size > info.spec.segment_bytes
        {
            k.drop_copy(slot, Some(info.node), DropReason::InvalidRecord);
            return Produced::Refused(message);
        }
        // Producers and consumers produce along their edge; a client (script, by hand)
        // has no node, and its record is drawn from the topic on.
        if let Some(edge) = edge {
            k.record_hop(slot, edge, MotionKind::Produce);
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveTopic {
                slot,
                topic: topic as u32,
                partition,
            },
        );
        Produced::Sent(message, partition)
    }

    /// A produced parcel reaches its partition: it becomes a record; members waiting
    /// on that partition fetch.
    #[inline(never)]
    pub fn arrive(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        topic: usize,
        partition: u32,
    ) {
        let body = k.copy(slot).body.clone();
        let (key, value) = (
            body.key.clone(),
            (!body.tombstone).then(|| body.payload.clone()),
        );
        let spec = &topo.topics[topic].spec;
        let offset = self.topics[topic][partition as usize].append(spec, k.now, key, value, body);
        let (id, node) = (k.copy(slot).id, topo.topics[topic].node);
        k.emit(|| EventKind::Appended {
            copy: id,
            topic: node,
            partition,
            offset,
        });
        k.settle_stored(slot);
        for &g in &topo.topics[topic].groups {
            if let Some(owner) = self.groups[g].owner[partition as usize] {
                if self.members[owner].as_ref().is_some_and(|m| m.waiting) {
                    self.poll(k, topo, owner);
                }
            }
        }
    }

    /// Retention and compaction of `topic` now; the next run is scheduled.
    #[inline(never)]
    pub fn maintain(&mut self, k: &mut Kernel, topo: &Topology, topic: usize) {
        let spec = &topo.topics[topic].spec;
        for p in &mut self.topics[topic] {
            p.maintain(spec, k.now);
        }
        let at = k.now.plus(ms_to_us(MAINTENANCE_MS));
        k.agenda.push(
            at,
            Action::LogMaintenance {
                topic: topic as u32,
            },
        );
    }
}
