//! The parts of the event type form, one card each: basics, scheduling, location, hosts,
//! notifications, status (and booking questions, in `questions`).

use super::controls::{FieldFrame, NumberControl, TextControl, described_by, invalid};
use super::editor::{FormState, suggest_slug};
use crate::api::HostOption;
use crate::components::field_error;
use crate::error::AppError;
use leptos::prelude::*;

type Failure = Signal<Option<AppError>>;

#[component]
pub fn Section(title: &'static str, text: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="card et-section">
            <div class="et-section-intro">
                <h2>{title}</h2>
                <p class="muted">{text}</p>
            </div>
            <div class="et-section-fields">{children()}</div>
        </section>
    }
}

#[component]
pub fn BasicsSection(state: FormState, failed: Failure, creating: bool, link_prefix: String) -> impl IntoView {
    // While creating, the URL name follows the title until someone types a different one.
    Effect::new(move |previous: Option<String>| {
        let suggestion = suggest_slug(&state.title.get());
        let slug = state.slug.get_untracked();
        if creating && (slug.is_empty() || previous.is_some_and(|p| p == slug)) {
            state.slug.set(suggestion.clone());
        }
        suggestion
    });
    let error = move |name| field_error(failed, name);
    view! {
        <Section title="Basics" text="What prospects see on the booking page.">
            <FieldFrame name="title" label="Title" error=error("title")>
                <TextControl name="title" value=state.title error=error("title") placeholder="Product demo"/>
            </FieldFrame>
            <FieldFrame
                name="slug"
                label="URL name"
                hint="Lower-case letters, digits and hyphens."
                error=error("slug")
            >
                <TextControl name="slug" value=state.slug error=error("slug") prefix=link_prefix/>
            </FieldFrame>
            <FieldFrame
                name="description"
                label="Description"
                hint="Optional. Tell prospects what the meeting covers."
                error=error("description")
            >
                <textarea
                    id="field-description"
                    name="description"
                    rows="4"
                    prop:value=move || state.description.get()
                    on:input=move |ev| state.description.set(event_target_value(&ev))
                    aria-invalid=invalid(error("description"))
                    aria-describedby=described_by("description")
                >
                    {state.description.get_untracked()}
                </textarea>
            </FieldFrame>
        </Section>
    }
}

const PRESETS: [&str; 4] = ["15", "30", "45", "60"];

#[component]
pub fn SchedulingSection(state: FormState, failed: Failure) -> impl IntoView {
    let error = move |name| field_error(failed, name);
    let duration = state.duration;
    let presets = PRESETS
        .into_iter()
        .map(|minutes| {
            view! {
                <button
                    type="button"
                    class="preset"
                    aria-pressed=move || (duration.get() == minutes).to_string()
                    on:click=move |_| duration.set(minutes.to_owned())
                >
                    {minutes}" min"
                </button>
            }
        })
        .collect_view();
    let interval_hint = Signal::derive(move || match duration.get().trim() {
        "" => "How often start times are offered. Empty: every meeting length.".to_owned(),
        d => format!("How often start times are offered. Empty: every {d} minutes."),
    });
    view! {
        <Section title="Scheduling" text="How long meetings last and when they can be booked.">
            <FieldFrame name="duration" label="Duration" hint="Pick a length or type any number of minutes." error=error("duration")>
                <div class="presets" role="group" aria-label="Preset lengths">{presets}</div>
                <NumberControl name="duration" value=duration error=error("duration") unit="min"/>
            </FieldFrame>
            <FieldFrame name="interval" label="Slot interval" hint=interval_hint error=error("interval")>
                <NumberControl name="interval" value=state.interval error=error("interval") unit="min" placeholder="Same as duration"/>
            </FieldFrame>
            <div class="et-pair">
                <FieldFrame name="buffer_before" label="Buffer before" hint="Free time kept before each meeting." error=error("buffer_before")>
                    <NumberControl name="buffer_before" value=state.buffer_before error=error("buffer_before") unit="min"/>
                </FieldFrame>
                <FieldFrame name="buffer_after" label="Buffer after" hint="Free time kept after each meeting." error=error("buffer_after")>
                    <NumberControl name="buffer_after" value=state.buffer_after error=error("buffer_after") unit="min"/>
                </FieldFrame>
            </div>
            <FieldFrame name="minimum_notice" label="Minimum notice" hint="The shortest time between booking and meeting." error=error("minimum_notice")>
                <div class="et-notice">
                    <NumberControl name="minimum_notice" value=state.minimum_notice error=error("minimum_notice")/>
                    <NoticeUnit unit=state.minimum_notice_unit/>
                </div>
            </FieldFrame>
            <div class="et-pair">
                <FieldFrame name="booking_window_days" label="Booking window" hint="How far ahead people can book. Empty: up to two years." error=error("booking_window_days")>
                    <NumberControl name="booking_window_days" value=state.booking_window_days error=error("booking_window_days") unit="days" placeholder="730"/>
                </FieldFrame>
                <FieldFrame name="daily_limit" label="Daily limit per host" hint="Most meetings of this type a host takes a day. Empty: no limit." error=error("daily_limit")>
                    <NumberControl name="daily_limit" value=state.daily_limit error=error("daily_limit") unit="per day" placeholder="No limit"/>
                </FieldFrame>
            </div>
        </Section>
    }
}

