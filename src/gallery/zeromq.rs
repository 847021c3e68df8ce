//! The gallery's ZeroMQ patterns (pipes without a broker, the distributor, publish-
//! subscribe, and a worker lost with its pipe beside a queue), listed in
//! [`super::catalog::PATTERNS`].

use super::catalog::Pattern;

/// `zeromq-pipeline`.
pub const ZEROMQ_PIPELINE: Pattern = Pattern {
    id: "zeromq-pipeline",
    title: "ZeroMQ: a pipeline without a broker",
    purpose: "ZeroMQ has no broker: the ventilator holds a pipe to each worker and \
        pushes tasks to them in turn; the workers push results to a sink, which reads \
        its pipes fairly. It is fast and simple, but every sender must know its peers, \
        and a pipe lives only as long as its peer: nothing is stored anywhere else.",
    watch: "Tasks go to worker-1 and worker-2 in turn until worker-3 connects at 8 s; it \
        missed nothing, because PUSH deals only to connected peers. The pipes fill (the \
        bar under each push label) since the workers are a little slow; each time worker-2 \
        crashes (after every 25 tasks) the tasks in its pipe are lost (red marks), while \
        the others carry on until it is back.",
    try_this: "Select the push edge into worker-1 and set its high-water mark to 2: the \
        pipes fill at once, the ventilator shows blocked, and its published count slows \
        to what the workers can take.",
    json: include_str!("patterns/zeromq-pipeline.json"),
};

/// `zeromq-distributor`.
pub const ZEROMQ_DISTRIBUTOR: Pattern = Pattern {
    id: "zeromq-distributor",
    title: "ZeroMQ: the distributor, blind or least-recently-used",
    purpose: "One way to cope with a consumer that is not available, or slow, is a \
        distributor in front of several instances. A blind round-robin device deals \
        jobs in turn whatever each instance is doing; the zguide's load-balancing \
        broker gives a job only to an instance that said it is ready.",
    watch: "Above, C (slow) gets a job in three and its pipe keeps growing while A and B \
        wait for theirs. Below, C takes a job only when it is free: A and B do most of \
        the work, C's pipe never holds more than one, and nothing waits behind the slow \
        instance.",
    try_this: "Select the round-robin device and set Distribution to least-recently-used: \
        both lanes now behave alike.",
    json: include_str!("patterns/zeromq-distributor.json"),
};

/// `zeromq-pubsub`.
pub const ZEROMQ_PUBSUB: Pattern = Pattern {
    id: "zeromq-pubsub",
    title: "ZeroMQ: publish-subscribe, drop or block",
    purpose: "A PUB socket sends every message to every subscriber whose subscription \
        prefix matches, and never waits: a subscriber that cannot keep up loses \
        messages at its high-water mark. A PUSH socket never loses one: it waits \
        instead, so a slow reader slows the sender down.",
    watch: "The weather desk gets only weather updates, the sport desk only sport. The \
        archive subscribes to everything but reads slowly: its pipe sits at 10 and the \
        updates it cannot take are dropped (red marks), while the publisher keeps its \
        pace. Below, the pusher in front of the same slow archive shows blocked and \
        publishes at the archive's pace.",
    try_this: "Select the pub edge into the archive and set its high-water mark to 1000: \
        nothing is dropped for a while, until its pipe fills.",
    json: include_str!("patterns/zeromq-pubsub.json"),
};

/// `brokerless-vs-brokered`.
pub const BROKERLESS_VS_BROKERED: Pattern = Pattern {
    id: "brokerless-vs-brokered",
    title: "Brokerless or brokered: a worker goes down",
    purpose: "The same producer and workers, once through ZeroMQ pipes and once through a \
        RabbitMQ queue. A broker keeps messages until a consumer acknowledges them; \
        pipes keep them only while both peers are there. When a worker goes away, that \
        is the difference between losing work and redelivering it.",
    watch: "At 15 s worker-b goes down in both lanes. Above, the orders waiting in its \
        pipe are lost with it (red marks, peer_lost), and everything goes to worker-a \
        until it is back. Below, its unacknowledged order goes back to order-work and \
        worker-a takes it: the queue grows a little, and nothing is lost.",
    try_this: "Select worker-b in the ZeroMQ lane and press Crash now while the run plays: \
        its pipe empties into red marks. Do the same in the RabbitMQ lane: the message it \
        held goes back to the queue, marked redelivered.",
    json: include_str!("patterns/brokerless-vs-brokered.json"),
};
