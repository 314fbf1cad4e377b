//! The Event types screens: the list (everyone) and the create / edit form (admins).

mod card;
mod controls;
mod editor;
mod sections;

pub use editor::EventTypeEditorPage;

use crate::api::{EventTypeList, Me, list_event_types};
use crate::error::AppError;
use card::EventTypeCardView;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;

const NEW: &str = "/dashboard/event-types/new";

#[component]
pub fn EventTypesPage() -> impl IntoView {
    let admin = expect_context::<Me>().role.is_admin();
    let refresh = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        refresh.track();
        list_event_types()
    });
    view! {
        <Title text="Event types"/>
        <header class="page-header et-header">
            <div>
                <h1>"Event types"</h1>
                <p class="muted">"What prospects can book with your team, and where they book it."</p>
            </div>
            {admin.then(|| view! { <a class="button button-primary" href=NEW>"New event type"</a> })}
        </header>
        {when_loaded(list, move |list| view! { <ListView list refresh/> })}
    }
}

/// A skeleton until `resource` has loaded, then `render` of its value or the error's message.
///
/// Both pages load in the browser only (`LocalResource`, no `Suspense`): below the dashboard
/// layout's `Suspense`, a server-rendered `Suspense` with a serialized `Resource` is created more
/// than once on the server (Suspense > Outlet > Suspense) and fails to hydrate on a direct load or
/// reload. Rendering the skeleton on both sides hydrates cleanly; the data follows one request later.
fn when_loaded<T, V>(
    resource: LocalResource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || match resource.get() {
        None => EitherOf3::A(view! { <div class="card skeleton" aria-busy="true"></div> }),
        Some(Ok(value)) => EitherOf3::B(render(value)),
        Some(Err(e)) => EitherOf3::C(view! { <div class="banner banner-error" role="alert">{e.to_string()}</div> }),
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
