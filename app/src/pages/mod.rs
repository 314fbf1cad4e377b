//! One module per screen. Pages fetch through server functions and compose components.

mod api_keys;
mod auth;
mod availability;
mod booking_details;
mod bookings;
mod calendar;
mod dashboard;
mod email;
mod event_types;
mod integrations;
mod invite;
mod members;
mod not_found;
mod overview;
mod webhooks;

pub use api_keys::ApiKeysPage;
pub use auth::{Home, LoginPage, SetupPage};
pub use availability::AvailabilityPage;
pub use booking_details::BookingDetailsPage;
pub use bookings::BookingsPage;
pub use calendar::CalendarPage;
pub use dashboard::DashboardLayout;
use dashboard::with_viewer;
pub use email::EmailPage;
pub use event_types::{EventTypeEditorPage, EventTypesPage};
pub use integrations::IntegrationsPage;
pub use invite::InvitePage;
pub use members::MembersPage;
pub use not_found::NotFound;
pub use overview::OverviewPage;
pub use webhooks::{WebhookPage, WebhooksPage};

use crate::components::Brand;
use leptos::prelude::*;

/// The centred card used by sign-in, setup and invite screens.
#[component]
fn AuthCard(title: &'static str, #[prop(optional)] subtitle: Option<String>, children: Children) -> impl IntoView {
    view! {
        <main class="auth-page">
            <div class="auth-card">
                <Brand href="/" label=crate::lang::d(crate::lang::Dash::ComponentsHome)/>
                <h1>{title}</h1>
                {subtitle.map(|s| view! { <p class="muted">{s}</p> })}
                {children()}
            </div>
        </main>
    }
}
