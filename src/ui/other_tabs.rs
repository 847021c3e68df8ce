//! Two tabs on the same diagram: when another tab saves it, this tab takes that version
//! (as an undoable step) instead of overwriting it with its own at its next autosave,
//! so an edit made in one tab is never silently lost to an older copy in the other.

use super::state::EditorState;
use crate::editor::persist::{decode, AUTOSAVE_KEY};
use crate::editor::Action;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Listens for the autosave written by another tab (the browser's `storage` event fires
/// only in the other tabs). Not in the embedded player, which never reads the autosave.
#[hook]
pub fn use_other_tabs(
    latest: Rc<RefCell<UseReducerHandle<EditorState>>>,
    notice: UseStateHandle<Option<String>>,
    embed: bool,
) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().filter(|_| !embed).map(|window| {
            gloo_events::EventListener::new(&window, "storage", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                if e.key().as_deref() != Some(AUTOSAVE_KEY) {
                    return;
                }
                let Some(text) = e.new_value() else { return };
                let Ok((scenario, _)) = decode(&text) else {
                    return;
                };
                let state = latest.borrow().clone();
                if state.0.scenario.at_lowest_version() == scenario.at_lowest_version() {
                    return;
                }
                state.dispatch(Action::Load(Box::new(scenario)));
                notice.set(Some(
                    "The diagram was changed in another tab: this tab shows that version now (Undo goes back).".into(),
                ));
            })
        });
        move || drop(listener)
    });
}