#[component]
fn NoticeUnit(unit: RwSignal<String>) -> impl IntoView {
    let options = [("minutes", "minutes"), ("hours", "hours"), ("days", "days")]
        .into_iter()
        .map(|(value, text)| view! { <option value=value selected=unit.get_untracked() == value>{text}</option> })
        .collect_view();
    view! {
        <select
            name="minimum_notice_unit"
            aria-label="Unit of notice"
            on:change=move |ev| unit.set(event_target_value(&ev))
        >
            {options}
        </select>
    }
}

/// Location kinds with their label, and what the detail field asks for (nothing for the meetings
/// made per booking, which have no detail).
const LOCATIONS: [(&str, &str, &str); 6] = [
    (
        "video",
        "Video call",
        "Meeting link, e.g. https://meet.example.com/team. Empty: sent later.",
    ),
    (
        "phone",
        "Phone call",
        "The number attendees call. Empty: you call them.",
    ),
    ("in_person", "In person", "The address where you meet."),
    (
        "custom",
        "Something else",
        "What attendees should know about where you meet.",
    ),
    ("google_meet", "Google Meet, a new meeting per booking", ""),
    ("microsoft_teams", "Microsoft Teams, a new meeting per booking", ""),
];

/// Whether the location kind makes a meeting per booking (no detail to type).
fn makes_meetings(kind: &str) -> bool {
    matches!(kind, "google_meet" | "microsoft_teams")
}

#[component]
pub fn LocationSection(state: FormState, failed: Failure) -> impl IntoView {
    let error = move |name| field_error(failed, name);
    let kind = state.location_kind;
    let options = LOCATIONS
        .into_iter()
        .map(|(value, label, _)| view! { <option value=value selected=kind.get_untracked() == value>{label}</option> })
        .collect_view();
    let detail_hint = Signal::derive(move || {
        kind.with(|k| {
            LOCATIONS
                .iter()
                .find(|(value, ..)| *value == k.as_str())
                .map(|(.., hint)| (*hint).to_owned())
        })
    });
    view! {
        <Section title="Location" text="Where the meeting happens; attendees see it when they book.">
            <FieldFrame name="location_kind" label="Location" error=error("location_kind")>
                <select
                    id="field-location_kind"
                    name="location_kind"
                    on:change=move |ev| kind.set(event_target_value(&ev))
                    aria-invalid=invalid(error("location_kind"))
                    aria-describedby=described_by("location_kind")
                >
                    {options}
                </select>
            </FieldFrame>
            <p class="field-hint" hidden=move || !kind.with(|k| makes_meetings(k))>
                "Each booking gets its own meeting in the organizer's calendar, so every host needs that \
                 calendar connected for bookings; the hosts below say who cannot yet."
            </p>
            <div hidden=move || kind.with(|k| makes_meetings(k))>
                <FieldFrame name="location_detail" label="Location details" hint=detail_hint error=error("location_detail")>
                    <TextControl name="location_detail" value=state.location_detail error=error("location_detail")/>
                </FieldFrame>
            </div>
        </Section>
    }
}

const MODES: [(&str, &str, &str); 3] = [
    ("single", "One host", "One person takes every meeting."),
    (
        "round_robin",
        "Round robin",
        "Each meeting goes to one free host, spreading the load.",
    ),
    (
        "collective",
        "Collective",
        "All hosts attend; only times everyone is free are offered.",
    ),
];

