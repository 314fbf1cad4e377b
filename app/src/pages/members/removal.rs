//! Removing a member behind a modal dialog that first shows what happens to each of their
//! upcoming bookings (moved to another host, or cancelled), computed by the server.

use crate::api::{PreviewMemberRemoval, RemovalPlan, RemoveMember};
use crate::components::{ErrorBanner, failure, form_error};
use leptos::html::{Dialog, Div};
use leptos::prelude::*;

/// The page-wide removal state; rows open it, the dialog and the outcome banner read it.
#[derive(Clone, Copy)]
pub struct Removal {
    dialog: NodeRef<Dialog>,
    preview: ServerAction<PreviewMemberRemoval>,
    pub remove: ServerAction<RemoveMember>,
}

impl Removal {
    pub fn new() -> Self {
        Self {
            dialog: NodeRef::new(),
            preview: ServerAction::new(),
            remove: ServerAction::new(),
        }
    }

    /// Asks the server what removing `member` would do and opens the dialog while it answers.
    pub fn ask(self, member: i64) {
        self.remove.clear();
        self.preview.dispatch(PreviewMemberRemoval { member });
        if let Some(dialog) = self.dialog.get_untracked() {
            let _ = dialog.show_modal();
        }
    }

    fn close(self) {
        if let Some(dialog) = self.dialog.get_untracked() {
            dialog.close();
        }
    }
}

#[component]
pub fn RemovalDialog(removal: Removal) -> impl IntoView {
    let plan = move || removal.preview.value().get().and_then(Result::ok);
    let preview_error = form_error(failure(removal.preview.value()));
    let remove_error = form_error(failure(removal.remove.value()));
    let busy = move || removal.preview.pending().get() || removal.remove.pending().get();
    Effect::new(move || {
        if removal.remove.value().with(|v| matches!(v, Some(Ok(_)))) {
            removal.close();
        }
    });
    let confirm = move |_| {
        if let Some(plan) = plan() {
            removal.remove.dispatch(RemoveMember { member: plan.member });
        }
    };
    let title = move || plan().map_or_else(|| "Remove member".to_owned(), |p| format!("Remove {}?", p.member_name));
    view! {
        <dialog class="dialog" node_ref=removal.dialog aria-labelledby="removal-title">
            <h2 id="removal-title">{title}</h2>
            <ErrorBanner message=preview_error/>
            <ErrorBanner message=remove_error/>
            {move || match plan() {
                Some(plan) => view! { <PlanSummary plan/> }.into_any(),
                None => view! { <p class="muted" aria-busy="true">"Checking their upcoming bookings…"</p> }.into_any(),
            }}
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| removal.close()>"Keep member"</button>
                <button type="button" class="button button-danger-solid" disabled=move || busy() || plan().is_none()
                    on:click=confirm>
                    {move || plan().map_or_else(|| "Remove".to_owned(), |p| format!("Remove {}", p.member_name))}
                </button>
            </div>
        </dialog>
    }
}

#[component]
fn PlanSummary(plan: RemovalPlan) -> impl IntoView {
    let name = plan.member_name.clone();
    let access = format!(
        "{name} is signed out, can no longer sign in, loses their API keys and is taken off every event type. \
         Their past bookings stay in the history."
    );
    let bookings =
        if plan.bookings.is_empty() {
            view! { <p>{format!("{name} has no upcoming bookings.")}</p> }.into_any()
        } else {
            let items = plan
            .bookings
            .iter()
            .map(|b| {
                let outcome = b.moves_to.as_ref().map_or_else(
                    || "Cancelled; the attendee is told the host is no longer available".to_owned(),
                    |to| format!("Moves to {to}"),
                );
                let class = if b.moves_to.is_some() { "pill pill-confirmed" } else { "pill pill-cancelled" };
                view! { <li><span>{b.when.clone()}" · "{b.what.clone()}</span><span class=class>{outcome}</span></li> }
            })
            .collect_view();
            view! {
                <p>{outcome_sentence(&plan)}" Times in "{plan.zone.clone()}"."</p>
                <ul class="plain-list removal-list">{items}</ul>
            }
            .into_any()
        };
    view! { <p>{access}</p>{bookings} }
}

/// "2 upcoming bookings: 1 moves to another host, 1 is cancelled."
fn outcome_sentence(plan: &RemovalPlan) -> String {
    format!(
        "{}: {} to another host, {}.",
        count(plan.bookings.len(), "upcoming booking", "upcoming bookings"),
        count(plan.moved(), "moves", "move"),
        count(plan.cancelled(), "is cancelled", "are cancelled"),
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Says what the last removal did; focus lands here because the removed row is gone.
#[component]
pub fn RemovalOutcome(removal: Removal) -> impl IntoView {
    let banner = NodeRef::<Div>::new();
    let done = move || removal.remove.value().get().and_then(Result::ok);
    Effect::new(move || {
        if done().is_some()
            && let Some(banner) = banner.get()
        {
            let _ = banner.focus();
        }
    });
    let message = move || {
        done().map(|plan| {
            format!(
                "{} was removed. {} to another host, {}.",
                plan.member_name,
                count(plan.moved(), "booking moved", "bookings moved"),
                count(plan.cancelled(), "booking cancelled", "bookings cancelled"),
            )
        })
    };
    view! {
        <div class="banner banner-success" role="status" tabindex="-1" node_ref=banner hidden=move || done().is_none()>
            {message}
        </div>
    }
}
