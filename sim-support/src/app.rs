//! The shape of every simulator's HTTP app.

use axum::Router;
use axum::handler::Handler;
use axum::middleware::from_fn_with_state;

use crate::control::{self, ControlApi};
use crate::world::Sim;
use crate::{faults, recording};

/// `oauth` and `api` routes, both recorded and the API behind fault injection; the control
/// routes (`control` plus [`control::routes`]), neither recorded nor faulted; `fallback` for
/// anything else.
pub fn app<S: ControlApi, T: 'static>(
    sim: Sim<S>,
    oauth: Router<Sim<S>>,
    api: Router<Sim<S>>,
    control: Router<Sim<S>>,
    fallback: impl Handler<T, Sim<S>>,
) -> Router {
    let api = api.layer(from_fn_with_state(sim.clone(), faults::apply::<S>));
    oauth
        .merge(api)
        .layer(from_fn_with_state(sim.clone(), recording::record::<S>))
        .merge(control)
        .merge(control::routes::<S>())
        .fallback(fallback)
        .with_state(sim)
}
