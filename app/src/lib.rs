//! The Rendezvous web UI. Components render data and wire forms to server functions; rules live
//! in `services` (reached only from server functions) and `domain`.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
pub mod booking;
mod components;
pub mod error;
pub mod lang;
mod pages;
pub mod preview;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// `<body data-hydrated>` tells browser tests (ours and customers') that the page is interactive.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "");
    }
}

/// The dashboard's HTML document, rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    document(options, Page::Dashboard, view! { <App/> })
}

/// Which root a document carries: the booking pages come in the visitor's language, with its
/// texts and the script that shows times in the visitor's zone before the WASM arrives.
#[derive(Clone, Copy)]
pub enum Page {
    Dashboard,
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    Booking(lang::Lang),
}

/// The HTML document around a root component. `options.output_name` names its bundle (the
/// stylesheet, script and WASM share that stem, content-hashed in release builds).
pub fn document(options: LeptosOptions, page: Page, root: impl IntoView + 'static) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::content_security_policy();
    let lang = match page {
        Page::Dashboard => lang::Lang::ENGLISH,
        Page::Booking(lang) => lang,
    };
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <link id="leptos" rel="stylesheet" href=format!("/pkg/{}.css", options.output_name)/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
                {page_texts(page)}
            </head>
            <body>{root}{early_times(page)}</body>
        </html>
    }
}

/// The booking pages' texts in their language, for the WASM to read once (see [`lang`]).
fn page_texts(page: Page) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let json = match page {
        Page::Booking(lang) => Some(lang::page_texts_json(lang)),
        Page::Dashboard => None,
    };
    #[cfg(not(feature = "ssr"))]
    let json: Option<String> = {
        let _ = page;
        None
    };
    json.map(|json| view! { <script id=lang::TEXTS_ID type="application/json" inner_html=json></script> })
}

/// The booking pages' early script (see `booking::early`), after the content it rewrites.
fn early_times(page: Page) -> impl IntoView {
    matches!(page, Page::Booking(_)).then(|| {
        let nonce = leptos::nonce::use_nonce();
        view! { <script nonce=nonce inner_html=booking::early_script()></script> }
    })
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=components::title_formatter(|page| {
            if page.is_empty() { "Rendezvous".to_owned() } else { format!("{page} · Rendezvous") }
        })/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/") view=pages::Home/>
                <Route path=path!("/setup") view=pages::SetupPage/>
                <Route path=path!("/login") view=pages::LoginPage/>
                <Route path=path!("/invite/:token") view=pages::InvitePage/>
                <ParentRoute path=path!("/dashboard") view=pages::DashboardLayout>
                    <Route path=path!("") view=pages::OverviewPage/>
                    <Route path=path!("availability") view=pages::AvailabilityPage/>
                    <Route path=path!("bookings") view=pages::BookingsPage/>
                    <Route path=path!("bookings/:uid") view=pages::BookingDetailsPage/>
                    <Route path=path!("calendar") view=pages::CalendarPage/>
                    <Route path=path!("event-types") view=pages::EventTypesPage/>
                    <Route path=path!("event-types/new") view=pages::EventTypeEditorPage/>
                    <Route path=path!("event-types/:slug/edit") view=pages::EventTypeEditorPage/>
                    <Route path=path!("members") view=pages::MembersPage/>
                    <Route path=path!("api-keys") view=pages::ApiKeysPage/>
                    <Route path=path!("integrations") view=pages::IntegrationsPage/>
                    <Route path=path!("email") view=pages::EmailPage/>
                    <Route path=path!("webhooks") view=pages::WebhooksPage/>
                    <Route path=path!("webhooks/:id") view=pages::WebhookPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
