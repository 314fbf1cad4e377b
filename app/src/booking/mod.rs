//! The public booking pages: `/{team}` lists a team's event types, `/{team}/{event}` books one
//! and `/booking/{uid}` reschedules or cancels a booking from its emailed links. They have their own root component and their own, much smaller browser bundle
//! (`booking-frontend`): prospects download only the code these pages reach, never the dashboard.

mod api;
#[cfg(feature = "ssr")]
mod booking_request;
mod calendar;
mod clock;
mod done;
mod embed;
mod form;
mod manage;
mod manage_api;
mod month;
#[cfg(feature = "ssr")]
mod month_times;
mod moving;
mod page;
mod questions;
mod state;
mod team;
mod times;
mod zone;

pub use api::*;
pub use manage_api::*;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The booking pages' HTML document, rendered only on the server.
pub fn booking_shell(options: LeptosOptions) -> impl IntoView {
    crate::document(options, view! { <BookingApp/> })
}

#[component]
pub fn BookingApp() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=crate::components::title_formatter(|page| {
            if page.is_empty() { "Book a time".to_owned() } else { page }
        })/>
        <Router>
            <Routes fallback=MissingPage>
                <Route path=path!("/booking/:uid") view=manage::ManagePage/>
                <Route path=path!("/:team") view=team::TeamPage/>
                <Route path=path!("/:team/:event") view=page::BookingPage/>
            </Routes>
        </Router>
    }
}

/// A friendly 404 for unknown teams, unknown or deactivated event types.
#[component]
fn MissingPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(404);
    view! { <Missing/> }
}

#[component]
fn Missing() -> impl IntoView {
    view! {
        <Title text="Not available"/>
        <section class="bk-missing" aria-labelledby="missing-title">
            <h1 id="missing-title">"This booking page is not available"</h1>
            <p>"The link may be mistyped, or the event is no longer offered. Ask the person who sent it for a new one."</p>
        </section>
    }
}
