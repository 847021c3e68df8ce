//! The diagram's frames in the inspector (shown when no single node or edge is
//! selected): each frame's name, to rename it, its nodes, and Remove. A frame is drawn
//! with the toolbar's Frame button around the selected nodes.

use super::fields::TextField;
use crate::editor::Action;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Props of [`FramesForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct FramesFormProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
}

/// The list of frames.
#[function_component(FramesForm)]
pub fn frames_form(p: &FramesFormProps) -> Html {
    let scenario = &p.state.0.scenario;
    if scenario.frames.is_empty() {
        return html! {
            <p class="muted">{"Frames: select some nodes and press the toolbar's Frame button to draw a named frame with its own scoreboard."}</p>
        };
    }
    let name_of = |id: &str| {
        scenario
            .node(id)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    };
    html! {
        <section class="frames-form" aria-label="Frames">
            <h3>{"Frames"}</h3>
            { for scenario.frames.iter().enumerate().map(|(i, f)| {
                let state = p.state.clone();
                let rename = Callback::from(move |v: String| {
                    let v = v.trim().to_string();
                    if v.is_empty() {
                        return Some("a frame needs a name".to_string());
                    }
                    if state.0.scenario.frames.iter().enumerate().any(|(k, f)| k != i && f.name == v) {
                        return Some(format!("another frame is named `{v}`"));
                    }
                    state.dispatch(Action::RenameFrame(i, v));
                    None
                });
                let remove = {
                    let state = p.state.clone();
                    Callback::from(move |_: MouseEvent| state.dispatch(Action::RemoveFrame(i)))
                };
                let members: Vec<String> = f.nodes.iter().map(|id| name_of(id)).collect();
                html! {
                    <div class="frame-item" key={f.name.clone()}>
                        <TextField label={format!("Name of frame {}", i + 1)} value={f.name.clone()} on_commit={rename} />
                        <p class="muted">{ format!("frames {}", members.join(", ")) }</p>
                        <button type="button" class="action" aria-label={format!("Remove frame {}", f.name)} onclick={remove}>{"Remove frame"}</button>
                    </div>
                }
            }) }
        </section>
    }
}
