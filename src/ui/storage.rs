//! Autosave in localStorage: write on every change, restore at start. An unreadable
//! save is moved to a backup key (never deleted) and reported.

use crate::core::scenario::Scenario;
use crate::editor::geometry::Viewport;
use crate::editor::persist::{decode, encode, AUTOSAVE_KEY, BACKUP_KEY, PREVIOUS_KEY};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What was found at start-up.
pub enum Restored {
    /// Nothing saved yet.
    Nothing,
    /// The saved diagram.
    Diagram(Scenario, Viewport),
    /// A damaged save, kept under the backup key: what was wrong, and the saved text
    /// (offered back to the user to repair or download).
    Damaged(String, String),
}

/// Reads the autosave.
pub fn restore() -> Restored {
    let Some(store) = storage() else {
        return Restored::Nothing;
    };
    let Ok(Some(text)) = store.get_item(AUTOSAVE_KEY) else {
        // Nothing saved since a diagram could not be opened: it is offered again (until
        // a new diagram is saved), so a second reload does not hide it.
        if let Ok(Some(kept)) = store.get_item(BACKUP_KEY) {
            return Restored::Damaged(
                format!(
                    "A saved diagram that could not be opened is still kept in this browser under \"{BACKUP_KEY}\": repair it, or download it."
                ),
                kept,
            );
        }
        return Restored::Nothing;
    };
    match decode(&text) {
        Ok((s, v)) => Restored::Diagram(s, v),
        Err(why) => {
            let _ = store.set_item(BACKUP_KEY, &text);
            let _ = store.remove_item(AUTOSAVE_KEY);
            Restored::Damaged(
                format!(
                    "Your saved diagram could not be opened ({why}). It is kept in this browser under \"{BACKUP_KEY}\": repair it, or download it."
                ),
                text,
            )
        }
    }
}

/// Writes the autosave; returns false when the browser refused (quota, private mode).
pub fn save(scenario: &Scenario, viewport: &Viewport) -> bool {
    storage().is_some_and(|s| {
        s.set_item(AUTOSAVE_KEY, &encode(scenario, viewport))
            .is_ok()
    })
}

/// Copies the current autosave to [`PREVIOUS_KEY`] before a link replaces the diagram.
pub fn keep_previous() {
    if let Some(store) = storage() {
        if let Ok(Some(text)) = store.get_item(AUTOSAVE_KEY) {
            let _ = store.set_item(PREVIOUS_KEY, &text);
        }
    }
}
