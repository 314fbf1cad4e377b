//! Runs one workload of `benches/support/workloads.rs` a number of times inside [`measured`], for
//! `scripts/bench.sh engine`, which counts the instructions executed there with callgrind
//! (`--toggle-collect`), a figure that does not move with the machine's load the way times do.
//!   instructions             lists the workloads, one per line
//!   instructions NAME CALLS  runs NAME CALLS times

#[path = "../benches/support/workloads.rs"]
#[allow(dead_code)] // shared with the criterion benches, which use more of it
mod workloads;

use std::hint::black_box;

#[inline(never)]
fn measured(workload: &workloads::Workload, calls: usize) -> usize {
    (0..calls).map(|_| black_box(black_box(workload).run())).sum()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workloads = workloads::server_shaped();
    let [name, calls] = args.as_slice() else {
        workloads.iter().for_each(|w| println!("{}", w.name));
        return;
    };
    let calls: usize = calls.parse().expect("CALLS is a number");
    let workload = workloads
        .iter()
        .find(|w| w.name == name)
        .expect("a workload listed without arguments");
    println!("{} slots per call", measured(workload, calls) / calls);
}
