//! The Event types screens: the list (everyone) and the create / edit form (admins).

mod card;
mod controls;
mod editor;
mod sections;

pub use editor::EventTypeEditorPage;

use crate::api::{EventTypeList, Me, list_event_types};
use card::EventTypeCardView;
use leptos::prelude::*;
use leptos_meta::Title;

const NEW: &str = "/dashboard/event-types/new";

#[component]
pub fn EventTypesPage() -> impl IntoView {
    let admin = expect_context::<Me>().role.is_admin();
    let refresh = RwSignal::new(0_u32);
    let list = Resource::new(move || refresh.get(), |_| list_event_types());
    view! {
        <Title text="Event types"/>
        <header class="page-header et-header">
            <div>
                <h1>"Event types"</h1>
                <p class="muted">"What prospects can book with your team, and where they book it."</p>
            </div>
            {admin.then(|| view! { <a class="button button-primary" href=NEW>"New event type"</a> })}
        </header>
        <Transition fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                list.await.map(|list| view! { <ListView list refresh/> })
            })}
        </Transition>
    }
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
    view! { <ul class="et-list" aria-label="Event types">{cards}</ul> }.into_any()
}

#[component]
fn EmptyState(admin: bool) -> impl IntoView {
    view! {
        <section class="card et-empty">
            <h2>"No event types yet"</h2>
            {if admin {
                view! {
                    <p class="muted">"Create a meeting people can book, such as a 30-minute product demo."</p>
                    <a class="button button-primary" href=NEW>"Create your first event type"</a>
                }
                .into_any()
            } else {
                view! { <p class="muted">"An admin of your team creates them; they will appear here."</p> }.into_any()
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
