//! Design §2: "Bodies are shared (`Rc`), never copied per hop; no allocation per hop in
//! steady state." Counts the heap allocations the benchmark topologies make (on this
//! test's own thread) while messages flow, per message published, after a warm-up
//! that lets stores and buffers reach their working size.
//!
//! A message costs one allocation, its shared body, plus what its producer's
//! templates render (a Kafka record's key); a hop costs none. Stores still grow now
//! and then (a queue doubling its ring), which the small allowance covers.

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::{Scenario, Simulation};
use queue_playground::gallery::bench::{
    fifty_nodes, four_nodes, kafka_topic, sqs_queue, zmq_pipes,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting allocations per thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counter is a
// plain thread-local cell without a destructor, so touching it never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// (allocations, messages published, hops) from 2 s to 8 s of the benchmark's 10 s
/// burst.
fn steady_state(scenario: &Scenario) -> (u64, u64, u64) {
    let mut sim = Simulation::new(scenario).expect("benchmark scenario");
    sim.run_until(SimTime::from_ms(2_000.0));
    let (published, hops) = (sim.totals().published, sim.totals().hops);
    let before = allocations();
    sim.run_until(SimTime::from_ms(8_000.0));
    let spent = allocations() - before;
    let t = sim.totals();
    (spent, t.published - published, t.hops - hops)
}

/// `per_message` allocations per published message at most, plus 1 %.
fn assert_allocations(name: &str, scenario: Scenario, per_message: f64) {
    let (spent, messages, hops) = steady_state(&scenario);
    assert!(
        messages > 10_000 && hops >= messages,
        "{name}: {messages} messages, {hops} hops"
    );
    let per = spent as f64 / messages as f64;
    assert!(
        per <= per_message * 1.01,
        "{name}: {spent} allocations for {messages} messages and {hops} hops = {per:.3} a message (at most {per_message})"
    );
}

#[test]
fn rabbitmq_allocates_one_body_per_message() {
    assert_allocations("4-node", four_nodes(50_000), 1.0);
    assert_allocations("50-node", fifty_nodes(5_000), 1.0);
}

#[test]
fn kafka_allocates_a_body_and_a_key_per_record() {
    assert_allocations("kafka", kafka_topic(50_000), 2.0);
}

#[test]
fn sqs_allocates_one_body_per_message() {
    assert_allocations("sqs", sqs_queue(50_000), 1.0);
}

#[test]
fn zeromq_allocates_one_body_per_message() {
    assert_allocations("zeromq", zmq_pipes(50_000), 1.0);
}
