//! `ms-sim [--port N]`: runs the simulator until SIGTERM or Ctrl-C. Prints exactly one line,
//! `ms-sim listening on http://127.0.0.1:PORT`, so a parent process can read the URL.

use ms_sim::{SimConfig, Simulator};

fn main() -> anyhow::Result<()> {
    sim_support::binary::main("ms-sim", |addr| Simulator::start_on(SimConfig::default(), addr))
}
