//! Start-up: what the page address asks for (`?pattern=ID`, `?embed=1`, `#s=...`) and the
//! autosaved diagram, combined into the first editor state and a notice. A link never
//! destroys the user's diagram: it is loaded as an undoable step and the previous
//! autosave is kept under its own key; a broken link leaves everything as it was.

use super::state::EditorState;
use super::storage::{self, Restored};
use crate::editor::{share, Action, Editor};
use crate::gallery::Pattern;

/// The first state of the app.
pub struct Boot {
    /// Editor state.
    pub state: EditorState,
    /// A notice to show.
    pub notice: Option<String>,
    /// Fit the diagram to the view once mounted.
    pub fit: bool,
    /// The pattern on the canvas, when one was opened.
    pub pattern: Option<&'static Pattern>,
    /// Read-only player mode.
    pub embed: bool,
    /// The text of a saved diagram that could not be opened, offered back.
    pub damaged: Option<String>,
}

fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| {
            String::from(
                js_sys::decode_uri_component(v)
                    .ok()
                    .unwrap_or_else(|| v.into()),
            )
        })
}

fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Takes a link (`?pattern=ID`, `&n=N`, `#s=...`) out of the address bar once the diagram
/// no longer is what it opened: reloading then brings back the edited diagram (from the
/// autosave) rather than the link's. Other parameters (`embed`) stay.
pub fn forget_link() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let fragment = location.hash().unwrap_or_default();
    let params: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty())
        .collect();
    let kept: Vec<&str> = params
        .iter()
        .copied()
        .filter(|kv| !matches!(kv.split('=').next(), Some("pattern" | "n")))
        .collect();
    let linked = fragment.starts_with(share::PREFIX);
    if kept.len() == params.len() && !linked {
        return;
    }
    let query = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    let hash = if linked { "" } else { fragment.as_str() };
    let url = format!("{}{query}{hash}", location.pathname().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Whether two diagrams are the same, whatever version number each declares.
fn same_diagram(a: &crate::core::scenario::Scenario, b: &crate::core::scenario::Scenario) -> bool {
    a.at_lowest_version() == b.at_lowest_version()
}

/// Works out the first state.
pub fn boot() -> Boot {
    let embed = query_param("embed").is_some_and(|v| v != "0");
    let mut damaged = None;
    let (mut state, mut notice) = if embed {
        // The player never reads or writes the visitor's own diagram.
        (EditorState::default(), None)
    } else {
        match storage::restore() {
            Restored::Nothing => (EditorState::default(), None),
            Restored::Diagram(scenario, viewport) => {
                let mut editor = Editor::new(scenario);
                editor.viewport = viewport;
                (EditorState(editor), None)
            }
            Restored::Damaged(message, text) => {
                damaged = Some(text);
                (EditorState::default(), Some(message))
            }
        }
    };
    let mut fit = false;
    let mut pattern = None;
    if let Some(id) = query_param("pattern") {
        match crate::gallery::find(&id) {
            Some(p) => {
                // `?pattern=stress&n=N` scales the stress diagram to about N in flight
                // (100 to 200,000); a value it cannot use is said, not ignored.
                let n = query_param("n").filter(|_| p.id == "stress");
                let scenario = match n.as_deref().map(|n| n.trim().parse::<u64>()) {
                    Some(Ok(n)) => {
                        if !(100..=200_000).contains(&n) {
                            notice = Some(format!(
                                "n={n} is outside 100 to 200,000: the stress diagram is scaled to {} messages in flight.",
                                n.clamp(100, 200_000)
                            ));
                        }
                        crate::gallery::stress::scaled(n)
                    }
                    Some(Err(_)) => {
                        notice = Some(format!(
                            "n={} is not a whole number of messages (100 to 200,000): the stress diagram is at its usual size.",
                            n.unwrap_or_default()
                        ));
                        p.scenario()
                    }
                    None => p.scenario(),
                };
                // A reload of the link finds its own diagram saved: the copy of the
                // diagram from before the link is kept, not overwritten with it.
                if !embed && !same_diagram(&state.0.scenario, &scenario) {
                    storage::keep_previous();
                }
                state.0.apply(Action::Load(Box::new(scenario)));
                pattern = Some(p);
                fit = true;
            }
            None => {
                // An embedded player has no diagram of the visitor's to keep.
                let after = if embed {
                    "The player has nothing to show"
                } else {
                    "Your diagram is unchanged"
                };
                notice = Some(format!(
                    "There is no pattern called \"{id}\". Known patterns: {}. {after}.",
                    crate::gallery::PATTERN_IDS.join(", ")
                ))
            }
        }
    }
    let fragment = hash();
    if fragment.starts_with(share::PREFIX) {
        match share::decode(&fragment) {
            Ok(scenario) => {
                if !embed && !same_diagram(&state.0.scenario, &scenario) {
                    storage::keep_previous();
                }
                // A shared pattern (edited or not) keeps its explanation.
                pattern = crate::gallery::catalog()
                    .iter()
                    .find(|p| p.describes(&scenario.name));
                state.0.apply(Action::Load(Box::new(scenario)));
                fit = true;
            }
            Err(why) => {
                notice = Some(if pattern.is_some() {
                    format!("This share link cannot be opened: {why}. The pattern of the link's ?pattern= is shown instead.")
                } else {
                    format!(
                        "This share link cannot be opened: {why}. Your saved diagram is unchanged."
                    )
                })
            }
        }
    }
    Boot {
        state,
        notice,
        fit,
        pattern,
        embed,
        damaged,
    }
}
