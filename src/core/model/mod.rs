//! The model every part of the program shares: the node and edge tables
//! ([`kinds::KINDS`], [`wiring::WIRING`]) that validation, the editor, the inspector and
//! the palette read.

pub mod kinds;
pub mod wiring;

pub use kinds::{kind_info, Family, KindInfo, KINDS};
pub use wiring::{choices, default_edge, refusal, wire, Limit, Wire, WIRING};
