//! The gallery's AWS patterns (SQS visibility timeouts, dead-letter redrive, FIFO
//! groups, SNS fan-out with filter policies), listed in [`super::catalog::PATTERNS`].

use super::catalog::Pattern;

/// `sqs-visibility-timeout`.
pub const SQS_VISIBILITY_TIMEOUT: Pattern = Pattern {
    id: "sqs-visibility-timeout",
    title: "SQS: a visibility timeout shorter than the work",
    purpose: "SQS does not know whether a worker is still busy: a received message is \
        only hidden for the visibility timeout. If the work takes longer, the message \
        becomes visible again and another worker receives it, so it is processed twice. \
        The fix is a timeout longer than the slowest work (or a worker that extends it \
        with ChangeMessageVisibility while it works).",
    watch: "In jobs, an in-flight cell's bar runs out before the worker is done; the \
        message turns visible and leaves again as an orange (redelivered) dot, its cell \
        outlined in orange with its receive count. worker-a and worker-b process more messages than were sent. \
        In jobs-fixed, with 10 s, every message is received once.",
    try_this: "Select jobs and set Visibility timeout (ms) to 5000: the slowest work \
        (4.5 s) now fits, no message is received twice, and processed equals sent.",
    json: include_str!("patterns/sqs-visibility-timeout.json"),
};

/// `sqs-dead-letter-redrive`.
pub const SQS_DEAD_LETTER_REDRIVE: Pattern = Pattern {
    id: "sqs-dead-letter-redrive",
    title: "SQS: dead-letter queue and redrive",
    purpose: "A message a worker keeps failing would otherwise come back for ever. A \
        redrive policy counts receives: the receive that would exceed maxReceiveCount \
        moves the message to a dead-letter queue, where it waits for a person. Once the \
        cause is fixed, a redrive moves the dead-letter queue's messages back to the \
        queue they came from.",
    watch: "A failed payment is not deleted: it reappears after its 2 s visibility \
        timeout. On its third receive it travels the redrive edge to payments-dlq \
        instead (receive count 2 in its cell). At 40 s the script redrives \
        payments-dlq and the messages travel back to payments for another try.",
    try_this: "Select the redrive edge and set Max receive count to 5: far fewer \
        payments reach the dead-letter queue, at the price of more retries.",
    json: include_str!("patterns/sqs-dead-letter-redrive.json"),
};

/// `sqs-fifo-groups`.
pub const SQS_FIFO_GROUPS: Pattern = Pattern {
    id: "sqs-fifo-groups",
    title: "SQS FIFO: message groups",
    purpose: "A FIFO queue keeps order within a message group (a customer, an order) \
        and lets different groups go in parallel: while a message of a group is in \
        flight, the queue returns no later message of that group. Two workers can \
        therefore share the queue without ever processing one customer's orders out \
        of order.",
    watch: "Each customer's orders leave orders.fifo one at a time. When worker-2 takes \
        long over one of alice's orders, alice's next orders wait (visible, but not \
        returned) while bob's and carol's keep flowing to worker-1.",
    try_this: "Select orders.fifo and untick FIFO queue (and clear the producer's group \
        and deduplication ids): both workers now take any message, and a customer's \
        orders can finish out of order.",
    json: include_str!("patterns/sqs-fifo-groups.json"),
};

/// `sns-fanout-filter`.
pub const SNS_FANOUT_FILTER: Pattern = Pattern {
    id: "sns-fanout-filter",
    title: "SNS fan-out with filter policies",
    purpose: "Publish once, deliver to every subscriber: SNS in front of SQS queues is \
        AWS's publish-subscribe. Each subscription may carry a filter policy on the \
        message attributes, so a queue receives only the events it cares about and \
        the publisher needs to know none of them.",
    watch: "Every event reaches audit. Only refunds reach refunds, and only orders of \
        100 or more reach big-orders; the topic's figures count the copies its \
        filters kept out. big-orders is subscribed without raw delivery, so its worker \
        receives SNS's JSON envelope around the message.",
    try_this: "Select the subscribe edge into big-orders and change the filter policy to \
        {\"type\": [{\"anything-but\": \"quote\"}]}: refunds and orders of any size \
        now reach it, quotes still do not.",
    json: include_str!("patterns/sns-fanout-filter.json"),
};
