//! Availability: weekly hours, date overrides and a live preview. Each member edits their own;
//! admins pick any member (`?member=ID`).

mod calendar;
mod overrides;
mod preview_panel;
mod ranges;
mod weekly;

use crate::api::{AvailabilityData, DeleteOverride, LoadPreview, SaveOverride, load_availability};
use crate::error::AppError;
use crate::lang::{Dash, d, df};
use chrono::NaiveDate;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use overrides::OverridesSection;
use preview_panel::PreviewPanel;
use weekly::{WeeklyEditor, day_rows};

/// The page's actions, created outside the Suspense and handed down.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveOverride>,
    delete: ServerAction<DeleteOverride>,
    preview: ServerAction<LoadPreview>,
}

#[component]
pub fn AvailabilityPage() -> impl IntoView {
    let query = use_query_map();
    let member = move || query.with(|q| q.get("member").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(member, load_availability);
    let actions = Actions {
        save: ServerAction::new(),
        delete: ServerAction::new(),
        preview: ServerAction::new(),
    };
    view! {
        <Title text=d(Dash::AvailabilityTitle)/>
        <Suspense fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => Either::Left(view! { <Editor data actions/> }),
                    Err(error) => Either::Right(view! { <NoAccess error/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoAccess(error: AppError) -> impl IntoView {
    let message = match error {
        AppError::Forbidden => d(Dash::AvailabilityOnlyAdmins).to_owned(),
        other => other.to_string(),
    };
    view! {
        <header class="page-header"><h1>{d(Dash::AvailabilityTitle)}</h1></header>
        <div class="banner banner-error" role="alert">{message}</div>
    }
}

#[component]
fn Editor(data: AvailabilityData, actions: Actions) -> impl IntoView {
    let member = data.member_id;
    let zone = RwSignal::new(data.timezone.clone());
    let days = day_rows(&data.weekly);
    let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let saved = RwSignal::new(data.overrides.clone());
    let inputs = RwSignal::new(data.preview.clone());
    Effect::new(move |_| {
        let latest = actions.save.value().get().or_else(|| actions.delete.value().get());
        if let Some(Ok(list)) = latest {
            saved.set(list);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(preview)) = actions.preview.value().get() {
            inputs.set(Some(preview));
        }
    });
    view! {
        <header class="page-header">
            <div>
                <h1>{d(Dash::AvailabilityTitle)}</h1>
                <p class="muted">{df(Dash::AvailabilityWhenBookable, &[("name", &data.member_name)])}</p>
            </div>
            <MemberPicker member choices=data.members/>
        </header>
        <div class="availability">
            <div class="availability-main">
                <WeeklyEditor member zone days/>
                <OverridesSection member today saved save=actions.save delete=actions.delete/>
            </div>
            <PreviewPanel member choices=data.event_types inputs load=actions.preview zone days overrides=saved/>
        </div>
    }
}

/// Admins switch between members; members see only themselves, so no picker.
#[component]
fn MemberPicker(member: i64, choices: Vec<crate::api::Choice>) -> impl IntoView {
    if choices.len() < 2 {
        return None;
    }
    let navigate = use_navigate();
    let options = choices
        .into_iter()
        .map(|c| {
            let selected = c.value == member.to_string();
            view! { <option value=c.value selected=selected>{c.label}</option> }
        })
        .collect_view();
    Some(view! {
        <div class="field field-compact">
            <label for="member-picker">{d(Dash::AvailabilityMember)}</label>
            <select
                id="member-picker"
                on:change=move |ev| navigate(&format!("/dashboard/availability?member={}", event_target_value(&ev)), Default::default())
            >
                {options}
            </select>
        </div>
    })
}
