//! The Rendezvous web UI. Components render data and wire forms to server functions; rules live
//! in `services` (reached only from server functions) and `domain`.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
mod components;
pub mod error;
mod pages;
pub mod preview;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/rendezvous.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Rendezvous".to_owned() } else { format!("{page} · Rendezvous") }/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/") view=pages::Home/>
                <Route path=path!("/setup") view=pages::SetupPage/>
                <Route path=path!("/login") view=pages::LoginPage/>
                <Route path=path!("/invite/:token") view=pages::InvitePage/>
                <ParentRoute path=path!("/dashboard") view=pages::DashboardLayout>
                    <Route path=path!("") view=pages::OverviewPage/>
                    <Route path=path!("availability") view=pages::AvailabilityPage/>
                    // Async: the dashboard frame builds its page more than once while rendering on the server;
                    // waiting for all data before sending HTML keeps every copy's data in the page for hydration.
                    <Route path=path!("bookings") view=pages::BookingsPage ssr=SsrMode::Async/>
                    <Route path=path!("bookings/:uid") view=pages::BookingDetailsPage ssr=SsrMode::Async/>
                    <Route path=path!("event-types") view=pages::EventTypesPage/>
                    <Route path=path!("event-types/new") view=pages::EventTypeEditorPage/>
                    <Route path=path!("event-types/:slug/edit") view=pages::EventTypeEditorPage/>
                    <Route path=path!("members") view=pages::MembersPage/>
                    <Route path=path!("api-keys") view=pages::ApiKeysPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
