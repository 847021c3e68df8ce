//! The canvas: an SVG of nodes and edges with pan, zoom, box selection, node dragging
//! and connection drawing, and a `<canvas>` layer above it for moving messages.

mod drag_frame;
pub(crate) mod edge;
mod frames;
mod gesture;
pub(crate) mod kinds;
mod layer;
mod node;

pub use node::NodeCounters;

use crate::core::scenario::Scenario;
use crate::editor::geometry::{node_rect, node_size, Point, Viewport};
use crate::editor::Action;
use crate::ui::state::EditorState;
use gesture::{Gesture, CLICK_SLOP};
use layer::DiagramLayer;
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, PointerEvent};
use yew::prelude::*;

/// Props of [`Canvas`].
#[derive(Properties, PartialEq, Clone)]
pub struct CanvasProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// Live counters by node id.
    pub counters: Rc<HashMap<String, NodeCounters>>,
    /// ZeroMQ pipes by edge id: (messages in it, high-water mark).
    #[prop_or_default]
    pub pipes: Rc<HashMap<String, (u64, u64)>>,
    /// Frames' scoreboards, in frame order.
    #[prop_or_default]
    pub frames: Rc<Vec<crate::core::simulation::frames::FrameReport>>,
    /// Call edges by id: their breaker and load now.
    #[prop_or_default]
    pub calls: Rc<HashMap<String, crate::ui::canvas::edge::CallLive>>,
    /// The overlay `<canvas>` the animation draws on.
    pub overlay: NodeRef,
    /// A click on empty canvas or on an edge (world point, and the edge with shift):
    /// the app traces the message dot there, or selects the edge / clears the selection.
    pub on_click: Callback<(Point, Option<(String, bool)>)>,
    /// Read-only (embed/player): no editing gestures.
    #[prop_or_default]
    pub read_only: bool,
}

/// Screen point of a pointer event relative to the SVG.
fn local_point(svg: &Element, e: &MouseEvent) -> Point {
    let r = svg.get_bounding_client_rect();
    Point::new(
        e.client_x() as f64 - r.left(),
        e.client_y() as f64 - r.top(),
    )
}

/// The node under a world point (topmost first).
fn node_at(scenario: &Scenario, p: Point) -> Option<String> {
    scenario
        .nodes
        .iter()
        .rev()
        .find(|n| node_rect(n).contains(p))
        .map(|n| n.id.clone())
}

fn target_attr(e: &Event, selector: &str, attr: &str) -> Option<String> {
    let el = e.target()?.dyn_into::<Element>().ok()?;
    el.closest(selector).ok()??.get_attribute(attr)
}

