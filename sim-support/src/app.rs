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
pub fn app<C: ControlApi, T: 'static>(
    sim: Sim<C::World>,
    oauth: Router<Sim<C::World>>,
    api: Router<Sim<C::World>>,
    control: Router<Sim<C::World>>,
    fallback: impl Handler<T, Sim<C::World>>,
) -> Router {
    let api = api.layer(from_fn_with_state(sim.clone(), faults::apply::<C::World>));
    oauth
        .merge(api)
        .layer(from_fn_with_state(sim.clone(), recording::record::<C::World>))
        .merge(control)
        .merge(control::routes::<C>())
        .fallback(fallback)
        .with_state(sim)
}
