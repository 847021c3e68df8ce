//! The conservation check of a whole simulation: the kernel claims parcels in flight,
//! each family claims what it holds and checks its own ledger, then the census adds
//! everything up (see [`crate::core::kernel::census`]).

use super::Simulation;
use crate::core::kernel::census::{Census, ConservationReport};

impl Simulation {
    /// Recomputes where every parcel is and checks the books balance.
    pub fn check_conservation(&self) -> ConservationReport {
        let mut census = Census::new(&self.kernel);
        self.rabbit.census(&mut census);
        self.log.census(&mut census);
        self.sqs.census(&mut census);
        self.pipes.census(&self.topo, &mut census);
        self.rpc.census(&self.topo, &mut census);
        census.claim_in_flight();
        census.finish()
    }

    /// Corrupts one queue's ledger (an unacked count with no delivery behind it), so
    /// a test can prove the conservation check catches it. Test hook only.
    #[doc(hidden)]
    pub fn corrupt_for_test(&mut self) {
        if !self.topo.queues.is_empty() {
            self.rabbit.corrupt_unacked_for_test(0);
        }
    }
}