/// The diagram canvas.
#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let svg_ref = use_node_ref();
    let drag_ref = use_node_ref();
    let gesture = use_state(Gesture::default);
    // Where the pointer is while nodes are dragged (world). Moves update it and the drag
    // layer in place (`drag_frame`) without re-rendering; renders read it.
    let drag_at = use_mut_ref(|| Point::new(0.0, 0.0));
    // The drag layer's elements, read after the render that starts a drag (see below).
    let drag_plan = use_mut_ref(|| None::<drag_frame::DragPlan>);
    // A connection started from the keyboard (C on a focused node).
    let keys = use_mut_ref(crate::editor::keyboard::NodeKeys::default);
    let state = props.state.clone();
    let editor = &state.0;
    let vp = editor.viewport;

    // Wheel zoom needs a non-passive listener to stop the page from scrolling.
    {
        let svg_ref = svg_ref.clone();
        let state = state.clone();
        let read_only = props.read_only;
        use_effect_with((), move |_| {
            let listener = svg_ref.cast::<Element>().map(|svg| {
                let target = svg.clone();
                gloo_events::EventListener::new_with_options(
                    &target,
                    "wheel",
                    gloo_events::EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::WheelEvent>() else {
                            return;
                        };
                        // Embedded in another page, the wheel scrolls that page; Ctrl
                        // (or a pinch, which browsers report with Ctrl) zooms.
                        if read_only && !(e.ctrl_key() || e.meta_key()) {
                            return;
                        }
                        e.prevent_default();
                        let at = local_point(&svg, e);
                        let factor = (-e.delta_y() * 0.0015).exp();
                        state.dispatch(Action::SetViewport(state.0.viewport.zoom_at(factor, at)));
                    },
                )
            });
            move || drop(listener)
        });
    }

    let onpointerdown = {
        let svg_ref = svg_ref.clone();
        let drag_at = drag_at.clone();
        let gesture = gesture.clone();
        let state = state.clone();
        let read_only = props.read_only;
        Callback::from(move |e: PointerEvent| {
            let Some(svg) = svg_ref.cast::<Element>() else {
                return;
            };
            if e.button() != 0 && e.button() != 1 {
                return;
            }
            let screen = local_point(&svg, &e);
            let world = state.0.viewport.to_world(screen);
            let _ = svg.set_pointer_capture(e.pointer_id());
            let shift = e.shift_key();
            if read_only || crate::ui::listeners::SPACE_HELD.with(|s| s.get()) {
                crate::ui::listeners::SPACE_PANNED.with(|s| s.set(true));
                gesture.set(Gesture::Pan {
                    start: screen,
                    origin: state.0.viewport,
                    moved: false,
                });
                return;
            }
            // The handle sits inside its node's group, which alone carries the node's id
            // (so `[data-node-id=…]` matches one element per node).
            let on_handle = target_attr(&e, "[data-handle]", "data-handle").is_some();
            if let Some(from) = on_handle
                .then(|| target_attr(&e, "g[data-node-id]", "data-node-id"))
                .flatten()
            {
                gesture.set(Gesture::Link {
                    from,
                    current: world,
                });
            } else if let Some(id) = target_attr(&e, "[data-node-id]", "data-node-id") {
                if shift {
                    state.dispatch(Action::SelectNode {
                        id: id.clone(),
                        additive: true,
                    });
                    gesture.set(Gesture::Idle);
                    return;
                }
                // A node not yet selected is dragged alone and selected at the release
                // (drawn selected in the drag layer meanwhile).
                let (ids, select) = if state.0.selected_nodes.contains(&id) {
                    (state.0.selected_nodes.iter().cloned().collect(), None)
                } else {
                    (vec![id.clone()], Some(id))
                };
                *drag_at.borrow_mut() = world;
                gesture.set(Gesture::Move {
                    ids,
                    start: world,
                    select,
                });
            } else if let Some(id) = target_attr(&e, "[data-edge-id]", "data-edge-id")
                .or_else(|| target_attr(&e, "[data-label-for]", "data-label-for"))
            {
                gesture.set(Gesture::EdgePress {
                    id,
                    additive: shift,
                    at: world,
                });
            } else if shift {
                gesture.set(Gesture::Box {
                    start: world,
                    current: world,
                });
            } else {
                gesture.set(Gesture::Pan {
                    start: screen,
                    origin: state.0.viewport,
                    moved: false,
                });
            }
        })
    };

    let onpointermove = {
        let svg_ref = svg_ref.clone();
        let drag_at = drag_at.clone();
        let drag_plan = drag_plan.clone();
        let gesture = gesture.clone();
        let state = state.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(svg) = svg_ref.cast::<Element>() else {
                return;
            };
            let screen = local_point(&svg, &e);
            let world = state.0.viewport.to_world(screen);
            match &*gesture {
                Gesture::Idle | Gesture::EdgePress { .. } => {}
                Gesture::Pan {
                    start,
                    origin,
                    moved,
                } => {
                    let (dx, dy) = (screen.x - start.x, screen.y - start.y);
                    let moved = *moved || dx.abs() + dy.abs() > CLICK_SLOP;
                    if moved {
                        state.dispatch(Action::SetViewport(Viewport {
                            x: origin.x + dx,
                            y: origin.y + dy,
                            zoom: origin.zoom,
                        }));
                    }
                    gesture.set(Gesture::Pan {
                        start: *start,
                        origin: *origin,
                        moved,
                    });
                }
                Gesture::Box { start, .. } => gesture.set(Gesture::Box {
                    start: *start,
                    current: world,
                }),
                Gesture::Move { start, .. } => {
                    *drag_at.borrow_mut() = world;
                    if let Some(plan) = drag_plan.borrow().as_ref() {
                        plan.place((world.x - start.x, world.y - start.y));
                    }
                }
                Gesture::Link { from, .. } => gesture.set(Gesture::Link {
                    from: from.clone(),
                    current: world,
                }),
            }
        })
    };

    let onpointerup = {
        let drag_at = drag_at.clone();
        let gesture = gesture.clone();
        let state = state.clone();
        let on_click = props.on_click.clone();
        Callback::from(move |_e: PointerEvent| {
            match &*gesture {
                Gesture::Idle => {}
                Gesture::Pan { moved, start, .. } => {
                    if !moved {
                        on_click.emit((state.0.viewport.to_world(*start), None));
                    }
                }
                Gesture::EdgePress { id, additive, at } => {
                    on_click.emit((*at, Some((id.clone(), *additive))))
                }
                Gesture::Box { .. } => {
                    if let Some(rect) = gesture.box_rect() {
                        state.dispatch(Action::SelectInRect {
                            rect,
                            additive: true,
                        });
                    }
                }
                Gesture::Move { ids, start, select } => {
                    let current = *drag_at.borrow();
                    let (dx, dy) = (current.x - start.x, current.y - start.y);
                    let moved = (dx.abs() + dy.abs()) * state.0.viewport.zoom > CLICK_SLOP;
                    if moved {
                        state.dispatch(Action::MoveNodes {
                            ids: ids.clone(),
                            dx,
                            dy,
                        });
                    }
                    if let Some(id) = select.clone() {
                        let select = {
                            let state = state.clone();
                            move || {
                                state.dispatch(Action::SelectNode {
                                    id,
                                    additive: false,
                                })
                            }
                        };
                        // After a move, the node lands first and is selected (inspector
                        // and all) in the next frame: two shorter frames, not one long one.
                        if moved {
                            crate::ui::after_paint::after_next_paint(select);
                        } else {
                            select();
                        }
                    }
                }
                Gesture::Link { from, current } => match node_at(&state.0.scenario, *current) {
                    Some(to) if &to != from => state.dispatch(Action::Connect {
                        from: from.clone(),
                        to,
                    }),
                    Some(_) => {}
                    // Dropped on empty canvas: the natural next node is added there.
                    None => state.dispatch(Action::ConnectToNew {
                        from: from.clone(),
                        x: current.x,
                        y: current.y,
                    }),
                },
            }
            gesture.set(Gesture::Idle);
        })
    };

    // A drag's plan follows the gesture, read and dropped after the render that starts or
    // ends it: the drag layer then shows the moving nodes, and reading the plan hides the
    // static copies, so the browser repaints them at the press rather than on the first
    // move; dropping it shows them again once they are in their new place.
    {
        let drag_plan = drag_plan.clone();
        let (svg_ref, drag_ref) = (svg_ref.clone(), drag_ref.clone());
        let scenario = editor.scenario.clone();
        let moving: Option<BTreeSet<String>> = match &*gesture {
            Gesture::Move { ids, .. } => Some(ids.iter().cloned().collect()),
            _ => None,
        };
        use_effect_with(moving, move |moving| {
            let mut plan = drag_plan.borrow_mut();
            *plan = None;
            if let (Some(moving), Some(layer), Some(diagram)) = (
                moving,
                drag_ref.cast::<Element>(),
                svg_ref.cast::<Element>(),
            ) {
                *plan = drag_frame::DragPlan::read(&layer, &diagram, &scenario, moving);
            }
        });
    }

    // The nodes being dragged and how far: they and their edges are drawn again in the
    // drag layer (the static layer keeps its copies, hidden while the drag lasts).
    let (moving, offset): (BTreeSet<String>, (f64, f64)) = match &*gesture {
        Gesture::Move { ids, start, .. } => {
            let current = *drag_at.borrow();
            (
                ids.iter().cloned().collect(),
                (current.x - start.x, current.y - start.y),
            )
        }
        _ => (BTreeSet::new(), (0.0, 0.0)),
    };
    let layer = |drag: bool| {
        html! {
            <DiagramLayer scenario={editor.scenario.clone()}
                selected_nodes={if drag { editor.selected_nodes.union(&moving).cloned().collect() } else { editor.selected_nodes.clone() }}
                selected_edges={editor.selected_edges.clone()} counters={props.counters.clone()} pipes={props.pipes.clone()} calls={props.calls.clone()} frames={props.frames.clone()}
                moving={if drag { moving.clone() } else { BTreeSet::new() }}
                offset={if drag { offset } else { (0.0, 0.0) }} drag={drag} />
        }
    };
    let link_preview = match &*gesture {
        Gesture::Link { from, current } => editor.scenario.node(from).map(|a| {
            let (w, h) = node_size(a.kind());
            let s = Point::new(a.x + w, a.y + h / 2.0);
            html! { <line class="link-preview" x1={s.x.to_string()} y1={s.y.to_string()} x2={current.x.to_string()} y2={current.y.to_string()} /> }
        }),
        _ => None,
    };
    let selection_box = gesture.box_rect().map(|r| html! {
        <rect class="selection-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} />
    });
    let transform = format!("translate({} {}) scale({})", vp.x, vp.y, vp.zoom);
    let grid = format!("{}px {}px", 20.0 * vp.zoom, 20.0 * vp.zoom);
    let grid_pos = format!("{}px {}px", vp.x, vp.y);
    let empty = editor.scenario.nodes.is_empty();
    // On a phone a diagram opens at a readable zoom from its left edge: while part of
    // it is off the canvas, a button says so and shows all of it (as Fit to view does).
    let partly_hidden = {
        let (w, h) = crate::ui::toolbar::canvas_size();
        w < crate::editor::geometry::PHONE_WIDTH
            && crate::editor::geometry::diagram_bounds(&editor.scenario).is_some_and(|b| {
                let a = vp.to_screen(Point::new(b.x, b.y));
                let c = vp.to_screen(Point::new(b.x + b.w, b.y + b.h));
                a.x < -1.0 || a.y < -1.0 || c.x > w + 1.0 || c.y > h + 1.0
            })
    };
    let see_all = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(crate::ui::toolbar::fit_whole_action(&state.0));
        })
    };
    // Keys on a focused node: select, move, connect (see `editor::keyboard`).
    let onkeydown = {
        let state = state.clone();
        let read_only = props.read_only;
        Callback::from(move |e: KeyboardEvent| {
            if read_only || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let Some(id) = target_attr(&e, "g[data-node-id]", "data-node-id") else {
                return;
            };
            let Some(actions) = keys
                .borrow_mut()
                .key(&state.0, &id, &e.key(), e.shift_key())
            else {
                return;
            };
            e.prevent_default();
            e.stop_propagation();
            for a in actions {
                state.dispatch(a);
            }
        })
    };

    html! {
        <section id="canvas" class="canvas" aria-label="Canvas" style={format!("background-size: {grid}; background-position: {grid_pos};")}>
            <svg ref={svg_ref} class="diagram" role="application" aria-label="Diagram"
                 {onpointerdown} {onpointermove} {onpointerup} {onkeydown}>
                <g class="viewport" transform={transform.clone()}>{ layer(false) }</g>
            </svg>
            <svg ref={drag_ref} class="diagram drag-layer" aria-hidden={(!moving.is_empty()).then_some("false")}>
                <g class="viewport" transform={transform}>
                    if !moving.is_empty() { { layer(true) } }
                    { for link_preview }
                    { for selection_box }
                </g>
            </svg>
            <canvas ref={props.overlay.clone()} class="messages-layer" aria-hidden="true"></canvas>
            // While a gesture holds the (captured) pointer, this is the topmost thing under
            // it: the browser's per-move hit test stops here instead of walking every shape.
            // Always there and only shown, so that a press does not change the layout.
            <div class={classes!("gesture-shield", gesture.shield_class())} aria-hidden="true"></div>
            if partly_hidden && !props.read_only {
                <button type="button" class="see-all" onclick={see_all}
                    title="Part of the diagram is off the screen: show all of it (Fit to view)">{"⤢ Whole diagram"}</button>
            }
            if empty && props.read_only {
                // The player has no palette: it shows what a link opens.
                <p class="canvas-empty">{"Nothing to play: this player shows a diagram given by its link (?embed=1&pattern=ID, or a share link's #s=…)."}</p>
            } else if empty {
                <p class="canvas-empty">{"The canvas is empty: add a Producer, Exchange, Queue and Consumer from the palette, then drag from a node's right handle to connect."}</p>
            }
        </section>
    }
}
