//! Form fields of the inspector. Each keeps its own draft text, commits on change
//! (Enter or leaving the field), and shows the validation message returned by the
//! commit next to the field. A refused entry is also kept under its owner (the node or
//! edge, from [`FieldOwner`]) and label, so it is still there, with its reason, after
//! another tab or another selection, until it is taken or the value changes.

use std::cell::RefCell;
use std::collections::HashMap;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Whose fields these are: the id of the node or edge being edited.
#[derive(Clone, PartialEq)]
pub struct FieldOwner(pub AttrValue);

/// An entry refused at a field: what was typed, why it was refused, and the field's
/// value then (the entry is stale once the value changes).
struct Refused {
    text: String,
    error: String,
    value: AttrValue,
}

thread_local! {
    /// Refused entries by owner and label.
    static REFUSED: RefCell<HashMap<String, Refused>> = RefCell::new(HashMap::new());
}

/// The refused entry kept for `key` while the field still has `value`.
fn kept(key: Option<&String>, value: &AttrValue) -> Option<(String, String)> {
    let key = key?;
    REFUSED.with(|r| {
        r.borrow()
            .get(key)
            .filter(|e| e.value == *value)
            .map(|e| (e.text.clone(), e.error.clone()))
    })
}

/// Keeps (or, with no error, forgets) the entry for `key`.
fn keep(key: Option<&String>, text: &str, error: Option<&String>, value: &AttrValue) {
    let Some(key) = key else { return };
    REFUSED.with(|r| {
        let mut r = r.borrow_mut();
        match error {
            Some(e) => {
                r.insert(
                    key.clone(),
                    Refused {
                        text: text.to_string(),
                        error: e.clone(),
                        value: value.clone(),
                    },
                );
            }
            None => {
                r.remove(key);
            }
        }
    });
}

/// Props of a text field.
#[derive(Properties, PartialEq, Clone)]
pub struct TextFieldProps {
    /// Label text.
    pub label: AttrValue,
    /// Current value.
    pub value: AttrValue,
    /// Applies a new value; returns a message when it is refused.
    pub on_commit: Callback<String, Option<String>>,
    /// Hint shown under the field.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Multi-line (JSON values).
    #[prop_or_default]
    pub multiline: bool,
}

/// Lower-case ASCII letters and digits of `text`, everything else as `-`.
pub(crate) fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn field_id(label: &str) -> String {
    format!("field-{}", slug(label))
}

/// A text (or number) field.
#[function_component(TextField)]
pub fn text_field(p: &TextFieldProps) -> Html {
    let owner = use_context::<FieldOwner>();
    let key = owner.map(|o| format!("{}\u{1f}{}", o.0, p.label));
    let draft =
        use_state(|| kept(key.as_ref(), &p.value).map_or_else(|| p.value.to_string(), |k| k.0));
    let error = use_state(|| kept(key.as_ref(), &p.value).map(|k| k.1));
    let seen = use_mut_ref(|| p.value.clone());
    {
        // A new value (taken, undone, or changed elsewhere) replaces the draft.
        let (draft, error, key) = (draft.clone(), error.clone(), key.clone());
        use_effect_with(p.value.clone(), move |v| {
            if *seen.borrow() != *v {
                *seen.borrow_mut() = v.clone();
                draft.set(v.to_string());
                error.set(None);
                keep(key.as_ref(), "", None, v);
            }
        });
    }
    let commit = {
        let (error, on_commit, value) = (error.clone(), p.on_commit.clone(), p.value.clone());
        let key = key.clone();
        move |text: String| {
            let refused = on_commit.emit(text.clone());
            keep(key.as_ref(), &text, refused.as_ref(), &value);
            error.set(refused);
        }
    };
    let id = field_id(&p.label);
    let err_id = format!("{id}-error");
    let invalid = error.is_some();
    let input = if p.multiline {
        let onchange = {
            let (draft, commit) = (draft.clone(), commit.clone());
            Callback::from(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                draft.set(v.clone());
                commit(v);
            })
        };
        html! { <textarea id={id.clone()} rows="3" value={(*draft).clone()} {onchange} aria-invalid={invalid.to_string()} aria-describedby={err_id.clone()} /> }
    } else {
        let onchange = {
            let (draft, commit) = (draft.clone(), commit.clone());
            Callback::from(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlInputElement>().value();
                draft.set(v.clone());
                commit(v);
            })
        };
        html! { <input id={id.clone()} type="text" value={(*draft).clone()} {onchange} aria-invalid={invalid.to_string()} aria-describedby={err_id.clone()} /> }
    };
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            <label for={id}>{ p.label.clone() }</label>
            { input }
            if let Some(msg) = &*error {
                <p class="field-error" id={err_id} role="alert">{ msg.clone() }</p>
            } else if let Some(h) = &p.hint {
                <p class="field-hint" id={err_id}>{ h.clone() }</p>
            }
        </div>
    }
}

/// Props of a select field.
#[derive(Properties, PartialEq, Clone)]
pub struct SelectFieldProps {
    /// Label text.
    pub label: AttrValue,
    /// Current value.
    pub value: AttrValue,
    /// (value, text) choices.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// Applies a new value; returns a message when it is refused.
    pub on_commit: Callback<String, Option<String>>,
}

/// A drop-down.
#[function_component(SelectField)]
pub fn select_field(p: &SelectFieldProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let (error, on_commit) = (error.clone(), p.on_commit.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            error.set(on_commit.emit(v));
        })
    };
    let id = field_id(&p.label);
    html! {
        <div class="field">
            <label for={id.clone()}>{ p.label.clone() }</label>
            <select id={id} {onchange}>
                { for p.options.iter().map(|(v, t)| html! { <option value={v.clone()} selected={*v == p.value}>{ t.clone() }</option> }) }
            </select>
            if let Some(msg) = &*error { <p class="field-error" role="alert">{ msg.clone() }</p> }
        </div>
    }
}

/// Props of a checkbox.
#[derive(Properties, PartialEq, Clone)]
pub struct CheckFieldProps {
    /// Label text.
    pub label: AttrValue,
    /// Checked.
    pub value: bool,
    /// Applies the new state; returns a message when refused.
    pub on_commit: Callback<bool, Option<String>>,
}

/// A checkbox.
#[function_component(CheckField)]
pub fn check_field(p: &CheckFieldProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let (error, on_commit) = (error.clone(), p.on_commit.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().checked();
            error.set(on_commit.emit(v));
        })
    };
    let id = field_id(&p.label);
    html! {
        <div class="field check">
            <input id={id.clone()} type="checkbox" checked={p.value} {onchange} />
            <label for={id}>{ p.label.clone() }</label>
            if let Some(msg) = &*error { <p class="field-error" role="alert">{ msg.clone() }</p> }
        </div>
    }
}
