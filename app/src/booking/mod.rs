//! The public booking pages: `/{team}` lists a team's event types, `/{team}/{event}` books one
//! and `/booking/{uid}` reschedules or cancels a booking from its emailed links. They have their own root component and their own, much smaller browser bundle
//! (`booking-frontend`): prospects download only the code these pages reach, never the dashboard.

mod api;
#[cfg(feature = "ssr")]
mod booking_request;
mod calendar;
mod clock;
mod done;
mod early;
mod embed;
mod form;
mod language;
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
mod url;
mod zone;

pub use api::*;
pub use early::early_script;
pub use manage_api::*;
pub use url::PATHS;

use crate::lang::{Key, t};
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use url::{Route, page_url};

/// The booking pages' HTML document, rendered only on the server, in the language the request
/// asks for (see [`crate::lang`]).
#[cfg(feature = "ssr")]
pub fn booking_shell(options: LeptosOptions) -> impl IntoView {
    let lang = crate::lang::requested_lang(url::page_url().query("lang").as_deref());
    provide_context(lang);
    crate::document(options, crate::Page::Booking(lang), view! { <BookingApp/> })
}

#[component]
pub fn BookingApp() -> impl IntoView {
    provide_meta_context();
    let url = page_url();
    provide_context(url.clone());
    let page = match url.route {
        Route::Manage { uid } => EitherOf4::A(view! { <manage::ManagePage uid/> }),
        Route::Team { team } => EitherOf4::B(view! { <team::TeamPage team/> }),
        Route::Event { team, event } => EitherOf4::C(view! { <page::BookingPage team event/> }),
        Route::Missing => EitherOf4::D(view! { <MissingPage/> }),
    };
    view! {
        <Title formatter=crate::components::title_formatter(|page| {
            if page.is_empty() { t(Key::PageTitleDefault).to_owned() } else { page }
        })/>
        {page}
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
        <Title text=t(Key::PageNotAvailable)/>
        <section class="bk-missing" aria-labelledby="missing-title">
            <h1 id="missing-title">{t(Key::PageMissingTitle)}</h1>
            <p>{t(Key::PageMissingText)}</p>
        </section>
    }
}
