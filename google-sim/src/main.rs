//! `google-sim [--port N]`: runs the simulator until SIGTERM or Ctrl-C. Prints exactly one line,
//! `google-sim listening on http://127.0.0.1:PORT`, so a parent process can read the URL.

use google_sim::{SimConfig, Simulator};

fn main() -> anyhow::Result<()> {
    sim_support::binary::main("google-sim", |addr| Simulator::start_on(SimConfig::default(), addr))
}
