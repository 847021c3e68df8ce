//! Newtype ids used across the core. Indices into the compiled topology's tables.

use serde::Serialize;

macro_rules! index_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as a table index.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_id!(
    /// A node of the scenario (producer, exchange, queue or consumer), by its position in `nodes`.
    NodeId
);
index_id!(
    /// An edge of the scenario, by its position in `edges`.
    EdgeId
);

/// One published message (all copies made by routing share it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MessageId(pub u64);

/// One copy of a message: what sits in a queue, is delivered, acked or dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CopyId(pub u64);
