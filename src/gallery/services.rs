//! The gallery's service patterns (synchronous calls beside messaging, and the
//! event-driven patterns the notes describe), listed in [`super::catalog::PATTERNS`].

use super::catalog::Pattern;

/// `sync-vs-async`.
pub const SYNC_VS_ASYNC: Pattern = Pattern {
    id: "sync-vs-async",
    title: "Sync vs async: the same cart, calling or queueing",
    purpose: "Why messaging exists. A cart that calls the inventory service directly can \
        only succeed while inventory is up, and must wait for it every time. The same cart \
        that hands the order to a queue answers at once, and the queue holds the work until \
        inventory can do it.",
    watch: "From 10 s to 25 s inventory is down. Above, each call from cart to inventory \
        comes back red (an error), is retried twice, and the shoppers' orders fail: the \
        call edge counts the errors and retries. Below, cart keeps answering at once, the \
        orders queue fills, and when inventory is back it catches up: no order is lost.",
    try_this: "Select the call from cart to inventory and set retries to 0: each failure \
        reaches the shoppers sooner; set it to 5 and watch the retries multiply the calls \
        inventory refuses.",
    json: include_str!("patterns/sync-vs-async.json"),
};

/// `cascading-failure`.
pub const CASCADING_FAILURE: Pattern = Pattern {
    id: "cascading-failure",
    title: "Cascading failure: one slow service blocks the chain",
    purpose: "A synchronous caller's worker is blocked while it waits, so a slow service at \
        the end of a chain ties up every worker upstream of it. A timeout bounds the wait, \
        and a circuit breaker stops calling a service that keeps failing, so the callers \
        stay free.",
    watch: "Above, payments' backlog grows, then orders' and web's workers are all busy \
        waiting, web's backlog fills and users are turned away at the door; many users \
        give up after 5 s while the work for them goes on (late replies, wasted). Below, \
        orders gives up after 2 s and its breaker opens (its edge says so): users get a \
        quick error instead, web keeps free workers, and the breaker lets probes through \
        to see whether payments has recovered.",
    try_this: "Select the lower payments service and set its workers to 6: it keeps up, \
        the breaker stays closed and every user of the lower lane is served.",
    json: include_str!("patterns/cascading-failure.json"),
};

/// `saga-choreography`.
pub const SAGA_CHOREOGRAPHY: Pattern = Pattern {
    id: "saga-choreography",
    title: "Saga by choreography: services react to events",
    purpose: "A business transaction across services without a coordinator: each service \
        listens for the event before its step and publishes the event after it. A failed \
        step is undone by a compensating event that the earlier services react to.",
    watch: "Each order travels order.created → payment.done → stock.reserved through the \
        events exchange, one service at a time. Every fourth stock request fails: its queue \
        dead-letters it as stock.failed, payment refunds it and publishes order.cancelled, \
        and the order service hears of it. No service knows the whole flow.",
    try_this: "Select the stock service and set its pattern to fail every other request: \
        the compensating path along the bottom gets busier.",
    json: include_str!("patterns/saga-choreography.json"),
};

/// `saga-orchestration`.
pub const SAGA_ORCHESTRATION: Pattern = Pattern {
    id: "saga-orchestration",
    title: "Saga by orchestration: one service commands each step",
    purpose: "The same transaction with a coordinator: the orchestrator calls each step in \
        turn and, when one fails, calls the compensations of the steps that succeeded, \
        latest first. The flow is in one place, at the price of one service that knows \
        all the others.",
    watch: "Calls go out from the orchestrator to payment, then stock, then shipping. When \
        stock fails, a refund call follows; when shipping fails, a release then a refund. \
        Each orchestrator worker is blocked for the whole saga, so the order's latency is \
        the sum of its steps.",
    try_this: "Select the ship call and set its timeout to 200 ms: shipping's answers come \
        too late, every saga is compensated, and the late replies are wasted work.",
    json: include_str!("patterns/saga-orchestration.json"),
};

/// `cqrs`.
pub const CQRS: Pattern = Pattern {
    id: "cqrs",
    title: "CQRS: commands write, events project, queries read",
    purpose: "Command Query Responsibility Segregation: writes and reads go to separate \
        models. The write side records each change as an event; a projector turns the \
        events into a read model shaped for queries. Reads are fast and scale on their \
        own, but they see the change only once it is projected.",
    watch: "At 15 s a rush of commands arrives. The write side takes them at once and the \
        order-events topic grows; the projector falls behind (the group's lag on the \
        topic). Meanwhile the queries are answered in a moment, from a read model that \
        is that many events out of date, until the projector catches up.",
    try_this: "Select the projector and set its processing to 100 ms: the lag never builds \
        up, and the read model is stale only for a moment.",
    json: include_str!("patterns/cqrs.json"),
};

/// `api-gateway`.
pub const API_GATEWAY: Pattern = Pattern {
    id: "api-gateway",
    title: "API gateway: one entry, three services behind it",
    purpose: "An API gateway sits between a client and the services behind it: the client \
        makes one call, the gateway calls each service and aggregates the answers. The \
        client knows one address; the gateway adds a hop, and its answer is only as fast \
        and as reliable as the slowest service it waits for.",
    watch: "Each home page is one call from the app, then three from the gateway, in turn: \
        users, orders, recommendations. The app's latency is the sum of the three. \
        Recommendations is sometimes slow or fails: the gateway retries once, and its \
        breaker counts the failures.",
    try_this: "Select recommendations and set its failure odds to 0.5: the breaker opens \
        (its edge says open), and the home pages fail at once instead of waiting.",
    json: include_str!("patterns/api-gateway.json"),
};

/// `async-job-polling`.
pub const ASYNC_JOB_POLLING: Pattern = Pattern {
    id: "async-job-polling",
    title: "Long jobs: make the user wait, or accept and poll",
    purpose: "Designing the user interface when a queue is involved: either do the work in \
        line, so the user waits for it, or accept the job at once, do it off line, and let \
        the page poll a status endpoint until it is done.",
    watch: "Above, each report request waits 3 to 5 s for the renderer, and web's workers \
        are busy all that time: its backlog fills whenever a few come together. Below, web \
        answers in a moment and the render jobs wait in the queue for the render worker; \
        the status polls are many, but each is cheap.",
    try_this: "Select the renderer and set its workers to 1: above, users are turned away \
        or give up; below, the jobs queue grows but every request is still accepted at \
        once.",
    json: include_str!("patterns/async-job-polling.json"),
};
