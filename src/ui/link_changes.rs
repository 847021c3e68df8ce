//! A share link pasted into the address bar of a tab that already shows the app: only
//! the fragment (`#s=...`) changes, so the page does not load again; the browser's
//! `hashchange` event brings the link's diagram in, as opening the link would (the
//! diagram before it is kept for "Restore", Undo goes back), or says why it cannot.

use super::state::EditorState;
use crate::editor::{share, Action};
use crate::gallery::Pattern;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// What a link's diagram changes in the app.
pub struct LinkTargets {
    /// The editor (its latest handle).
    pub latest: Rc<RefCell<UseReducerHandle<EditorState>>>,
    /// The notice bar.
    pub notice: UseStateHandle<Option<String>>,
    /// The gallery pattern shown in About (a shared pattern keeps its explanation).
    pub pattern: UseStateHandle<Option<&'static Pattern>>,
    /// Asks for a fit after the render that shows the new diagram.
    pub fit_request: UseStateHandle<u32>,
}

/// Listens for the fragment changing to a share link (not in the embedded player).
#[hook]
pub fn use_link_changes(targets: LinkTargets, embed: bool) {
    use_effect_with((), move |_| {
        // The handle's value is the one of the first render: a count of its own keeps
        // each request new (above the app's own, which count from 0).
        let mut opened = 1u32 << 30;
        let listener = web_sys::window().filter(|_| !embed).map(|window| {
            gloo_events::EventListener::new(&window, "hashchange", move |_| {
                let fragment = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                if !fragment.starts_with(share::PREFIX) {
                    return;
                }
                let state = targets.latest.borrow().clone();
                match share::decode(&fragment) {
                    Ok(scenario) => {
                        if state.0.scenario.at_lowest_version() == scenario.at_lowest_version() {
                            return;
                        }
                        super::storage::keep_previous();
                        targets.pattern.set(
                            crate::gallery::catalog()
                                .iter()
                                .find(|p| p.describes(&scenario.name)),
                        );
                        state.dispatch(Action::Load(Box::new(scenario)));
                        opened += 1;
                        targets.fit_request.set(opened);
                        targets.notice.set(Some(
                            "Opened the diagram of the share link in the address bar (Undo goes back).".into(),
                        ));
                    }
                    Err(why) => targets.notice.set(Some(format!(
                        "This share link cannot be opened: {why}. Your diagram is unchanged."
                    ))),
                }
            })
        });
        move || drop(listener)
    });
}
