//! One module per screen. Pages fetch through server functions and compose components.

mod auth;
mod dashboard;
mod invite;
mod members;
mod not_found;

pub use auth::{Home, LoginPage, SetupPage};
pub use dashboard::{DashboardLayout, OverviewPage};
pub use invite::InvitePage;
pub use members::MembersPage;
pub use not_found::NotFound;

use leptos::prelude::*;

/// The centred card used by sign-in, setup and invite screens.
#[component]
fn AuthCard(
    title: &'static str,
    #[prop(optional)] subtitle: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <main class="auth-page">
            <div class="auth-card">
                <a href="/" class="brand" aria-label="Rendezvous home">
                    <span class="brand-mark" aria-hidden="true">"R"</span>
                    <span class="brand-name">"Rendezvous"</span>
                </a>
                <h1>{title}</h1>
                {subtitle.map(|s| view! { <p class="muted">{s}</p> })}
                {children()}
            </div>
        </main>
    }
}
