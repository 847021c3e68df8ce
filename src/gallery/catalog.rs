//! The gallery's catalogue: one [`Pattern`] per id of design §7 (and the Kafka ones of
//! its issue), each with its scenario
//! and three short texts for learners (what it is for, what to watch on the canvas,
//! one thing to try in the app).
//!
//! The scenarios live as JSON files in `src/gallery/patterns/` (the same format users
//! save, see README "Scenario files") and are compiled in with `include_str!`; only
//! `stress`, a generated 50-node benchmark, is built in code (`stress.rs`).
//!
//! Two ideas run through the texts and are worth keeping apart: *competing consumers*
//! share one queue and each message goes to one of them (`work-queue`, the messages
//! service in `facade-lab`); *independent consumers* each have their own queue and each
//! gets every message (`pub-sub`, `wire-tap`, the logging service in `facade-lab`).

use crate::core::scenario::{load_scenario, Scenario};

/// One gallery entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The id used in `?pattern=ID` (design §7).
    pub id: &'static str,
    /// Title shown to the learner (the scenario's `name`).
    pub title: &'static str,
    /// What the pattern is for, in plain words.
    pub purpose: &'static str,
    /// What to watch for on the canvas while it runs.
    pub watch: &'static str,
    /// One concrete change to try in the app, and what it shows.
    pub try_this: &'static str,
    /// The scenario as JSON; empty for `stress`, which is generated in code.
    pub(crate) json: &'static str,
}

impl Pattern {
    /// Whether a diagram named `name` is this pattern (its About text applies): the
    /// title, or for `stress` its name at any size it is scaled to.
    pub fn describes(&self, name: &str) -> bool {
        self.title == name || (self.id == "stress" && super::stress::is_name(name))
    }

    /// The pattern's scenario, ready to load into the editor or a simulation.
    ///
    /// The JSON files are checked by the tests, so loading them cannot fail in a
    /// released build; if one ever does, the panic names the pattern.
    pub fn scenario(&self) -> Scenario {
        if self.json.is_empty() {
            return super::stress::scenario();
        }
        load_scenario(self.json)
            .unwrap_or_else(|e| panic!("gallery pattern `{}` does not load: {e}", self.id))
    }
}