#[component]
pub fn HostsSection(state: FormState, failed: Failure, members: Vec<HostOption>, chosen: Vec<String>) -> impl IntoView {
    let mode = state.mode;
    let modes = MODES
        .into_iter()
        .map(|(value, title, text)| {
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name="mode"
                        value=value
                        checked=mode.get_untracked() == value
                        on:change=move |_| mode.set(value.to_owned())
                    />
                    <span class="choice-title">{title}</span>
                    <span class="choice-text">{text}</span>
                </label>
            }
        })
        .collect_view();
    let hosts = members
        .into_iter()
        .map(|m| {
            let checked = chosen.contains(&m.id);
            view! { <HostChoice host=m checked location=state.location_kind/> }
        })
        .collect_view();
    let host_hint = move || match mode.get().as_str() {
        "single" => "Choose exactly one host.",
        "collective" => "Choose everyone who attends.",
        _ => "Choose the hosts who share these meetings.",
    };
    let (mode_error, hosts_error) = (field_error(failed, "mode"), field_error(failed, "hosts"));
    view! {
        <Section title="Hosting" text="Who takes these meetings, and how they share them.">
            <fieldset class="field" aria-describedby="field-mode-error">
                <legend>"Mode"</legend>
                <div class="choices">{modes}</div>
                <p class="field-error" id="field-mode-error" role="alert" hidden=move || mode_error.get().is_none()>{move || mode_error.get()}</p>
            </fieldset>
            <fieldset class="field" aria-describedby="field-hosts-hint field-hosts-error">
                <legend>"Hosts"</legend>
                <p class="field-hint" id="field-hosts-hint">{host_hint}</p>
                <div class="host-list">{hosts}</div>
                <p class="field-error" id="field-hosts-error" role="alert" hidden=move || hosts_error.get().is_none()>{move || hosts_error.get()}</p>
            </fieldset>
        </Section>
    }
}

#[component]
fn HostChoice(host: HostOption, checked: bool, location: RwSignal<String>) -> impl IntoView {
    let initials = super::initials(&host.name);
    let problems = host.meeting_problems;
    let meeting_problem = move || {
        location.with(|kind| {
            problems
                .iter()
                .find(|(k, _)| k == kind)
                .map(|(_, why)| view! { <span class="host-note host-problem">{format!("Cannot host this meeting: {why}")}</span> })
        })
    };
    view! {
        <label class="host-choice">
            <input type="checkbox" name="hosts[]" value=host.id checked=checked/>
            <span class="avatar" aria-hidden="true">{initials}</span>
            <span class="host-name">{host.name}</span>
            {(!host.accepts_bookings).then(|| view! { <span class="host-note">"Not taking bookings"</span> })}
            {meeting_problem}
        </label>
    }
}

/// A checkbox shown as a switch, sent as `{name}=on` while on, with an optional hint below it.
#[component]
pub fn Switch(
    name: &'static str,
    label: &'static str,
    checked: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("field-{name}-hint");
    view! {
        <label class="switch">
            <input type="checkbox" role="switch" name=name checked=checked aria-describedby=hint.map(|_| hint_id.clone())/>
            <span class="switch-label">{label}</span>
        </label>
        {hint.map(|text| view! { <p class="field-hint" id=hint_id>{text}</p> })}
    }
}

#[component]
pub fn NotificationsSection(state: FormState, failed: Failure, reminder_24h: bool, reminder_1h: bool) -> impl IntoView {
    let error = move |name| field_error(failed, name);
    view! {
        <Section title="Notifications" text="Emails attendees get before the meeting, and how late they can change it.">
            <Switch name="reminder_24h" label="Email a reminder 24 hours before" checked=reminder_24h/>
            <Switch name="reminder_1h" label="Email a reminder 1 hour before" checked=reminder_1h/>
            <FieldFrame
                name="change_notice"
                label="Attendees can reschedule or cancel until"
                hint="After that, the links in their emails no longer change the booking. 0: until it starts."
                error=error("change_notice")
            >
                <NumberControl name="change_notice" value=state.change_notice error=error("change_notice") unit="minutes before the start"/>
            </FieldFrame>
        </Section>
    }
}

#[component]
pub fn StatusSection(active: bool) -> impl IntoView {
    view! {
        <Section title="Status" text="Inactive event types keep their bookings, but nobody can book them.">
            <Switch name="active" label="Active" checked=active hint="Prospects can book it from its link and your embeds."/>
        </Section>
    }
}
