//! One event type in the list: what it is, its public link and embed codes, and (for admins)
//! the actions on it. Each card has its own actions, so a refusal (say, deleting an event type
//! with upcoming bookings) is shown on the card it concerns.

use crate::api::{DeleteEventType, DuplicateEventType, EmbedSnippets, EventTypeCard, SetEventTypeActive};
use crate::components::{CopyField, ErrorBanner, failure, form_error};
use crate::error::AppError;
use crate::lang::{Dash, d, df};
use leptos::html::Button;
use leptos::prelude::*;

#[component]
pub fn EventTypeCardView(card: EventTypeCard, admin: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let (heading_id, labelled_by) = (format!("et-{}-title", card.slug), format!("et-{}-title", card.slug));
    let avatars = card
        .hosts
        .iter()
        .take(3)
        .map(|name| view! { <span class="avatar avatar-small">{super::initials(name)}</span> })
        .collect_view();
    let hosts = if card.hosts.is_empty() {
        d(Dash::EventTypesNoHosts).to_owned()
    } else {
        card.hosts.join(", ")
    };
    let actions = admin.then(|| {
        view! { <CardActions slug=card.slug.clone() title=card.title.clone() active=card.active refresh/> }
    });
    view! {
        <li class="et-item">
            <article class="et-card" class:et-card-inactive=!card.active aria-labelledby=labelled_by>
                <header class="et-card-head">
                    <h2 id=heading_id>{card.title.clone()}</h2>
                    <span class="et-status" class:et-status-on=card.active>
                        {d(if card.active { Dash::EventTypesActive } else { Dash::EventTypesInactive })}
                    </span>
                </header>
                <ul class="et-meta">
                    <li><Icon path=CLOCK/>{card.duration}</li>
                    <li><Icon path=PEOPLE/>{card.mode}</li>
                    <li><Icon path=PIN/>{card.location}</li>
                </ul>
                <p class="et-hosts">
                    <span class="et-avatars" aria-hidden="true">{avatars}</span>
                    <span class="visually-hidden">{d(Dash::EventTypesHostsPrefix)}" "</span>
                    {hosts}
                </p>
                <CopyField
                    id=format!("et-{}-link", card.slug)
                    label=df(Dash::EventTypesPublicLink, &[("title", &card.title)])
                    value=card.url
                    button=d(Dash::EventTypesCopyLink)
                />
                <EmbedCodes slug=card.slug title=card.title embeds=card.embeds/>
                {actions}
            </article>
        </li>
    }
}

const CLOCK: &str = "M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z";
const PEOPLE: &str = "M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM21 19v-1a4 4 0 0 0-3-3.9M15.5 4.1a3 3 0 0 1 0 5.8";
const PIN: &str = "M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21Zm0-9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z";

/// A decorative stroke icon (the text beside it says the same).
#[component]
fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

/// The three snippets, behind a disclosure so the list stays scannable.
#[component]
fn EmbedCodes(slug: String, title: String, embeds: EmbedSnippets) -> impl IntoView {
    let snippets = [
        (
            "inline",
            Dash::EventTypesEmbedInline,
            Dash::EventTypesEmbedInlineCode,
            embeds.inline,
        ),
        (
            "popup",
            Dash::EventTypesEmbedPopup,
            Dash::EventTypesEmbedPopupCode,
            embeds.popup,
        ),
        (
            "iframe",
            Dash::EventTypesEmbedIframe,
            Dash::EventTypesEmbedIframeCode,
            embeds.iframe,
        ),
    ];
    let rows = snippets
        .into_iter()
        .map(|(key, heading, label, code)| {
            view! {
                <div class="et-snippet">
                    <p class="et-snippet-title" aria-hidden="true">{d(heading)}</p>
                    <CopyField
                        id=format!("et-{slug}-embed-{key}")
                        label=df(label, &[("title", &title)])
                        value=code
                        button=d(Dash::EventTypesCopyCode)
                    />
                </div>
            }
        })
        .collect_view();
    view! {
        <details class="et-embed">
            <summary>{d(Dash::EventTypesEmbedSummary)}</summary>
            <p class="muted">{d(Dash::EventTypesEmbedHint)}</p>
            {rows}
        </details>
    }
}

#[component]
fn CardActions(slug: String, title: String, active: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let duplicate = ServerAction::<DuplicateEventType>::new();
    let switch = ServerAction::<SetEventTypeActive>::new();
    let delete = ServerAction::<DeleteEventType>::new();
    refetch_on_success(duplicate.value(), refresh);
    refetch_on_success(switch.value(), refresh);
    refetch_on_success(delete.value(), refresh);
    let errors = [
        failure(duplicate.value()),
        failure(switch.value()),
        failure(delete.value()),
    ]
    .map(form_error);
    let message = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let edit = format!("/dashboard/event-types/{slug}/edit");
    // Button names end with the title (visually hidden), so each card's buttons are distinct.
    let named = format!(" {title}");
    let (duplicate_named, switch_named) = (named.clone(), named.clone());
    let (duplicate_slug, switch_slug) = (slug.clone(), slug.clone());
    view! {
        <ErrorBanner message/>
        <div class="et-actions">
            <a class="button" href=edit>{d(Dash::EventTypesEdit)}<span class="visually-hidden">{named}</span></a>
            <ActionForm action=duplicate>
                <input type="hidden" name="slug" value=duplicate_slug/>
                <button type="submit" class="button">{d(Dash::EventTypesDuplicate)}<span class="visually-hidden">{duplicate_named}</span></button>
            </ActionForm>
            <ActionForm action=switch>
                <input type="hidden" name="slug" value=switch_slug/>
                <input type="hidden" name="active" value=(!active).to_string()/>
                <button type="submit" class="button">
                    {d(if active { Dash::EventTypesDeactivate } else { Dash::EventTypesActivate })}
                    <span class="visually-hidden">{switch_named}</span>
                </button>
            </ActionForm>
            <DeleteControl slug title delete/>
        </div>
    }
}

/// Asks the list to reload once `outcome` succeeds; a failure leaves the card and its message.
fn refetch_on_success<S>(outcome: S, refresh: RwSignal<u32>)
where
    S: With<Value = Option<Result<(), AppError>>> + Copy + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if outcome.with(|o| matches!(o, Some(Ok(())))) {
            refresh.update(|n| *n += 1);
        }
    });
}

/// Delete behind a confirmation, with focus moved to whichever button is now in front.
#[component]
fn DeleteControl(slug: String, title: String, delete: ServerAction<DeleteEventType>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let (ask, confirm) = (NodeRef::<Button>::new(), NodeRef::<Button>::new());
    let show = move |open: bool| {
        confirming.set(open);
        let target = if open { confirm } else { ask };
        request_animation_frame(move || {
            if let Some(button) = target.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    let question = df(Dash::EventTypesDeleteQuestion, &[("title", &title)]);
    view! {
        <button type="button" class="button button-danger" node_ref=ask hidden=move || confirming.get() on:click=move |_| show(true)>
            {d(Dash::EventTypesDelete)}<span class="visually-hidden">{format!(" {title}")}</span>
        </button>
        <div class="et-confirm" role="group" aria-label=d(Dash::EventTypesConfirmDeletion) hidden=move || !confirming.get()>
            <p>{question}</p>
            <ActionForm action=delete>
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button button-danger-solid" node_ref=confirm disabled=move || delete.pending().get()>
                    {d(Dash::EventTypesDeleteConfirm)}
                </button>
            </ActionForm>
            <button type="button" class="button" on:click=move |_| show(false)>{d(Dash::EventTypesCancel)}</button>
        </div>
    }
}
