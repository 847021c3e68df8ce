//! The core's entry points as the app uses them, exported from a bare WebAssembly
//! module (no JavaScript glue), so that its size is the core's own share of the
//! download. Input is UTF-8 text the host writes at [`buffer`]; each call leaves its
//! answer (JSON, or an error sentence) there and returns its length.

use qp_core::kernel::time::SimTime;
use qp_core::{definitions, scenario, Simulation};
use std::cell::RefCell;

thread_local! {
    static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the shared buffer `len` bytes long and returns where it starts.
#[no_mangle]
pub extern "C" fn buffer(len: usize) -> *mut u8 {
    BUF.with(|b| {
        let mut b = b.borrow_mut();
        b.resize(len, 0);
        b.as_mut_ptr()
    })
}

fn answer(f: impl FnOnce(&str) -> String) -> usize {
    BUF.with(|b| {
        let text = String::from_utf8_lossy(&b.borrow()).into_owned();
        let out = f(&text).into_bytes();
        let n = out.len();
        *b.borrow_mut() = out;
        n
    })
}

/// Loads the scenario in the buffer, runs it to `until_ms` and answers its report.
#[no_mangle]
pub extern "C" fn simulate(until_ms: f64) -> usize {
    answer(|text| match scenario::load_scenario(text) {
        Err(e) => e.to_string(),
        Ok(s) => match Simulation::new(&s) {
            Err(e) => format!("{e:?}"),
            Ok(mut sim) => {
                sim.run_until(SimTime::from_ms(until_ms));
                serde_json::to_string(&sim.report()).unwrap_or_default()
            }
        },
    })
}

/// Loads the scenario in the buffer and answers it saved again.
#[no_mangle]
pub extern "C" fn save() -> usize {
    answer(|text| match scenario::load_scenario(text) {
        Err(e) => e.to_string(),
        Ok(s) => serde_json::to_string(&s).unwrap_or_default(),
    })
}

/// Imports the definitions in the buffer and answers the scenario.
#[no_mangle]
pub extern "C" fn import() -> usize {
    answer(|text| match definitions::import_definitions(text, None) {
        Err(e) => e,
        Ok(i) => serde_json::to_string(&i.scenario).unwrap_or_default(),
    })
}

/// Exports the scenario in the buffer as definitions.
#[no_mangle]
pub extern "C" fn export() -> usize {
    answer(|text| match scenario::load_scenario(text) {
        Err(e) => e.to_string(),
        Ok(s) => definitions::export_definitions(&s, "/")
            .definitions
            .to_string(),
    })
}
