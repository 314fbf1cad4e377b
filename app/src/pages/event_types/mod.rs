//! The Event types screens: the list (everyone) and the create / edit form (admins).

mod card;
mod controls;
mod editor;
mod embedding;
mod question_item;
mod questions;
mod sections;

pub use editor::EventTypeEditorPage;

use crate::api::{EventTypeList, Me, list_event_types};
use crate::error::AppError;
use crate::lang::{Dash, d};
use card::EventTypeCardView;
use leptos::prelude::*;
use leptos_meta::Title;

const NEW: &str = "/dashboard/event-types/new";

#[component]
pub fn EventTypesPage() -> impl IntoView {
    let refresh = RwSignal::new(0_u32);
    let list = Resource::new(move || refresh.get(), |_| list_event_types());
    let new_button = |me: Me| {
        me.role
            .is_admin()
            .then(|| view! { <a class="button button-primary" href=NEW>{d(Dash::EventTypesNew)}</a> })
    };
    view! {
        <Title text=d(Dash::EventTypesHeading)/>
        <header class="page-header et-header">
            <div>
                <h1>{d(Dash::EventTypesHeading)}</h1>
                <p class="muted">{d(Dash::EventTypesIntro)}</p>
            </div>
            {super::with_viewer(new_button)}
        </header>
        {when_loaded(list, move |list| view! { <ListView list refresh/> })}
        <embedding::EmbeddingSettings/>
    }
}

/// The resource's view once loaded; an error shows as its message in a banner.
fn when_loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let banner = |e: AppError| view! { <div class="banner banner-error" role="alert">{e.to_string()}</div> };
    crate::components::loaded_or(resource, render, banner)
}

#[component]
fn ListView(list: EventTypeList, refresh: RwSignal<u32>) -> impl IntoView {
    let admin = list.viewer_is_admin;
    if list.event_types.is_empty() {
        return view! { <EmptyState admin/> }.into_any();
    }
    let cards = list
        .event_types
        .into_iter()
        .map(|card| view! { <EventTypeCardView card admin refresh/> })
        .collect_view();
    view! { <ul class="et-list" aria-label=d(Dash::EventTypesHeading)>{cards}</ul> }.into_any()
}

#[component]
fn EmptyState(admin: bool) -> impl IntoView {
    view! {
        <section class="card et-empty">
            <h2>{d(Dash::EventTypesEmpty)}</h2>
            {if admin {
                view! {
                    <p class="muted">{d(Dash::EventTypesEmptyAdmin)}</p>
                    <a class="button button-primary" href=NEW>{d(Dash::EventTypesCreateFirst)}</a>
                }
                .into_any()
            } else {
                view! { <p class="muted">{d(Dash::EventTypesEmptyMember)}</p> }.into_any()
            }}
        </section>
    }
}

/// Up to two initials for an avatar: "Ada Admin" → "AA".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect()
}
