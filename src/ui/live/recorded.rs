//! Telling an edit that only recorded hand actions into the script (the run, which has
//! already done them, goes on) from one that changes what the run does.

/// Whether `new` is `old` plus steps recorded by hand at the current time (`now_ms`)
/// or later: the run, which has already done them, goes on.
pub(super) fn recorded_only(
    old: &[crate::core::scenario::script::ScriptStep],
    new: &[crate::core::scenario::script::ScriptStep],
    now_ms: f64,
) -> bool {
    if old == new {
        return true;
    }
    if new.len() <= old.len() {
        return false;
    }
    // `old` must be a subsequence of `new`; the rest are recent additions.
    let mut i = 0;
    for step in new {
        if i < old.len() && *step == old[i] {
            i += 1;
        } else if step.at_ms() + 0.001 < now_ms {
            return false;
        }
    }
    i == old.len()
}
