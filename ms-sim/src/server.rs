//! Starting the simulator; serving and stopping it is [`sim_support::Running`]'s job.

use std::net::SocketAddr;

use crate::config::SimConfig;
use crate::handle::ControlHandle;
use crate::routing;
use crate::state::State;

/// Entry point: `Simulator::start(SimConfig::default()).await?`.
pub struct Simulator;

/// The URLs a Microsoft client library would be configured with, all on the simulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// Replaces `https://login.microsoftonline.com/common` (MSAL's "authority").
    pub authority: String,
    /// Replaces `https://login.microsoftonline.com/common/oauth2/v2.0/authorize`.
    pub authorize: String,
    /// Replaces `https://login.microsoftonline.com/common/oauth2/v2.0/token`.
    pub token: String,
    /// Replaces `https://graph.microsoft.com/v1.0` (no trailing slash).
    pub graph: String,
}

/// A running simulator. Dropping it stops the server (use [`Running::shutdown`] to wait for that,
/// which also ends subscriptions).
pub type Running = sim_support::Running<ControlHandle>;

impl Simulator {
    /// Serves on 127.0.0.1 with an OS-assigned port.
    pub async fn start(config: SimConfig) -> anyhow::Result<Running> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serves on `addr` (the binary's `--port`).
    pub async fn start_on(config: SimConfig, addr: SocketAddr) -> anyhow::Result<Running> {
        sim_support::serve(State::new(config), addr, "ms-sim", routing::router).await
    }
}
