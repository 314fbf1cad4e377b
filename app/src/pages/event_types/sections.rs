//! The parts of the event type form, one card each: basics, scheduling, location, hosts,
//! notifications, status (and booking questions, in `questions`).

use super::controls::{FieldFrame, NumberControl, TextControl, described_by, invalid};
use super::editor::{FormState, suggest_slug};
use crate::api::HostOption;
use crate::components::field_error;
use crate::error::AppError;
use crate::lang::{Dash, d, df};
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
        <Section title=d(Dash::EventTypesBasics) text=d(Dash::EventTypesBasicsText)>
            <FieldFrame name="title" label=d(Dash::EventTypesTitleLabel) error=error("title")>
                <TextControl name="title" value=state.title error=error("title") placeholder=d(Dash::EventTypesTitlePlaceholder)/>
            </FieldFrame>
            <FieldFrame
                name="slug"
                label=d(Dash::EventTypesSlugLabel)
                hint=d(Dash::EventTypesSlugHint)
                error=error("slug")
            >
                <TextControl name="slug" value=state.slug error=error("slug") prefix=link_prefix/>
            </FieldFrame>
            <FieldFrame
                name="description"
                label=d(Dash::EventTypesDescriptionLabel)
                hint=d(Dash::EventTypesDescriptionHint)
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
                    {df(Dash::EventTypesPreset, &[("minutes", minutes)])}
                </button>
            }
        })
        .collect_view();
    let interval_hint = Signal::derive(move || match duration.get().trim() {
        "" => d(Dash::EventTypesIntervalHintEmpty).to_owned(),
        minutes => df(Dash::EventTypesIntervalHint, &[("minutes", minutes)]),
    });
    view! {
        <Section title=d(Dash::EventTypesScheduling) text=d(Dash::EventTypesSchedulingText)>
            <FieldFrame name="duration" label=d(Dash::EventTypesDurationLabel) hint=d(Dash::EventTypesDurationHint) error=error("duration")>
                <div class="presets" role="group" aria-label=d(Dash::EventTypesPresetsLabel)>{presets}</div>
                <NumberControl name="duration" value=duration error=error("duration") unit=d(Dash::EventTypesUnitMin)/>
            </FieldFrame>
            <FieldFrame name="interval" label=d(Dash::EventTypesIntervalLabel) hint=interval_hint error=error("interval")>
                <NumberControl name="interval" value=state.interval error=error("interval") unit=d(Dash::EventTypesUnitMin) placeholder=d(Dash::EventTypesIntervalPlaceholder)/>
            </FieldFrame>
            <div class="et-pair">
                <FieldFrame name="buffer_before" label=d(Dash::EventTypesBufferBeforeLabel) hint=d(Dash::EventTypesBufferBeforeHint) error=error("buffer_before")>
                    <NumberControl name="buffer_before" value=state.buffer_before error=error("buffer_before") unit=d(Dash::EventTypesUnitMin)/>
                </FieldFrame>
                <FieldFrame name="buffer_after" label=d(Dash::EventTypesBufferAfterLabel) hint=d(Dash::EventTypesBufferAfterHint) error=error("buffer_after")>
                    <NumberControl name="buffer_after" value=state.buffer_after error=error("buffer_after") unit=d(Dash::EventTypesUnitMin)/>
                </FieldFrame>
            </div>
            <FieldFrame name="minimum_notice" label=d(Dash::EventTypesNoticeLabel) hint=d(Dash::EventTypesNoticeHint) error=error("minimum_notice")>
                <div class="et-notice">
                    <NumberControl name="minimum_notice" value=state.minimum_notice error=error("minimum_notice")/>
                    <NoticeUnit unit=state.minimum_notice_unit/>
                </div>
            </FieldFrame>
            <div class="et-pair">
                <FieldFrame name="booking_window_days" label=d(Dash::EventTypesWindowLabel) hint=d(Dash::EventTypesWindowHint) error=error("booking_window_days")>
                    <NumberControl name="booking_window_days" value=state.booking_window_days error=error("booking_window_days") unit=d(Dash::EventTypesUnitDays) placeholder="730"/>
                </FieldFrame>
                <FieldFrame name="daily_limit" label=d(Dash::EventTypesLimitLabel) hint=d(Dash::EventTypesLimitHint) error=error("daily_limit")>
                    <NumberControl name="daily_limit" value=state.daily_limit error=error("daily_limit") unit=d(Dash::EventTypesLimitUnit) placeholder=d(Dash::EventTypesLimitPlaceholder)/>
                </FieldFrame>
            </div>
        </Section>
    }
}

#[component]
fn NoticeUnit(unit: RwSignal<String>) -> impl IntoView {
    let options = [
        ("minutes", d(Dash::EventTypesUnitMinutes)),
        ("hours", d(Dash::EventTypesUnitHours)),
        ("days", d(Dash::EventTypesUnitDays)),
    ]
    .into_iter()
    .map(|(value, text)| view! { <option value=value selected=unit.get_untracked() == value>{text}</option> })
    .collect_view();
    view! {
        <select
            name="minimum_notice_unit"
            aria-label=d(Dash::EventTypesNoticeUnitLabel)
            on:change=move |ev| unit.set(event_target_value(&ev))
        >
            {options}
        </select>
    }
}

