//! `KINDS`: one row per node kind — what the palette, the canvas, the editor's defaults
//! and the scenario reader need to know about it (label, icon, size, name base, the
//! messaging system it belongs to, the scenario version that introduced it). Adding a
//! kind adds a row here; nothing else lists the kinds.

use crate::core::scenario::NodeKind;

/// The messaging system a kind belongs to (the palette groups by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Producers and consumers: shared by every system.
    Actors,
    /// RabbitMQ: exchanges and queues.
    Rabbit,
}

impl Family {
    /// Heading of the family's palette group.
    pub fn label(self) -> &'static str {
        match self {
            Family::Actors => "Clients",
            Family::Rabbit => "RabbitMQ",
        }
    }
}

/// What is known about one node kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KindInfo {
    /// The kind.
    pub kind: NodeKind,
    /// Label: the palette button's accessible name.
    pub label: &'static str,
    /// Icon shown on the palette button and the node.
    pub icon: &'static str,
    /// What it does, in a few words (palette tooltip).
    pub blurb: &'static str,
    /// Width and height on the canvas, in world units.
    pub size: (f64, f64),
    /// Base of new nodes' names (`queue` → `queue-3`).
    pub name_base: &'static str,
    /// The system it belongs to.
    pub family: Family,
    /// Scenario format version that introduced it.
    pub since_version: u32,
}

/// Every node kind, in palette order.
pub const KINDS: [KindInfo; 4] = [
    KindInfo {
        kind: NodeKind::Producer,
        label: "Producer",
        icon: "\u{25B6}",
        blurb: "publishes messages",
        size: (150.0, 56.0),
        name_base: "producer",
        family: Family::Actors,
        since_version: 1,
    },
    KindInfo {
        kind: NodeKind::Exchange,
        label: "Exchange",
        icon: "\u{21C4}",
        blurb: "routes to queues",
        size: (150.0, 64.0),
        name_base: "exchange",
        family: Family::Rabbit,
        since_version: 1,
    },
    KindInfo {
        kind: NodeKind::Queue,
        label: "Queue",
        icon: "\u{2630}",
        blurb: "stores messages",
        size: (170.0, 64.0),
        name_base: "queue",
        family: Family::Rabbit,
        since_version: 1,
    },
    KindInfo {
        kind: NodeKind::Consumer,
        label: "Consumer",
        icon: "\u{2699}",
        blurb: "processes and acks",
        size: (180.0, 56.0),
        name_base: "consumer",
        family: Family::Actors,
        since_version: 1,
    },
];

/// The row of `kind` (rows are in the order of [`NodeKind`]'s variants; a test checks).
pub fn kind_info(kind: NodeKind) -> &'static KindInfo {
    &KINDS[kind as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row() {
        for kind in [
            NodeKind::Producer,
            NodeKind::Exchange,
            NodeKind::Queue,
            NodeKind::Consumer,
        ] {
            assert_eq!(KINDS.iter().filter(|k| k.kind == kind).count(), 1);
            assert_eq!(kind_info(kind).kind, kind);
            assert_eq!(kind_info(kind).name_base, kind.as_str());
        }
    }
}
