//! Compiling a scenario's edges into the tables: each edge kind fills the rows of
//! the nodes it joins (bindings, subscriptions, memberships, pipes, calls …), then the
//! compensating calls and the order of each Kafka group's members.

use super::*;

/// Fills `t`'s rows from `scenario`'s edges (`by_id`: what each node became).
pub(super) fn compile_edges(
    t: &mut Topology,
    scenario: &Scenario,
    by_id: &HashMap<&str, NodeRef>,
) -> Result<(), LoadError> {
    for (i, edge) in scenario.edges.iter().enumerate() {
        let eid = EdgeId(i as u32);
        // Validation guarantees both ends exist and the kinds fit.
        let (Some(&from), Some(&to)) = (by_id.get(edge.from.as_str()), by_id.get(edge.to.as_str()))
        else {
            continue;
        };
        match (edge.kind, from, to) {
            (EdgeKind::Publish, NodeRef::Producer(p), NodeRef::Exchange(x)) => {
                t.producers[p].target = Some((x, eid));
            }
            (EdgeKind::Produce, NodeRef::Producer(p), NodeRef::Topic(k)) => {
                t.producers[p].topic = Some((k, eid));
            }
            (EdgeKind::Produce, NodeRef::Consumer(c), NodeRef::Topic(k)) => {
                t.consumers[c].produces.push((k, eid));
            }
            (EdgeKind::Consume, NodeRef::Topic(k), NodeRef::Consumer(c)) => {
                let spec = edge.consume.clone().unwrap_or_default();
                let g = match t.groups.iter().position(|g| *g.name == *spec.group) {
                    Some(g) => g,
                    None => {
                        t.groups.push(GroupInfo {
                            name: Rc::from(spec.group.as_str()),
                            topic: k,
                            assignor: spec.assignor,
                            members: Vec::new(),
                        });
                        t.topics[k].groups.push(t.groups.len() - 1);
                        t.groups.len() - 1
                    }
                };
                t.groups[g].members.push(c);
                t.consumers[c].membership = Some(MembershipInfo {
                    group: g,
                    edge: eid,
                    spec,
                });
            }
            (EdgeKind::Send, NodeRef::Producer(p), to) => {
                let target = match to {
                    NodeRef::SqsQueue(q) => AwsTarget::Queue(q),
                    NodeRef::SnsTopic(s) => AwsTarget::Topic(s),
                    _ => continue,
                };
                t.producers[p].aws = Some((target, eid));
            }
            (EdgeKind::Send, NodeRef::Consumer(c), to) => {
                let target = match to {
                    NodeRef::SqsQueue(q) => AwsTarget::Queue(q),
                    NodeRef::SnsTopic(s) => AwsTarget::Topic(s),
                    _ => continue,
                };
                t.consumers[c].sends.push((target, eid));
            }
            (EdgeKind::Receive, NodeRef::SqsQueue(q), NodeRef::Consumer(c)) => {
                t.consumers[c].receive = Some(ReceiveInfo {
                    queue: q,
                    edge: eid,
                    spec: edge.receive.clone().unwrap_or_default(),
                });
                t.sqs[q].readers.push(c);
            }
            (EdgeKind::Redrive, NodeRef::SqsQueue(q), NodeRef::SqsQueue(d)) => {
                let max = edge.redrive.clone().unwrap_or_default().max_receive_count;
                t.sqs[q].dead_letter = Some((d, eid, max));
            }
            (EdgeKind::Subscribe, NodeRef::SnsTopic(s), to) => {
                let target = match to {
                    NodeRef::SqsQueue(q) => SubscriptionTarget::Queue(q),
                    NodeRef::Consumer(c) => {
                        t.consumers[c].sns = Some((s, eid));
                        SubscriptionTarget::Worker(c)
                    }
                    _ => continue,
                };
                t.sns[s].subscriptions.push(SubscriptionInfo {
                    edge: eid,
                    target,
                    spec: edge.subscribe.clone().unwrap_or_default(),
                });
            }
            (EdgeKind::Push | EdgeKind::Pub, from, to) => {
                let end = |r: NodeRef| match r {
                    NodeRef::Producer(p) => Some(PipeEnd::Producer(p)),
                    NodeRef::Consumer(c) => Some(PipeEnd::Worker(c)),
                    NodeRef::Device(d) => Some(PipeEnd::Device(d)),
                    _ => None,
                };
                let (Some(a), Some(b)) = (end(from), end(to)) else {
                    continue;
                };
                let publish = edge.kind == EdgeKind::Pub;
                let (hwm, prefix) = if publish {
                    let s = edge.pub_pipe.clone().unwrap_or_default();
                    (s.hwm, s.prefix)
                } else {
                    (edge.push.clone().unwrap_or_default().hwm, String::new())
                };
                let i = t.pipes.len();
                t.pipes.push(PipeInfo {
                    edge: eid,
                    from: a,
                    to: b,
                    publish,
                    hwm,
                    prefix: Rc::from(prefix),
                });
                t.edge_pipe[eid.index()] = Some(i);
                match a {
                    PipeEnd::Producer(p) => t.producers[p].pipes.push(i),
                    PipeEnd::Worker(c) => t.consumers[c].pipes_out.push(i),
                    PipeEnd::Device(d) => t.devices[d].outputs.push(i),
                }
                match b {
                    PipeEnd::Producer(_) => {}
                    PipeEnd::Worker(c) => t.consumers[c].pipes_in.push(i),
                    PipeEnd::Device(d) => t.devices[d].inputs.push(i),
                }
            }
            (EdgeKind::Call, from, NodeRef::Consumer(callee)) => {
                let i = t.calls.len();
                t.calls.push(CallInfo {
                    edge: eid,
                    from: NodeId(
                        scenario
                            .nodes
                            .iter()
                            .position(|n| n.id == edge.from)
                            .unwrap_or(0) as u32,
                    ),
                    callee,
                    spec: edge.call.clone().unwrap_or_default(),
                });
                t.edge_call[eid.index()] = Some(i);
                match from {
                    NodeRef::Producer(p) => t.producers[p].call = Some(i),
                    NodeRef::Consumer(c) if t.calls[i].spec.compensates.is_none() => {
                        t.consumers[c].calls.push(i)
                    }
                    _ => {}
                }
            }
            (EdgeKind::Binding, NodeRef::Exchange(x), dest) => {
                let destination = match dest {
                    NodeRef::Queue(q) => Destination::Queue(q),
                    NodeRef::Exchange(y) => Destination::Exchange(y),
                    _ => continue,
                };
                let key = edge.routing_key.clone().unwrap_or_default();
                t.exchanges[x].bindings.push(Binding {
                    destination,
                    pattern: compile_pattern(&key),
                    key,
                    arguments: edge.arguments.clone(),
                    edge: eid,
                });
            }
            (EdgeKind::Subscription, NodeRef::Queue(q), NodeRef::Consumer(c)) => {
                t.consumers[c].queue = Some((q, eid));
                t.queues[q].consumers.push(c);
            }
            (EdgeKind::DeadLetter, NodeRef::Queue(q), NodeRef::Exchange(x)) => {
                let key = edge.routing_key.as_deref().map(Rc::from);
                t.queues[q].dead_letter = Some((x, key, eid));
            }
            (EdgeKind::AlternateExchange, NodeRef::Exchange(x), NodeRef::Exchange(y)) => {
                t.exchanges[x].alternate = Some((y, eid));
            }
            (EdgeKind::Forward, NodeRef::Consumer(c), NodeRef::Exchange(x)) => {
                let key = Template::new(edge.routing_key.clone().unwrap_or_else(|| "{key}".into()));
                t.consumers[c].forwards.push(ForwardInfo {
                    exchange: x,
                    routing_key: compile(&key, &format!("edges[{i}].routing_key"))?,
                    edge: eid,
                });
            }
            _ => {}
        }
    }
    // Compensating calls, now that every forward call is known.
    for (i, call) in t.calls.iter().enumerate() {
        let Some(undoes) = &call.spec.compensates else {
            continue;
        };
        let Some(NodeRef::Consumer(c)) = by_id
            .get(scenario.edges[call.edge.index()].from.as_str())
            .copied()
        else {
            continue;
        };
        if let Some(step) = t.consumers[c]
            .calls
            .iter()
            .position(|&j| t.edge_ids[t.calls[j].edge.index()] == *undoes)
        {
            t.consumers[c].compensations.push((i, step));
        }
    }
    // Kafka sorts members by member id; here the id is the consumer's name (names
    // are unique within a group), the node order breaking no ties.
    let names: Vec<Rc<str>> = t.consumers.iter().map(|c| c.name.clone()).collect();
    for g in &mut t.groups {
        crate::core::sort::sort_by(&mut g.members, |a, b| {
            names[*a].cmp(&names[*b]).then(a.cmp(b))
        });
    }
    Ok(())
}