/// Location kinds with their label, and what the detail field asks for (nothing for the meetings
/// made per booking, which have no detail).
const LOCATIONS: [(&str, Dash, Option<Dash>); 6] = [
    (
        "video",
        Dash::EventTypesLocationVideo,
        Some(Dash::EventTypesLocationVideoHint),
    ),
    (
        "phone",
        Dash::EventTypesLocationPhone,
        Some(Dash::EventTypesLocationPhoneHint),
    ),
    (
        "in_person",
        Dash::EventTypesLocationInPerson,
        Some(Dash::EventTypesLocationInPersonHint),
    ),
    (
        "custom",
        Dash::EventTypesLocationCustom,
        Some(Dash::EventTypesLocationCustomHint),
    ),
    ("google_meet", Dash::EventTypesLocationGoogleMeet, None),
    ("microsoft_teams", Dash::EventTypesLocationMicrosoftTeams, None),
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
        .map(|(value, label, _)| view! { <option value=value selected=kind.get_untracked() == value>{d(label)}</option> })
        .collect_view();
    let detail_hint = Signal::derive(move || {
        kind.with(|k| {
            LOCATIONS
                .iter()
                .find(|(value, ..)| *value == k.as_str())
                .map(|(.., hint)| (*hint).map(d).unwrap_or_default().to_owned())
        })
    });
    view! {
        <Section title=d(Dash::EventTypesLocation) text=d(Dash::EventTypesLocationText)>
            <FieldFrame name="location_kind" label=d(Dash::EventTypesLocation) error=error("location_kind")>
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
                {d(Dash::EventTypesLocationMeetingsNote)}
            </p>
            <div hidden=move || kind.with(|k| makes_meetings(k))>
                <FieldFrame name="location_detail" label=d(Dash::EventTypesLocationDetailLabel) hint=detail_hint error=error("location_detail")>
                    <TextControl name="location_detail" value=state.location_detail error=error("location_detail")/>
                </FieldFrame>
            </div>
        </Section>
    }
}

const MODES: [(&str, Dash, Dash); 3] = [
    ("single", Dash::EventTypesModeSingle, Dash::EventTypesModeSingleText),
    (
        "round_robin",
        Dash::EventTypesModeRoundRobin,
        Dash::EventTypesModeRoundRobinText,
    ),
    (
        "collective",
        Dash::EventTypesModeCollective,
        Dash::EventTypesModeCollectiveText,
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
                    <span class="choice-title">{d(title)}</span>
                    <span class="choice-text">{d(text)}</span>
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
        "single" => d(Dash::EventTypesHostsHintSingle),
        "collective" => d(Dash::EventTypesHostsHintCollective),
        _ => d(Dash::EventTypesHostsHintShared),
    };
    let (mode_error, hosts_error) = (field_error(failed, "mode"), field_error(failed, "hosts"));
    view! {
        <Section title=d(Dash::EventTypesHosting) text=d(Dash::EventTypesHostingText)>
            <fieldset class="field" aria-describedby="field-mode-error">
                <legend>{d(Dash::EventTypesMode)}</legend>
                <div class="choices">{modes}</div>
                <p class="field-error" id="field-mode-error" role="alert" hidden=move || mode_error.get().is_none()>{move || mode_error.get()}</p>
            </fieldset>
            <fieldset class="field" aria-describedby="field-hosts-hint field-hosts-error">
                <legend>{d(Dash::EventTypesHosts)}</legend>
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
                .map(|(_, why)| view! { <span class="host-note host-problem">{df(Dash::EventTypesCannotHost, &[("why", why.as_str())])}</span> })
        })
    };
    view! {
        <label class="host-choice">
            <input type="checkbox" name="hosts[]" value=host.id checked=checked/>
            <span class="avatar" aria-hidden="true">{initials}</span>
            <span class="host-name">{host.name}</span>
            {(!host.accepts_bookings).then(|| view! { <span class="host-note">{d(Dash::EventTypesNotTakingBookings)}</span> })}
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
        <Section title=d(Dash::EventTypesNotifications) text=d(Dash::EventTypesNotificationsText)>
            <Switch name="reminder_24h" label=d(Dash::EventTypesReminder24h) checked=reminder_24h/>
            <Switch name="reminder_1h" label=d(Dash::EventTypesReminder1h) checked=reminder_1h/>
            <FieldFrame
                name="change_notice"
                label=d(Dash::EventTypesChangeNoticeLabel)
                hint=d(Dash::EventTypesChangeNoticeHint)
                error=error("change_notice")
            >
                <NumberControl name="change_notice" value=state.change_notice error=error("change_notice") unit=d(Dash::EventTypesChangeNoticeUnit)/>
            </FieldFrame>
        </Section>
    }
}

#[component]
pub fn StatusSection(active: bool) -> impl IntoView {
    view! {
        <Section title=d(Dash::EventTypesStatus) text=d(Dash::EventTypesStatusText)>
            <Switch name="active" label=d(Dash::EventTypesActive) checked=active hint=d(Dash::EventTypesActiveHint)/>
        </Section>
    }
}