/// Every pattern, in the order of design §7, with `stress` last.
pub const PATTERNS: [Pattern; 38] = [
    Pattern {
        id: "point-to-point",
        title: "Point-to-point",
        purpose: "One sender, one receiver, and a queue between them. The web form does \
            not need to know where the CRM importer runs or whether it is busy: it hands \
            each submission to the broker and carries on, and the importer takes them at \
            its own pace. Each message is read by exactly one consumer and then removed \
            from the queue.",
        watch: "A dot leaves web-form every half second, passes the forms exchange and \
            reaches crm-importer through form-submissions. The queue's ready count stays \
            near zero because the importer keeps up, and its processed count goes up by \
            one for every submission: none is skipped, none is handled twice.",
        try_this: "Select crm-importer and set Outages (ms) to 5000-15000, then press Play: \
            the ready count of form-submissions climbs while the importer is away and falls \
            back to zero after it returns. Not one submission is lost.",
        json: include_str!("patterns/point-to-point.json"),
    },
    Pattern {
        id: "work-queue",
        title: "Work queue (competing consumers)",
        purpose: "Spread slow jobs over several identical workers. The workers all \
            subscribe to the same queue and compete for its messages: each job goes to \
            exactly one of them, so adding a worker adds capacity. This is the opposite of \
            publish-subscribe, where each subscriber has a queue of its own and receives \
            every message.",
        watch: "Jobs leave image-jobs for one worker at a time, never for two. With \
            prefetch 1 a worker gets its next job only after acknowledging the last one, so \
            the fast worker ends up with the most jobs and the slow one with the fewest. \
            The three processed counts add up to the number of jobs published.",
        try_this: "Select worker-3 (slow) and set Prefetch to 0 (unlimited): the slow worker \
            now takes a job whenever its turn comes, even while it is still busy. Its held \
            count grows, jobs wait at it while the fast worker sits idle, and the split \
            between the workers evens out.",
        json: include_str!("patterns/work-queue.json"),
    },
    Pattern {
        id: "pub-sub",
        title: "Publish-subscribe (independent consumers)",
        purpose: "Tell every interested service about an event without the publisher \
            knowing who they are. The fanout exchange gives each subscriber its own queue \
            and puts a copy of every event in each of them: billing, shipping and \
            analytics are independent consumers, not competitors. Compare the work queue, \
            where several consumers share one queue and each message reaches only one.",
        watch: "Each dot from orders becomes three at order-events. billing-service, \
            shipping-service and analytics-service each process every order, so their \
            processed counts stay level even though they work at different speeds.",
        try_this: "Add a Consumer from the palette and drag from the shipping queue onto it: \
            the two shipping consumers now compete for shipping's copies and share them \
            between them, while billing and analytics still get every order.",
        json: include_str!("patterns/pub-sub.json"),
    },
    Pattern {
        id: "topic-routing",
        title: "Topic routing",
        purpose: "Let each consumer choose the part of a stream it cares about. A topic \
            exchange compares the dotted routing key with each binding pattern, word by \
            word: * matches exactly one word and # any number of words, none included. A \
            message that matches several patterns lands in several queues.",
        watch: "Keys cycle through order or invoice, eu, us or apac, and created, paid, \
            shipped or refunded. eu-events (*.eu.*) receives one event in three, all-orders \
            (order.#) every order event, refunds (*.*.refunded) one in four, and audit (#) \
            all of them. Click a dot to see its key in the Trace tab.",
        try_this: "Select the binding from events to all-orders and change its key from \
            order.# to order.*: a * is exactly one word, so three-word keys such as \
            order.eu.paid no longer match and all-orders goes quiet.",
        json: include_str!("patterns/topic-routing.json"),
    },
    Pattern {
        id: "headers-routing",
        title: "Headers routing",
        purpose: "Route on several attributes at once when one routing key is not enough. \
            A headers exchange ignores the routing key and compares the message's headers \
            with each binding's arguments: with x-match all every listed header must be \
            equal, with x-match any a single equal header is enough.",
        watch: "Reports cycle through format pdf or csv, region eu, us or apac, and urgent \
            yes, no, no, no. pdf-archive takes every other report; eu-and-urgent (all) only \
            the rare ones that are both from the EU and urgent, one in twelve; eu-or-urgent \
            (any) every report that is either, half of them. A CSV from the US or APAC \
            that is not urgent matches no binding at all: it vanishes at the exchange with \
            a red ring, as unroutable.",
        try_this: "Select the binding to eu-and-urgent and change \"x-match\": \"all\" to \
            \"any\" in its Arguments (JSON): it now receives exactly what eu-or-urgent \
            receives.",
        json: include_str!("patterns/headers-routing.json"),
    },
    Pattern {
        id: "wire-tap",
        title: "Wire tap",
        purpose: "Watch a flow of messages without changing it. The orders exchange is \
            bound to a second, fanout exchange with the pattern #, so every order it routes \
            is also copied to a tap queue. The order service neither knows nor cares; the \
            auditor is an independent consumer with its own copy of everything.",
        watch: "Each dot from checkout splits at orders: one copy goes to order-processing, \
            the other through wiretap into audit-tap. order-service and auditor end up with \
            the same processed count.",
        try_this: "Delete the binding from orders to wiretap and press Play: orders still \
            reach order-service exactly as before, and only the audit side goes quiet.",
        json: include_str!("patterns/wire-tap.json"),
    },
    Pattern {
        id: "dead-letter",
        title: "Dead-letter queue",
        purpose: "Keep the messages that could not be processed instead of losing them. \
            When the worker rejects a message without requeueing it, the queue republishes \
            it to its dead-letter exchange with an x-death record saying which queue it \
            left and why. The dead-letter queue is where someone can inspect, fix and \
            replay failures later.",
        watch: "About one dot in five turns red after order-worker and travels from \
            order-work through orders.dlx into orders.dlq, which only grows because \
            nothing consumes it. The Log reads \"dead-lettered from order-work to \
            orders.dlx (x-death reason rejected)\".",
        try_this: "Select order-work and set Message TTL (ms) to 1000, then give order-worker \
            the Outages (ms) 5000-15000: orders that wait more than a second while the \
            worker is away join the DLQ too, this time with reason expired.",
        json: include_str!("patterns/dead-letter.json"),
    },
    Pattern {
        id: "retry-with-delay",
        title: "Retry with delay",
        purpose: "Give a failed message another chance later rather than at once. A \
            rejected payment is dead-lettered into retry-5s, a queue with a five-second \
            message TTL and no consumer. When the TTL runs out, that queue dead-letters it \
            back to the work exchange with the key task.retried, and it is tried again. \
            If it fails a second time, the retry exchange sends that key to a parking lot \
            for a person to look at, so nothing loops forever.",
        watch: "Red dots leave tasks for the retry exchange and wait five seconds in \
            retry-5s before they travel back through work into tasks. Most succeed on the \
            second attempt; the few that fail twice collect in parking-lot. A retried \
            payment's Trace shows it rejected, expired in retry-5s, and then processed.",
        try_this: "Set the Reject probability of payment-worker to 0.7: most payments now \
            need their retry, retry-5s is rarely empty, and parking-lot fills quickly.",
        json: include_str!("patterns/retry-with-delay.json"),
    },
    Pattern {
        id: "request-reply",
        title: "Request-reply",
        purpose: "Ask another service a question over messaging and receive the answer \
            asynchronously. Each request carries the name of the client's own reply queue \
            in reply_to. The server publishes its answer to that queue through the default \
            exchange and copies the request's message id into the answer's correlation_id, \
            so the client can tell which answer belongs to which question.",
        watch: "Requests travel from client to price-server. Answers have no wire on the \
            canvas: they go through the default exchange, which reaches every queue by its \
            name, so their dots fly straight from price-server to client.replies and move \
            on to the client's reply inbox. In the Log, each request price-server processes is followed by a publish \
            with key \"client.replies\".",
        try_this: "Select price-server and set Outages (ms) to 10000-20000: requests pile up \
            in rpc.requests and no answer comes back for ten seconds, the wait a real \
            caller would have to time out on. When the server returns, the answers arrive \
            in a rush.",
        json: include_str!("patterns/request-reply.json"),
    },
    Pattern {
        id: "priority",
        title: "Priority queue",
        purpose: "Let urgent messages overtake routine ones that are already waiting. A \
            queue declared with x-max-priority keeps a line per priority and always \
            delivers from the highest one that has messages, so a backlog of low-priority \
            work does not hold up the important messages.",
        watch: "At 2 s and again at 32 s a batch of forty newsletters floods outbox, and the \
            mailer needs many seconds to work through it. Password resets, in their own \
            colour, arrive every two seconds and leave outbox almost at once, ahead of \
            newsletters that have been waiting far longer.",
        try_this: "Select outbox and clear Max priority: it becomes an ordinary first-in, \
            first-out queue, and each password reset now waits behind the whole newsletter \
            batch.",
        json: include_str!("patterns/priority.json"),
    },
    Pattern {
        id: "alternate-exchange",
        title: "Alternate exchange",
        purpose: "Catch the messages nobody asked for. When none of an exchange's bindings \
            match a message, the broker drops it without telling anyone. With an alternate \
            exchange, such messages are handed to that exchange instead, so they can be \
            kept, counted and examined.",
        watch: "Every third event has the key user.signup, which neither orders nor \
            payments is bound to. Those dots go from events to the unrouted exchange and \
            pile up in unrouted-events, which nothing consumes. order-service and \
            payment-service only ever see their own keys.",
        try_this: "Delete the alternate-exchange edge from events to unrouted and press Play: \
            the user.signup events now vanish at the events exchange, each leaving a red \
            ring, and the status bar counts them as dropped.",
        json: include_str!("patterns/alternate-exchange.json"),
    },
    Pattern {
        id: "load-levelling",
        title: "Load levelling",
        purpose: "Protect a service from traffic spikes. The queue absorbs a burst that \
            arrives far faster than the consumer can handle, and the consumer carries on at \
            its own steady pace until the backlog is gone. Nothing is refused and nothing is \
            lost; messages just wait a little longer.",
        watch: "At 5 s forty orders arrive within two seconds, and thirty more at 35 s. The \
            ready count of orders jumps to about thirty and then falls steadily: \
            order-service works through the backlog at its own pace, about three orders a \
            second, however fast they arrive. In the Charts tab the publish rate spikes \
            while the ack rate never rises above that pace.",
        try_this: "Select order-service and set Duration (ms) to 600: the service now has \
            little spare capacity, the first backlog is still there when the second burst \
            arrives, and the end-to-end latency in the Charts tab climbs.",
        json: include_str!("patterns/load-levelling.json"),
    },
    Pattern {
        id: "consumer-outage",
        title: "Consumer outage",
        purpose: "Keep accepting work while a consumer is down. The producer does not notice \
            the outage: messages wait in the queue, in order, and are delivered when the \
            consumer reconnects. Anything it held unacknowledged when it went away is put \
            back in the queue, so nothing is lost.",
        watch: "At 10 s invoice-service goes down and the ready count of invoices starts to \
            climb, to about forty-five by 25 s. When the service returns the backlog drains \
            in a few seconds, and in the end its processed count equals the 150 orders \
            published.",
        try_this: "Select invoices and set Message TTL (ms) to 5000: orders that wait longer \
            than five seconds during the outage now expire in the queue and are never \
            invoiced. Buffering only helps if messages are allowed to wait.",
        json: include_str!("patterns/consumer-outage.json"),
    },
    Pattern {
        id: "delivery-guarantees",
        title: "Delivery guarantees",
        purpose: "See what a consumer crash costs under each acknowledgement style. With \
            auto-ack (at most once) the broker forgets a message as soon as it sends it, so \
            whatever the worker holds when it crashes is gone. With manual ack (at least \
            once) unacknowledged messages return to the queue, so nothing is lost, but one \
            whose work was done just before the crash is done again. A consumer that also \
            remembers the message ids it has handled (idempotent) turns those duplicates \
            into no-ops: the effect happens exactly once.",
        watch: "All three workers crash now and then. In the first lane red rings appear at \
            the auto-ack worker: lost payments. In the other two, orange (redelivered) \
            dots follow each crash. The manual-ack worker's processed count creeps ahead \
            of the idempotent worker's, although both lanes receive the same payments, \
            and the Log shows the idempotent worker skipping payments it already handled.",
        try_this: "Set the Crash probability of all three workers to 0.3 and press Play: \
            the losses in the first lane and the duplicates in the second grow quickly, \
            while the idempotent lane still handles each payment once.",
        json: include_str!("patterns/delivery-guarantees.json"),
    },
    Pattern {
        id: "ordering",
        title: "Message ordering",
        purpose: "Show that a first-in, first-out queue does not make work finish in order. \
            With two competing consumers, a slow or requeued update is overtaken by the \
            next one, which the other consumer finishes first. A single consumer with \
            prefetch 1 keeps the order, because a requeued message goes back to the head \
            of the queue and is retried before anything behind it, at the cost of doing \
            one thing at a time.",
        watch: "Both queues receive the same updates. Orange dots are requeued updates: in \
            updates.parallel the other updater carries on meanwhile, so later updates \
            finish first; serial-updater must retry each failed update before it can take \
            the next, so its updates finish in the order they were published.",
        try_this: "Select serial-updater and set Prefetch to 5: it now holds several updates \
            at once, a requeued update goes back behind the ones it already holds, and \
            even a single consumer finishes out of order.",
        json: include_str!("patterns/ordering.json"),
    },
    Pattern {
        id: "facade-lab",
        title: "Facade lab: messages and logging services",
        purpose: "A small microservice lab. A facade service accepts posted messages and \
            publishes each one once. The two copies of the messages service compete on one \
            messages queue, so each message is stored by just one of them. The three copies \
            of the logging service each have their own queue behind a fanout exchange, so \
            every copy logs every message. Competing and independent consumers, side by \
            side.",
        watch: "Every dot from facade-service splits at the facade exchange: one copy goes \
            to messages, where messages-service-1 and messages-service-2 take turns, and \
            one to the logging exchange, where it is copied three times. The two \
            messages-service counts add up to the number of posts; each logging-service \
            count equals it.",
        try_this: "Select messages-service-2 and set Outages (ms) to 10000-30000: \
            messages-service-1 stores every post while its twin is away, so the twin's \
            store misses them, while the logging services notice nothing.",
        json: include_str!("patterns/facade-lab.json"),
    },
    Pattern {
        id: "kafka-partitions",
        title: "Kafka: keys and partitions",
        purpose: "A Kafka topic is split into partitions, and a record's key decides its \
            partition: Kafka hashes the key (murmur2) and takes it modulo the partition \
            count, so every order of one customer lands in the same partition and is read \
            in the order it was written. Across partitions there is no order at all. A \
            group of three shipping workers shares the three partitions, one each.",
        watch: "Each dot from checkout enters one lane of the orders topic and stays in it. \
            The lanes fill unevenly: five customers over three partitions cannot split \
            evenly, and the hash puts two of them in the same lane, so one shipping worker \
            gets about twice the work of another. Each worker reads only its own lane.",
        try_this: "Select checkout and clear Kafka key: records without a key are spread by \
            the sticky partitioner, a batch at a time to one partition, so the lanes even \
            out but one customer's orders now land in several partitions and can be \
            shipped out of order.",
        json: include_str!("patterns/kafka-partitions.json"),
    },
    Pattern {
        id: "kafka-consumer-groups",
        title: "Kafka: a consumer group past its partitions",
        purpose: "Members of one consumer group share a topic's partitions, and each \
            partition has exactly one reader in the group. Adding members beyond the \
            partition count does not add capacity: the extra members are not refused, they \
            sit idle as standbys. When a member dies, the group waits for its session to \
            time out, then rebalances and hands its partitions to another member.",
        watch: "Six billing workers, four partitions: billing-5 and billing-6 get nothing. \
            About seven seconds in, billing-1 crashes; its partition stops moving and its \
            lag grows for ten seconds (the session timeout). Then the topic shows \
            rebalancing and billing-5 takes the partition (the sticky assignor leaves the \
            others where they are). It starts at the last committed offset, not at 0, so \
            the order billing-1 crashed on is read again.",
        try_this: "Select a consume edge of the group and set Assignor to range (the whole group takes it): after \
            the crash every partition moves to a different worker, and the whole group \
            stops reading while it rebalances.",
        json: include_str!("patterns/kafka-consumer-groups.json"),
    },
    Pattern {
        id: "kafka-replay",
        title: "Kafka: read it again",
        purpose: "Reading a Kafka topic removes nothing: each consumer group keeps its own \
            position (its committed offset) in the log. A second group that starts late, \
            with offset reset set to earliest, reads the whole history from the first \
            offset, which a queue cannot offer once its messages are acknowledged.",
        watch: "For twenty seconds only billing reads orders, and the topic's lanes keep \
            growing although everything is read. When analytics comes online it has no \
            committed offset, so it starts at offset 0 and races through the forty orders \
            it missed until its marker catches up with billing's.",
        try_this: "Select the consume edge into analytics and set Offset reset to latest: \
            analytics now starts at the log end and never sees the orders written before \
            it joined.",
        json: include_str!("patterns/kafka-replay.json"),
    },
    Pattern {
        id: "kafka-compaction",
        title: "Kafka: a compacted topic",
        purpose: "A compacted topic keeps the latest record of each key instead of deleting \
            by age: a table of current values that a new reader can rebuild from the log. \
            Kafka compacts closed segments only; surviving records keep their original \
            offsets, so the log has gaps.",
        watch: "Prices for apple, pear and plum arrive three a second. Every three seconds \
            a segment closes, and compaction removes the older prices of each product \
            from it: the record count stays near a dozen while the log end keeps climbing, \
            and the lane shows how few records remain.",
        try_this: "Select prices and set Cleanup policy to delete: nothing is compacted any \
            more and the record count grows with every update.",
        json: include_str!("patterns/kafka-compaction.json"),
    },
    Pattern {
        id: "kafka-vs-rabbitmq",
        title: "Kafka and RabbitMQ side by side",
        purpose: "The same orders through a RabbitMQ queue and a Kafka topic. The queue is \
            a to-do list: workers compete for its messages and each one is forgotten once \
            acknowledged. The topic is a log: it keeps every order, each partition has one \
            reader per group, order holds per key, and another group can read it all \
            again.",
        watch: "On top, the orders queue stays near empty and its messages are gone once \
            worker-1 or worker-2 acks them. Below, the orders-log lanes only grow; audit \
            comes online after fifteen seconds and still reads every order from the \
            start, something the queue could no longer give it.",
        try_this: "Select worker-2 and fulfil-2 and give each Outages (ms) 10000-40000: on \
            top worker-1 simply takes every message; below, the group rebalances and \
            fulfil-1 takes over fulfil-2's partition, starting at its committed offset.",
        json: include_str!("patterns/kafka-vs-rabbitmq.json"),
    },
    super::aws::SQS_VISIBILITY_TIMEOUT,
    super::aws::SQS_DEAD_LETTER_REDRIVE,
    super::aws::SQS_FIFO_GROUPS,
    super::aws::SNS_FANOUT_FILTER,
    super::zeromq::ZEROMQ_PIPELINE,
    super::zeromq::ZEROMQ_DISTRIBUTOR,
    super::zeromq::ZEROMQ_PUBSUB,
    super::zeromq::BROKERLESS_VS_BROKERED,
    Pattern {
        id: "persistence",
        title: "Persistence: what survives a broker restart",
        purpose: "A RabbitMQ broker that restarts keeps only what was written to disk: a \
            durable queue comes back with its persistent messages (delivery mode 2), its \
            transient ones are gone, and a transient queue loses everything. Consumers \
            reconnect and get their unacknowledged messages again, marked redelivered.",
        watch: "The three queues fill alike until 20 s, when the broker restarts. orders \
            keeps every message and its worker gets the one it was working on again \
            (redelivered); events and cache are emptied at once (red marks, dropped as \
            broker_restart), and the timeline shows the moment.",
        try_this: "Select the events producer and set Delivery mode to 2: after the restart \
            events keeps its messages too; cache still loses its own, because the queue \
            itself is transient.",
        json: include_str!("patterns/persistence.json"),
    },
    super::services::SYNC_VS_ASYNC,
    super::services::CASCADING_FAILURE,
    super::services::SAGA_CHOREOGRAPHY,
    super::services::SAGA_ORCHESTRATION,
    super::services::CQRS,
    super::services::API_GATEWAY,
    super::services::ASYNC_JOB_POLLING,
    Pattern {
        id: "stress",
        title: "Stress: 10,000 messages in flight",
        purpose: "A benchmark for the animation rather than a lesson: fifty nodes and \
            thousands of messages on the wires at once (about the number in the title: \
            10,000 as the gallery opens it, ?pattern=stress&n=N scales it to about N), to \
            check that the canvas stays smooth.",
        watch: "Ten producers publish into fanout exchanges that feed fifteen queues, and \
            every hop takes 1.5 s, so the wires are dense with dots. Watch whether the \
            animation stays fluid.",
        try_this: "Set the speed to 10× and check that the animation stays smooth while the \
            status bar's dots count stays near the number in the title.",
        json: "",
    },
];
