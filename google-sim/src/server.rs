//! Starting and stopping the simulator.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::handle::ControlHandle;
use crate::routing;
use crate::state::{Shared, State};

/// Entry point: `Simulator::start(SimConfig::default()).await?`.
pub struct Simulator;

/// The URLs a Google client library would be configured with, all on the simulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// Replaces `https://accounts.google.com/o/oauth2/v2/auth`.
    pub authorize: String,
    /// Replaces `https://oauth2.googleapis.com/token`.
    pub token: String,
    /// Replaces `https://oauth2.googleapis.com/revoke`.
    pub revoke: String,
    /// Replaces `https://www.googleapis.com/calendar/v3` (no trailing slash).
    pub calendar_api: String,
}

/// A running simulator. Dropping it stops the server (use [`Running::shutdown`] to wait for that).
pub struct Running {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub control: ControlHandle,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Serves on 127.0.0.1 with an OS-assigned port.
    pub async fn start(config: SimConfig) -> anyhow::Result<Running> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serves on `addr` (the binary's `--port`).
    pub async fn start_on(config: SimConfig, addr: SocketAddr) -> anyhow::Result<Running> {
        let mut state = State::new(config)?;
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        state.base_url = base_url.clone();
        let sim = Shared::new(state, tokio::runtime::Handle::current());
        let app = routing::router(sim.clone());
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = signal.await;
            });
            if let Err(error) = served.await {
                tracing::error!(%error, "google-sim server failed");
            }
        });
        tracing::info!(%base_url, "google-sim listening");
        Ok(Running {
            base_url,
            addr,
            control: ControlHandle::new(sim),
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}

impl Running {
    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn endpoints(&self) -> Endpoints {
        Endpoints {
            authorize: self.url("/o/oauth2/v2/auth"),
            token: self.url("/token"),
            revoke: self.url("/revoke"),
            calendar_api: self.url("/calendar/v3"),
        }
    }

    /// Stops accepting requests, stops channels, and waits (up to 5 s) for in-flight requests.
    pub async fn shutdown(mut self) {
        self.signal_stop();
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task).await.is_err() {
                abort.abort();
            }
        }
    }

    fn signal_stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
            self.control.stop_all_channels();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.signal_stop();
    }
}
