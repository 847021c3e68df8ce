"""SQS and SNS call sequences replayed two ways and compared: through `qp simulate` (a
scenario whose `script` makes the calls at simulated times) and through boto3 against
moto, an AWS emulator (PyPI `moto`). Each sequence's reads (the bodies every receive
returned), refusals, and each queue's visible / in-flight / delayed counts at the end
must agree. Run by scripts/test.sh, which installs moto and boto3; `python3
tests/aws/moto_check.py path/to/qp` by hand.

What is compared, and how:

- A request AWS refuses outright (a FIFO send without a group id, a receive of 11) is
  refused by qp when the file is read, naming `script[i]`; moto refuses it at the
  call. Sequences of such requests compare the refused steps only.
- An SNS envelope (a subscription without raw delivery) is compared by `Type`,
  `Message`, `MessageAttributes`, the topic's name at the end of `TopicArn`, and
  whether `MessageId` is there (ids, ARNs' accounts and signatures differ by design).
- A FIFO receive that returns several message groups is compared group by group:
  AWS keeps order within a group only ("FIFO queue delivery logic").
- Message attributes on SQS messages are not compared: `qp` reports bodies only.

Where moto departs from AWS's documentation, the sequence leaves the case out and says
so here or beside it; the native tests check the documented rule:

- Deduplication after delete: AWS counts an id for the whole 5-minute interval
  ("Exactly-once processing": sends with the same id "are accepted successfully but
  aren't delivered"); moto 5.2 forgets the id when the message is deleted or moved.
- A FIFO receive of several groups: AWS "attempts to return as many messages with the
  same message group ID as possible" (a1, a2 before b1); moto takes visible messages in
  send order across groups (a1, b1, a2). Only receives that take every visible message
  of every group, or one message, are compared.
- A delete with an older receipt while the message is still in flight: AWS "succeeds,
  but the message will not be deleted" (API_DeleteMessage); moto deletes it with any
  receipt the message ever had. (The script cannot make this call anyway: a `delete`
  names the most recent receipt of a body.)
- A standard queue named `*.fifo`: AWS refuses it (CreateQueue: names are
  "alphanumeric characters, hyphens (-), and underscores (_)", the `.fifo` suffix is a
  FIFO queue's); moto creates it. The name rules below leave that case out.
- SNS `"exists": false` with no attributes at all: AWS does not match ("only matches if
  at least one attribute is present", "Key matching"); moto matches.
- SNS `equals-ignore-case` with an upper-case pattern (moto lower-cases only the
  value, so "RED" never matches "red") and `anything-but` on a String.Array (moto
  compares the characters of the array's text): left out. `wildcard`, `cidr` and
  `anything-but` with `suffix` or `wildcard` are not in moto at all; a string condition
  against a Number attribute, and `["a", {"exists": false}]` (moto gives up on a key at
  its first string condition when the key is missing), are left out as well.

Also left out: long-poll waits with nothing visible, retention (60 s at least) and
visibility timeouts running out (each needs real time in moto); the DLQ redrive back
(moto has no StartMessageMoveTask); receive counts and SQS message attributes (qp's
script results carry bodies only).

Two sequences found qp wrong where AWS's documentation sides with moto, and qp was
mended: "delete with an older receipt succeeds" (API_DeleteMessage) and "FIFO
content-based id is a hash of the body" (API_SendMessage, MessageDeduplicationId).

Sequences avoid wall-clock timeouts (moto's visibility timers run in real time): every
timeout is long, and visibility is given back with ChangeMessageVisibility 0 or a
receive's VisibilityTimeout 0. Delays are 60 s and are checked as not received yet.
"""

import json
import re
import subprocess
import sys
import tempfile

import boto3
from botocore.exceptions import ClientError, ParamValidationError
from moto import mock_aws

QP = sys.argv[1] if len(sys.argv) > 1 else "target/debug/qp"

FIFO_CB = {"fifo": True, "content_based_dedup": True}


def sends(queue, bodies, **args):
    return [("send", queue, {"body": b, **args}) for b in bodies]


def group_sends(queue, pairs):
    """(body, group) pairs, for a content-deduplicated FIFO queue."""
    return [("send", queue, {"body": b, "group_id": g}) for b, g in pairs]


def publishes(topic, items):
    """(message, attributes) pairs."""
    return [("sns_publish", topic, {"message": m, "attributes": a}) for m, a in items]


def receives(queues, max_=10):
    return [("receive", q, {"max": max_}) for q in queues]


