//! The UI reducer in wasm: every kind of editor action goes through `EditorState`.

use queue_playground::core::scenario::{EdgeKind, NodeKind};
use queue_playground::editor::Action;
use queue_playground::ui::EditorState;
use std::rc::Rc;
use wasm_bindgen_test::wasm_bindgen_test;
use yew::Reducible;

fn reduce(s: Rc<EditorState>, a: Action) -> Rc<EditorState> {
    s.reduce(a)
}

fn add(s: Rc<EditorState>, kind: NodeKind, x: f64) -> (Rc<EditorState>, String) {
    let s = reduce(s, Action::AddNode { kind, x, y: 100.0 });
    let id = s.0.selected_nodes.iter().next().cloned().unwrap();
    (s, id)
}

#[wasm_bindgen_test]
fn add_move_connect_delete_undo_redo() {
    let s = Rc::new(EditorState::default());
    let (s, p) = add(s, NodeKind::Producer, 100.0);
    let (s, x) = add(s, NodeKind::Exchange, 400.0);
    let (s, q) = add(s, NodeKind::Queue, 700.0);
    assert_eq!(s.0.scenario.nodes.len(), 3);

    let before_move = s.0.scenario.node(&p).unwrap().x;
    let s = reduce(
        s,
        Action::MoveNodes {
            ids: vec![p.clone()],
            dx: 60.0,
            dy: 0.0,
        },
    );
    assert_eq!(s.0.scenario.node(&p).unwrap().x, before_move + 60.0);

    let s = reduce(
        s,
        Action::Connect {
            from: p.clone(),
            to: x.clone(),
        },
    );
    let s = reduce(
        s,
        Action::Connect {
            from: x.clone(),
            to: q.clone(),
        },
    );
    assert_eq!(
        s.0.scenario
            .edges
            .iter()
            .map(|e| e.kind)
            .collect::<Vec<_>>(),
        vec![EdgeKind::Publish, EdgeKind::Binding]
    );

    let s = reduce(
        s,
        Action::Connect {
            from: p.clone(),
            to: q.clone(),
        },
    );
    assert!(
        s.0.notice
            .as_deref()
            .unwrap_or("")
            .contains("Cannot connect"),
        "invalid connection refused with a reason"
    );
    assert_eq!(s.0.scenario.edges.len(), 2);

    let full = s.0.scenario.clone();
    let s = reduce(
        s,
        Action::SelectNode {
            id: x.clone(),
            additive: false,
        },
    );
    let s = reduce(s, Action::DeleteSelected);
    assert!(s.0.scenario.node(&x).is_none());
    assert!(
        s.0.scenario.edges.is_empty(),
        "the exchange's edges went with it"
    );

    let s = reduce(s, Action::Undo);
    assert_eq!(s.0.scenario, full);
    let s = reduce(s, Action::Redo);
    assert!(s.0.scenario.node(&x).is_none());
}
