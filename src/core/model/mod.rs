//! The model every part of the program shares: ids, messages and their copies
//! ([`message`]), the events the simulation emits ([`events`]), the motions playback
//! animates ([`motion`]), what nodes and edges show ([`status`]), and the node and edge
//! tables ([`kinds::KINDS`], [`wiring::WIRING`]) that validation, the editor, the
//! inspector and the palette read.

pub mod events;
pub mod ids;
pub mod kinds;
pub mod message;
pub mod motion;
pub mod status;
pub mod wiring;

pub use kinds::{kind_info, Family, KindInfo, KINDS};
pub use wiring::{choices, default_edge, refusal, wire, Limit, Wire, WIRING};