# (name, queues, calls[, topics]). queues: name -> {"fifo", "content_based_dedup",
# "delay_ms", "dlq": (name, max_receive_count)}. topics: name -> {"fifo",
# "content_based_dedup" (default True, as qp's file default), "subs":
# [{"queue", "filter_policy", "scope": "body", "raw"}]}. calls: (op, target, args).
SEQUENCES = [
    ("visible, in flight, visible again", {"jobs": {}}, [
        ("send", "jobs", {"body": "a"}),
        ("send", "jobs", {"body": "b"}),
        ("receive", "jobs", {"max": 10}),
        ("receive", "jobs", {"max": 10}),
        ("change_visibility", "jobs", {"body": "a", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 10}),
        ("delete", "jobs", {"body": "a"}),
        ("delete", "jobs", {"body": "b"}),
        ("change_visibility", "jobs", {"body": "b", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 10}),
    ]),
    ("receive takes at most max", {"jobs": {}}, [
        *[("send", "jobs", {"body": f"m{i}"}) for i in range(5)],
        ("receive", "jobs", {"max": 2}),
        ("receive", "jobs", {"max": 2}),
        ("receive", "jobs", {"max": 2}),
        ("receive", "jobs", {"max": 2}),
    ]),
    ("receive max 1, 3, 10 over 12 messages", {"jobs": {}}, [
        *sends("jobs", [f"m{i}" for i in range(12)]),
        ("receive", "jobs", {"max": 1}),
        ("receive", "jobs", {"max": 3}),
        ("receive", "jobs", {"max": 10}),
        ("receive", "jobs", {"max": 10}),
    ]),
    # API_DeleteMessage: "you must provide the most recently received ReceiptHandle
    # for the message (otherwise, the request succeeds, but the message will not be
    # deleted)". The last delete uses the first receipt: it must succeed.
    ("delete with an older receipt succeeds", {"jobs": {}}, [
        ("send", "jobs", {"body": "a"}),
        ("receive", "jobs", {"max": 1}),
        ("change_visibility", "jobs", {"body": "a", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 1}),
        ("delete", "jobs", {"body": "a"}),
        ("receive", "jobs", {"max": 1}),
        ("delete", "jobs", {"body": "a"}),
    ]),
    ("delete and change_visibility of a message not held", {"jobs": {}}, [
        ("send", "jobs", {"body": "a"}),
        ("delete", "jobs", {"body": "a"}),
        ("change_visibility", "jobs", {"body": "a", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 1}),
        ("delete", "jobs", {"body": "a"}),
        ("delete", "jobs", {"body": "a"}),
        ("receive", "jobs", {"max": 1}),
    ]),
    ("change_visibility extends, 0 shows at once", {"jobs": {}}, [
        *sends("jobs", ["a", "b"]),
        ("receive", "jobs", {"max": 10}),
        ("change_visibility", "jobs", {"body": "a", "timeout_ms": 900000}),
        ("receive", "jobs", {"max": 10}),
        ("change_visibility", "jobs", {"body": "b", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 10}),
        ("change_visibility", "jobs", {"body": "a", "timeout_ms": 0}),
        ("change_visibility", "jobs", {"body": "b", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 1}),
        ("receive", "jobs", {"max": 1}),
        ("receive", "jobs", {"max": 1}),
    ]),
    ("a receive's own visibility timeout 0", {"jobs": {}}, [
        ("send", "jobs", {"body": "a"}),
        ("receive", "jobs", {"max": 1, "visibility_timeout_ms": 0}),
        ("receive", "jobs", {"max": 1, "visibility_timeout_ms": 0}),
        ("receive", "jobs", {"max": 1}),
        ("receive", "jobs", {"max": 1}),
    ]),
    ("a receive with a wait returns what is visible", {"jobs": {}}, [
        *sends("jobs", ["a", "b"]),
        ("receive", "jobs", {"max": 10, "wait_ms": 1000}),
    ]),
    ("per-message delay on a standard queue", {"jobs": {}}, [
        ("send", "jobs", {"body": "later", "delay_ms": 60000}),
        ("send", "jobs", {"body": "now"}),
        ("send", "jobs", {"body": "now too", "delay_ms": 0}),
        ("receive", "jobs", {"max": 10}),
    ]),
    ("queue delay, overridden by a per-message delay of 0",
     {"jobs": {"delay_ms": 60000}}, [
        ("send", "jobs", {"body": "delayed"}),
        ("send", "jobs", {"body": "at once", "delay_ms": 0}),
        ("receive", "jobs", {"max": 10}),
    ]),
    ("requests AWS refuses", {"o.fifo": {"fifo": True}, "c.fifo": FIFO_CB, "jobs": {}}, [
        ("send", "o.fifo", {"body": "no group", "dedup_id": "d"}),
        ("send", "c.fifo", {"body": "no group either"}),
        ("send", "o.fifo", {"body": "no dedup id", "group_id": "g"}),
        ("send", "c.fifo", {"body": "FIFO delay", "group_id": "g", "delay_ms": 60000}),
        ("send", "jobs", {"body": "too late", "delay_ms": 901000}),
        ("receive", "jobs", {"max": 11}),
        ("receive", "jobs", {"max": 0}),
    ]),
    # API_ChangeMessageVisibility: "The maximum is 12 hours"; "If you try to extend
    # the visibility timeout beyond the maximum, your request is rejected."
    ("change_visibility beyond 12 hours", {"jobs": {}}, [
        ("send", "jobs", {"body": "a"}),
        ("receive", "jobs", {"max": 1}),
        ("change_visibility", "jobs", {"body": "a", "timeout_ms": 43201000}),
    ]),
    ("publish to a FIFO topic without a group id", {"q.fifo": FIFO_CB}, [
        ("sns_publish", "t.fifo", {"message": "m", "dedup_id": "1"}),
    ], {"t.fifo": {"fifo": True, "subs": [{"queue": "q.fifo", "raw": True}]}}),
    # API_Publish, MessageDeduplicationId: "If you don't provide a
    # MessageDeduplicationId and the topic doesn't have ContentBasedDeduplication set,
    # the action fails with an error."
    ("publish without an id to a FIFO topic without content-based deduplication",
     {"q.fifo": FIFO_CB}, [
        ("sns_publish", "t.fifo", {"message": "no id", "group_id": "g"}),
    ], {"t.fifo": {"fifo": True, "content_based_dedup": False,
                   "subs": [{"queue": "q.fifo", "raw": True}]}}),
    ("FIFO topic without content-based deduplication deduplicates by id", {"q.fifo": FIFO_CB}, [
        ("sns_publish", "t.fifo", {"message": "a", "group_id": "g", "dedup_id": "1"}),
        ("sns_publish", "t.fifo", {"message": "b", "group_id": "g", "dedup_id": "1"}),
        ("sns_publish", "t.fifo", {"message": "a", "group_id": "h", "dedup_id": "2"}),
        ("receive", "q.fifo", {"max": 10}),
    ], {"t.fifo": {"fifo": True, "content_based_dedup": False,
                   "subs": [{"queue": "q.fifo", "raw": True}]}}),
    # With ContentBasedDeduplication the id is a hash of the message, "but not the
    # attributes", and never an explicit id.
    ("FIFO topic deduplicates by message content", {"q.fifo": FIFO_CB}, [
        ("sns_publish", "t.fifo", {"message": "k", "group_id": "g"}),
        ("sns_publish", "t.fifo", {"message": "k", "group_id": "h", "attributes": {"x": "1"}}),
        ("sns_publish", "t.fifo", {"message": "m", "group_id": "g", "dedup_id": "k"}),
        ("receive", "q.fifo", {"max": 10}),
    ], {"t.fifo": {"fifo": True, "subs": [{"queue": "q.fifo", "raw": True}]}}),
    ("redrive after maxReceiveCount", {"jobs": {"dlq": ("jobs-dlq", 2)}, "jobs-dlq": {}}, [
        ("send", "jobs", {"body": "poison"}),
        ("receive", "jobs", {"max": 1}),
        ("change_visibility", "jobs", {"body": "poison", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 1}),
        ("change_visibility", "jobs", {"body": "poison", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 1}),
        ("receive", "jobs-dlq", {"max": 1}),
    ]),
    ("redrive at maxReceiveCount 1", {"jobs": {"dlq": ("jobs-dlq", 1)}, "jobs-dlq": {}}, [
        *sends("jobs", ["poison", "fine"]),
        ("receive", "jobs", {"max": 1}),
        ("change_visibility", "jobs", {"body": "poison", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 10}),
        ("receive", "jobs-dlq", {"max": 10}),
        ("receive", "jobs", {"max": 10}),
    ]),
    ("redrive at maxReceiveCount 3, by receives with visibility 0",
     {"jobs": {"dlq": ("jobs-dlq", 3)}, "jobs-dlq": {}}, [
        *sends("jobs", ["poison", "fine"]),
        ("receive", "jobs", {"max": 10}),
        ("delete", "jobs", {"body": "fine"}),
        ("change_visibility", "jobs", {"body": "poison", "timeout_ms": 0}),
        ("receive", "jobs", {"max": 10, "visibility_timeout_ms": 0}),
        ("receive", "jobs", {"max": 10, "visibility_timeout_ms": 0}),
        ("receive", "jobs-dlq", {"max": 10}),
        ("receive", "jobs", {"max": 10}),
        ("receive", "jobs-dlq", {"max": 10}),
    ]),
    ("FIFO group blocked while in flight", {"o.fifo": FIFO_CB}, [
        ("send", "o.fifo", {"body": "a1", "group_id": "a"}),
        ("send", "o.fifo", {"body": "a2", "group_id": "a"}),
        ("receive", "o.fifo", {"max": 1}),
        ("receive", "o.fifo", {"max": 1}),
        ("send", "o.fifo", {"body": "b1", "group_id": "b"}),
        ("receive", "o.fifo", {"max": 1}),
        ("delete", "o.fifo", {"body": "a1"}),
        ("receive", "o.fifo", {"max": 1}),
    ]),
    ("FIFO order within a group after a message comes back", {"o.fifo": FIFO_CB}, [
        *group_sends("o.fifo", [("a1", "a"), ("a2", "a"), ("a3", "a")]),
        ("receive", "o.fifo", {"max": 1}),
        ("change_visibility", "o.fifo", {"body": "a1", "timeout_ms": 0}),
        ("receive", "o.fifo", {"max": 1}),
        ("delete", "o.fifo", {"body": "a1"}),
        ("receive", "o.fifo", {"max": 10}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    ("FIFO interleaved groups, all in one receive", {"o.fifo": FIFO_CB}, [
        *group_sends("o.fifo", [("a1", "a"), ("b1", "b"), ("a2", "a"), ("c1", "c"),
                                ("b2", "b"), ("a3", "a")]),
        ("receive", "o.fifo", {"max": 10}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    ("FIFO one group blocked while others proceed", {"o.fifo": FIFO_CB}, [
        *group_sends("o.fifo", [("a1", "a"), ("a2", "a"), ("b1", "b"), ("b2", "b")]),
        ("receive", "o.fifo", {"max": 1}),
        ("receive", "o.fifo", {"max": 1}),
        ("receive", "o.fifo", {"max": 1}),
        ("delete", "o.fifo", {"body": "b1"}),
        ("receive", "o.fifo", {"max": 1}),
        ("change_visibility", "o.fifo", {"body": "a1", "timeout_ms": 0}),
        ("receive", "o.fifo", {"max": 10}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    ("FIFO deduplication by content and by id", {"o.fifo": FIFO_CB}, [
        ("send", "o.fifo", {"body": "x", "group_id": "g"}),
        ("send", "o.fifo", {"body": "x", "group_id": "g"}),
        ("send", "o.fifo", {"body": "y", "group_id": "h", "dedup_id": "d1"}),
        ("send", "o.fifo", {"body": "z", "group_id": "h", "dedup_id": "d1"}),
        ("receive", "o.fifo", {"max": 10}),
        # Not compared: a resend after the first was deleted. AWS documents that the id
        # counts for the whole 5-minute interval ("any messages sent with the same
        # message deduplication ID are accepted successfully but aren't delivered");
        # moto 5.2 forgets it on delete. tests/native/sqs.rs checks AWS's rule.
    ]),
    # "Message deduplication applies to an entire queue, not to individual message
    # groups" (SQS developer guide, "Using the message deduplication ID").
    ("FIFO deduplication id spans groups", {"o.fifo": {"fifo": True}}, [
        ("send", "o.fifo", {"body": "x", "group_id": "g", "dedup_id": "d1"}),
        ("send", "o.fifo", {"body": "y", "group_id": "h", "dedup_id": "d1"}),
        ("send", "o.fifo", {"body": "z", "group_id": "h", "dedup_id": "d2"}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    # API_SendMessage: "If the queue has ContentBasedDeduplication set, your
    # MessageDeduplicationId overrides the generated one."
    ("FIFO explicit deduplication id overrides content", {"o.fifo": FIFO_CB}, [
        ("send", "o.fifo", {"body": "x", "group_id": "g", "dedup_id": "e1"}),
        ("send", "o.fifo", {"body": "x", "group_id": "g", "dedup_id": "e2"}),
        ("send", "o.fifo", {"body": "x", "group_id": "g"}),
        ("send", "o.fifo", {"body": "x", "group_id": "g"}),
        ("send", "o.fifo", {"body": "x", "group_id": "g", "dedup_id": "e1"}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    # API_SendMessage: with ContentBasedDeduplication "Amazon SQS uses a SHA-256 hash
    # to generate the MessageDeduplicationId using the body of the message". An
    # explicit id equal to another message's body is a different id.
    ("FIFO content-based id is a hash of the body", {"o.fifo": FIFO_CB}, [
        ("send", "o.fifo", {"body": "k", "group_id": "g"}),
        ("send", "o.fifo", {"body": "m", "group_id": "g", "dedup_id": "k"}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    ("FIFO queue delay", {"o.fifo": {**FIFO_CB, "delay_ms": 60000}}, [
        ("send", "o.fifo", {"body": "a1", "group_id": "a"}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    ("FIFO queue with a FIFO dead-letter queue",
     {"o.fifo": {**FIFO_CB, "dlq": ("o-dlq.fifo", 1)}, "o-dlq.fifo": FIFO_CB}, [
        *group_sends("o.fifo", [("a1", "a"), ("b1", "b")]),
        ("receive", "o.fifo", {"max": 1}),
        ("change_visibility", "o.fifo", {"body": "a1", "timeout_ms": 0}),
        ("receive", "o.fifo", {"max": 10}),
        ("receive", "o-dlq.fifo", {"max": 10}),
        ("receive", "o.fifo", {"max": 10}),
    ]),
    ("SNS fan-out: raw, wrapped, filtered", {"raw": {}, "wrapped": {}, "orders": {}}, [
        ("sns_publish", "events", {"message": "hello", "attributes": {"type": "order", "amount": 150}}),
        ("sns_publish", "events", {"message": "bye", "attributes": {"type": "quote"}}),
        ("sns_publish", "events", {"message": "bare"}),
        *receives(["raw", "wrapped", "orders"]),
    ], {"events": {"subs": [
        {"queue": "raw", "raw": True},
        {"queue": "wrapped"},
        {"queue": "orders", "raw": True, "filter_policy": {"type": ["order"]}},
    ]}}),
    ("SNS filter: numeric", {"range": {}, "exact": {}, "low": {}}, [
        *publishes("prices", [(f"p{p}", {"price": p}) for p in (50, 100, 150, 199.5, 200)]),
        ("sns_publish", "prices", {"message": "p-text", "attributes": {"price": "150"}}),
        *receives(["range", "exact", "low"]),
    ], {"prices": {"subs": [
        {"queue": "range", "raw": True,
         "filter_policy": {"price": [{"numeric": [">=", 100, "<", 200]}]}},
        {"queue": "exact", "raw": True, "filter_policy": {"price": [100, 200]}},
        {"queue": "low", "raw": True, "filter_policy": {"price": [{"numeric": ["<=", 100]}]}},
    ]}}),
    ("SNS filter: prefix, suffix, equals-ignore-case", {"pre": {}, "suf": {}, "eic": {}}, [
        *publishes("events", [(t, {"type": t}) for t in
                              ("order.created", "ORDER.Created", "order.deleted",
                               "refund.created", "orders")]),
        *receives(["pre", "suf", "eic"]),
    ], {"events": {"subs": [
        {"queue": "pre", "raw": True, "filter_policy": {"type": [{"prefix": "order."}]}},
        {"queue": "suf", "raw": True, "filter_policy": {"type": [{"suffix": ".created"}]}},
        {"queue": "eic", "raw": True,
         "filter_policy": {"type": [{"equals-ignore-case": "order.created"}]}},
    ]}}),
    ("SNS filter: anything-but", {"not-listed": {}, "not-100": {}, "not-test": {}}, [
        ("sns_publish", "events", {"message": "m1", "attributes": {"type": "order", "amount": 100}}),
        ("sns_publish", "events", {"message": "m2", "attributes": {"type": "refund", "amount": 5}}),
        ("sns_publish", "events", {"message": "m3", "attributes": {"type": "test-1", "amount": 7}}),
        ("sns_publish", "events", {"message": "m4", "attributes": {"type": "quote"}}),
        ("sns_publish", "events", {"message": "m5", "attributes": {"amount": 3}}),
        *receives(["not-listed", "not-100", "not-test"]),
    ], {"events": {"subs": [
        {"queue": "not-listed", "raw": True,
         "filter_policy": {"type": [{"anything-but": ["refund", "quote"]}]}},
        {"queue": "not-100", "raw": True, "filter_policy": {"amount": [{"anything-but": [100]}]}},
        {"queue": "not-test", "raw": True,
         "filter_policy": {"type": [{"anything-but": {"prefix": "test"}}]}},
    ]}}),
    ("SNS filter: AND, OR, exists, $or, String.Array",
     {"and-or": {}, "has-store": {}, "no-store": {}, "either": {}, "vip": {}}, [
        ("sns_publish", "events", {"message": "m1", "attributes": {"type": "order", "region": "eu"}}),
        ("sns_publish", "events", {"message": "m2", "attributes": {"type": "refund", "region": "us", "store": "s1"}}),
        ("sns_publish", "events", {"message": "m3", "attributes": {"type": "quote", "region": "eu"}}),
        ("sns_publish", "events", {"message": "m4", "attributes": {"tags": ["vip", "new"], "region": "eu"}}),
        ("sns_publish", "events", {"message": "m5", "attributes": {"tags": ["new"], "type": "refund", "region": "eu"}}),
        *receives(["and-or", "has-store", "no-store", "either", "vip"]),
    ], {"events": {"subs": [
        {"queue": "and-or", "raw": True,
         "filter_policy": {"type": ["order", "refund"], "region": ["eu"]}},
        {"queue": "has-store", "raw": True, "filter_policy": {"store": [{"exists": True}]}},
        {"queue": "no-store", "raw": True, "filter_policy": {"store": [{"exists": False}]}},
        {"queue": "either", "raw": True,
         "filter_policy": {"$or": [{"type": ["quote"]}, {"region": ["us"]}]}},
        {"queue": "vip", "raw": True, "filter_policy": {"tags": ["vip"]}},
    ]}}),
    ("SNS filter on the message body", {"big": {}, "eu": {}}, [
        *publishes("events", [
            (json.dumps({"kind": "order", "order": {"amount": 150, "region": "eu-west"}}), {}),
            (json.dumps({"kind": "order", "order": {"amount": 5, "region": "eu-north"}}), {}),
            (json.dumps({"kind": "refund", "order": {"amount": 500, "region": "us"}}), {}),
            ("not json", {}),
        ]),
        *receives(["big", "eu"]),
    ], {"events": {"subs": [
        {"queue": "big", "raw": True, "scope": "body",
         "filter_policy": {"kind": ["order"], "order": {"amount": [{"numeric": [">", 100]}]}}},
        {"queue": "eu", "raw": True, "scope": "body",
         "filter_policy": {"order": {"region": [{"prefix": "eu-"}]}}},
    ]}}),
    ("SNS FIFO topic to a FIFO queue", {"q.fifo": FIFO_CB}, [
        ("sns_publish", "t.fifo", {"message": "a1", "group_id": "a", "dedup_id": "1"}),
        ("sns_publish", "t.fifo", {"message": "b1", "group_id": "b", "dedup_id": "2"}),
        ("sns_publish", "t.fifo", {"message": "a2", "group_id": "a", "dedup_id": "3"}),
        ("sns_publish", "t.fifo", {"message": "a2 again", "group_id": "a", "dedup_id": "3"}),
        ("receive", "q.fifo", {"max": 1}),
        ("receive", "q.fifo", {"max": 1}),
        ("receive", "q.fifo", {"max": 1}),
        ("delete", "q.fifo", {"body": "a1"}),
        ("receive", "q.fifo", {"max": 10}),
    ], {"t.fifo": {"fifo": True, "subs": [{"queue": "q.fifo", "raw": True}]}}),
]


def unpack(seq):
    name, queues, calls, *rest = seq
    return name, queues, calls, (rest[0] if rest else {})


def normalize_body(body):
    """An SNS envelope, reduced to what both sides can agree on."""
    try:
        env = json.loads(body)
    except ValueError:
        return body
    if not isinstance(env, dict) or env.get("Type") != "Notification":
        return body
    return "SNS " + json.dumps({
        "Type": env["Type"],
        "Message": env.get("Message"),
        "MessageAttributes": env.get("MessageAttributes"),
        "topic": env.get("TopicArn", "").rsplit(":", 1)[-1],
        "has_MessageId": bool(env.get("MessageId")),
    }, sort_keys=True)


def normalize(reads, queues, calls):
    """Envelopes reduced; a FIFO receive's bodies ordered group by group (stable)."""
    group_of = {}
    for op, _, args in calls:
        if op in ("send", "sns_publish") and "group_id" in args:
            group_of.setdefault(args.get("body", args.get("message")), args["group_id"])
    out = {}
    for step, bodies in reads.items():
        bodies = [normalize_body(b) for b in bodies]
        if queues.get(calls[step][1], {}).get("fifo"):
            first = {}
            for b in bodies:
                first.setdefault(group_of.get(b), len(first))
            bodies = sorted(bodies, key=lambda b: first[group_of.get(b)])
        out[step] = bodies
    return out


def through_qp(queues, calls, topics):
    nodes, edges = [], []
    for name, q in queues.items():
        spec = {"visibility_timeout_ms": 600000}
        for key in ("fifo", "content_based_dedup", "delay_ms"):
            if q.get(key):
                spec[key] = q[key]
        nodes.append({"id": name, "kind": "sqs-queue", "name": name, "sqs_queue": spec})
    for name, t in topics.items():
        node = {"id": name, "kind": "sns-topic", "name": name}
        if t.get("fifo"):
            node["sns_topic"] = {"fifo": True,
                                 "content_based_dedup": t.get("content_based_dedup", True)}
        nodes.append(node)
        for i, sub in enumerate(t["subs"]):
            spec = {}
            if "filter_policy" in sub:
                spec["filter_policy"] = sub["filter_policy"]
            if sub.get("scope") == "body":
                spec["filter_policy_scope"] = "message_body"
            if sub.get("raw"):
                spec["raw_delivery"] = True
            edges.append({"id": f"s-{name}-{i}", "from": name, "to": sub["queue"],
                          "kind": "subscribe", "subscribe": spec})
    for name, q in queues.items():
        if "dlq" in q:
            dlq, count = q["dlq"]
            edges.append({"id": f"r-{name}", "from": name, "to": dlq, "kind": "redrive",
                          "redrive": {"max_receive_count": count}})
    script = []
    for i, (op, target, args) in enumerate(calls):
        key = "topic" if op == "sns_publish" else "queue"
        script.append({"op": op, "at_ms": 100 * i, key: target, **args})
    scenario = {"version": 2, "seed": 1, "latency_ms": 1, "nodes": nodes, "edges": edges,
                "script": script}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(scenario, f)
    out = subprocess.run([QP, "simulate", f.name, "--until", f"{100 * len(calls) + 100}ms",
                          "--messages"], capture_output=True, text=True)
    if out.returncode != 0:
        # Requests AWS refuses outright are refused when the file is read.
        steps = sorted({int(s) for s in re.findall(r"script\[(\d+)\]", out.stderr)})
        if not steps:
            raise RuntimeError(f"qp failed: {out.stderr.strip()}")
        return None, steps, None
    report = json.loads(out.stdout)
    results = report["script_results"]
    reads = {r["step"]: r["messages"] for r in results if "messages" in r}
    refused = sorted(r["step"] for r in results if r.get("refused"))
    counts = {name: [s["visible"], s["in_flight"], s["delayed"]]
              for name, s in report.get("sqs", {}).items()}
    return normalize(reads, queues, calls), refused, counts


def message_attributes(attrs):
    out = {}
    for k, v in attrs.items():
        if isinstance(v, list):
            out[k] = {"DataType": "String.Array",
                      "StringValue": json.dumps(v, separators=(",", ":"))}
        elif isinstance(v, (int, float)):
            out[k] = {"DataType": "Number", "StringValue": str(v)}
        else:
            out[k] = {"DataType": "String", "StringValue": v}
    return out


@mock_aws
def through_moto(queues, calls, topics):
    sqs = boto3.client("sqs", region_name="us-east-1")
    sns = boto3.client("sns", region_name="us-east-1")
    urls, arns, topic_arns = {}, {}, {}
    for name, q in queues.items():
        attrs = {"VisibilityTimeout": "600"}
        if q.get("fifo"):
            attrs["FifoQueue"] = "true"
            attrs["ContentBasedDeduplication"] = "true" if q.get("content_based_dedup") else "false"
        if q.get("delay_ms"):
            attrs["DelaySeconds"] = str(q["delay_ms"] // 1000)
        urls[name] = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        arns[name] = sqs.get_queue_attributes(
            QueueUrl=urls[name], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for name, q in queues.items():
        if "dlq" in q:
            dlq, count = q["dlq"]
            sqs.set_queue_attributes(QueueUrl=urls[name], Attributes={
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": arns[dlq],
                                             "maxReceiveCount": count})})
    for name, t in topics.items():
        attrs = {}
        if t.get("fifo"):
            attrs = {"FifoTopic": "true", "ContentBasedDeduplication":
                     "true" if t.get("content_based_dedup", True) else "false"}
        topic_arns[name] = sns.create_topic(Name=name, Attributes=attrs)["TopicArn"]
        for sub in t["subs"]:
            attrs = {}
            if sub.get("raw"):
                attrs["RawMessageDelivery"] = "true"
            if "filter_policy" in sub:
                attrs["FilterPolicy"] = json.dumps(sub["filter_policy"])
                if sub.get("scope") == "body":
                    attrs["FilterPolicyScope"] = "MessageBody"
            sns.subscribe(TopicArn=topic_arns[name], Protocol="sqs",
                          Endpoint=arns[sub["queue"]], Attributes=attrs)
    held = []  # (queue, body, receipt), most recent last
    reads, refused = {}, []
    for i, (op, target, args) in enumerate(calls):
        try:
            if op == "sns_publish":
                kw = {"TopicArn": topic_arns[target], "Message": args["message"]}
                if args.get("attributes"):
                    kw["MessageAttributes"] = message_attributes(args["attributes"])
                if "group_id" in args:
                    kw["MessageGroupId"] = args["group_id"]
                if "dedup_id" in args:
                    kw["MessageDeduplicationId"] = args["dedup_id"]
                sns.publish(**kw)
                continue
            url = urls[target]
            if op == "send":
                kw = {"QueueUrl": url, "MessageBody": args["body"]}
                if "group_id" in args:
                    kw["MessageGroupId"] = args["group_id"]
                if "dedup_id" in args:
                    kw["MessageDeduplicationId"] = args["dedup_id"]
                if "delay_ms" in args:
                    kw["DelaySeconds"] = args["delay_ms"] // 1000
                if args.get("attributes"):
                    kw["MessageAttributes"] = message_attributes(args["attributes"])
                sqs.send_message(**kw)
            elif op == "receive":
                kw = {"QueueUrl": url, "MaxNumberOfMessages": args["max"]}
                if "visibility_timeout_ms" in args:
                    kw["VisibilityTimeout"] = args["visibility_timeout_ms"] // 1000
                if "wait_ms" in args:
                    kw["WaitTimeSeconds"] = args["wait_ms"] // 1000
                got = sqs.receive_message(**kw).get("Messages", [])
                reads[i] = [m["Body"] for m in got]
                held += [(target, m["Body"], m["ReceiptHandle"]) for m in got]
            elif op in ("delete", "change_visibility"):
                match = [j for j, h in enumerate(held) if h[0] == target and h[1] == args["body"]]
                if not match:
                    refused.append(i)
                    continue
                j = match[-1]
                receipt = held[j][2]
                if op == "delete":
                    held.pop(j)
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt)
                else:
                    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt,
                                                  VisibilityTimeout=args["timeout_ms"] // 1000)
        except (ClientError, ParamValidationError):
            refused.append(i)
    counts = {}
    for name in queues:
        a = sqs.get_queue_attributes(QueueUrl=urls[name], AttributeNames=["All"])["Attributes"]
        counts[name] = [int(a["ApproximateNumberOfMessages"]),
                        int(a["ApproximateNumberOfMessagesNotVisible"]),
                        int(a["ApproximateNumberOfMessagesDelayed"])]
    return normalize(reads, queues, calls), refused, counts


# (kind, fifo, name): a FIFO queue's or topic's name ends with `.fifo`, a standard
# one's cannot (a standard queue named `*.fifo` is left out: see above).
NAME_RULES = [
    ("queue", False, "plain"), ("queue", True, "ordered.fifo"), ("queue", True, "ordered"),
    ("topic", False, "plain"), ("topic", False, "plain.fifo"), ("topic", True, "ordered.fifo"),
    ("topic", True, "ordered"),
    # Letters, digits, - and _ only; at most 80 characters for a queue, `.fifo` included.
    ("queue", False, "my queue"), ("queue", False, "q" * 80), ("queue", False, "q" * 81),
    ("queue", True, "q" * 75 + ".fifo"), ("queue", True, "q" * 76 + ".fifo"),
    ("topic", False, "a/b"), ("topic", False, "t" * 256), ("topic", False, "t" * 257),
]


def name_rules():
    """Whether qp loads a lone queue or topic with each name, and moto creates it."""
    failures = 0
    for kind, fifo, name in NAME_RULES:
        node = {"id": "n", "name": name}
        if kind == "queue":
            node.update({"kind": "sqs-queue", "sqs_queue": {"fifo": fifo}})
        else:
            node.update({"kind": "sns-topic", "sns_topic": {"fifo": fifo}})
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"version": 2, "nodes": [node], "edges": []}, f)
        ours = subprocess.run([QP, "simulate", f.name, "--until", "0ms"],
                              capture_output=True, text=True).returncode == 0
        with mock_aws():
            try:
                if kind == "queue":
                    boto3.client("sqs", region_name="us-east-1").create_queue(
                        QueueName=name, Attributes={"FifoQueue": "true"} if fifo else {})
                else:
                    boto3.client("sns", region_name="us-east-1").create_topic(
                        Name=name, Attributes={"FifoTopic": "true"} if fifo else {})
                theirs = True
            except ClientError:
                theirs = False
        shown = name if len(name) <= 20 else f"{name[:3]}… ({len(name)} characters)"
        label = f"name: {'FIFO' if fifo else 'standard'} {kind} {shown!r}"
        if ours == theirs:
            print(f"ok   {label} ({'accepted' if ours else 'refused'})")
        else:
            failures += 1
            print(f"FAIL {label}: qp {'accepts' if ours else 'refuses'}, moto {'accepts' if theirs else 'refuses'}")
    print(f"{len(NAME_RULES) - failures} of {len(NAME_RULES)} name rules agree with moto")
    return failures


def main():
    failures = name_failures = name_rules()
    for seq in SEQUENCES:
        name, queues, calls, topics = unpack(seq)
        ours = through_qp(queues, calls, topics)
        theirs = through_moto(queues, calls, topics)
        if ours[0] is None:
            # qp refused the file: compare the refused requests only.
            theirs = (None, theirs[1], None)
        if ours == theirs:
            print(f"ok   {name}")
        else:
            failures += 1
            print(f"FAIL {name}")
            for label, (a, b) in zip(("reads", "refused", "counts [visible, in flight, delayed]"),
                                     zip(ours, theirs)):
                if a != b:
                    print(f"  {label}\n    qp:   {a}\n    moto: {b}")
    print(f"{len(SEQUENCES) - (failures - name_failures)} of {len(SEQUENCES)} sequences agree with moto")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
