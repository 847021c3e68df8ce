//! Form fields of the inspector. Each keeps its own draft text, commits on change
//! (Enter or leaving the field), and shows the validation message returned by the
//! commit next to the field.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

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
    let draft = use_state(|| p.value.to_string());
    let error = use_state(|| None::<String>);
    {
        let (draft, error) = (draft.clone(), error.clone());
        use_effect_with(p.value.clone(), move |v| {
            draft.set(v.to_string());
            error.set(None);
        });
    }
    let commit = {
        let (error, on_commit) = (error.clone(), p.on_commit.clone());
        move |text: String| error.set(on_commit.emit(text))
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
