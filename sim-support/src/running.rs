//! Serving a simulator on a port and stopping it again.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::accounts::Clients;
use crate::config::Settings;
use crate::control::{ControlApi, Handle};
use crate::world::{Shared, Sim, World};

/// Gives an empty `world` the app registrations and accounts of its configuration, binds `addr`,
/// tells the world its URL, and serves the app `router` builds for it.
pub async fn serve<C: Handle>(
    mut world: C::World,
    addr: SocketAddr,
    name: &'static str,
    router: impl FnOnce(Sim<C::World>) -> Router,
) -> anyhow::Result<Running<C>> {
    let oauth = world.config_mut().oauth_mut().clone();
    world.plumbing_mut().clients = Clients::new(oauth.clients);
    for user in &oauth.users {
        world.add_user(user)?;
    }
    let listener = Listener::bind(addr).await?;
    world.plumbing_mut().base_url = listener.base_url.clone();
    let sim = Shared::new(world, tokio::runtime::Handle::current());
    let app = router(sim.clone());
    Ok(listener.serve(app, name, C::from_sim(sim)))
}

/// A bound port, known before the world is built so the world can know its own URL.
struct Listener {
    listener: TcpListener,
    addr: SocketAddr,
    base_url: String,
}

impl Listener {
    async fn bind(addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        Ok(Self {
            listener,
            addr,
            base_url: format!("http://{addr}"),
        })
    }

    /// Serves `app` in the background until the returned handle is shut down or dropped.
    fn serve<C: Handle>(self, app: Router, name: &'static str, control: C) -> Running<C> {
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(self.listener, app).with_graceful_shutdown(async {
                let _ = signal.await;
            });
            if let Err(error) = served.await {
                tracing::error!(%error, "{name} server failed");
            }
        });
        tracing::info!(base_url = %self.base_url, "{name} listening");
        Running {
            base_url: self.base_url,
            addr: self.addr,
            control,
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }
}

/// A running simulator. Dropping it stops the server (use [`Running::shutdown`] to wait for that).
pub struct Running<C: Handle> {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub control: C,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl<C: Handle> Running<C> {
    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The URLs a provider client library would be configured with, all on the simulator.
    pub fn endpoints(&self) -> <C::World as ControlApi>::Endpoints {
        C::World::endpoints(&self.base_url)
    }

    /// Stops accepting requests, stops deliveries, and waits (up to 5 s) for in-flight requests.
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
            self.control.stop_deliveries();
        }
    }
}

impl<C: Handle> Drop for Running<C> {
    fn drop(&mut self) {
        self.signal_stop();
    }
}
