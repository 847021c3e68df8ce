//! The UI's reducer: Yew's `use_reducer` around the pure [`Editor`] model.

use crate::editor::{Action, Editor};
use std::rc::Rc;
use yew::Reducible;

/// Editor state held by the app's reducer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EditorState(pub Editor);

impl Reducible for EditorState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}
