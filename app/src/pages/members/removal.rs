//! Removing a member behind a modal dialog that first shows what happens to each of their
//! upcoming bookings (moved to another host, or cancelled), computed by the server.

use crate::api::{PreviewMemberRemoval, RemovalPlan, RemoveMember};
use crate::components::{ErrorBanner, failure, form_error};
use crate::lang::{Dash, d, df};
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
    let title = move || {
        plan().map_or_else(
            || d(Dash::MembersRemoveMember).to_owned(),
            |p| df(Dash::MembersRemoveTitle, &[("name", &p.member_name)]),
        )
    };
    view! {
        <dialog class="dialog" node_ref=removal.dialog aria-labelledby="removal-title">
            <h2 id="removal-title">{title}</h2>
            <ErrorBanner message=preview_error/>
            <ErrorBanner message=remove_error/>
            {move || match plan() {
                Some(plan) => view! { <PlanSummary plan/> }.into_any(),
                None => view! { <p class="muted" aria-busy="true">{d(Dash::MembersChecking)}</p> }.into_any(),
            }}
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| removal.close()>{d(Dash::MembersKeepMember)}</button>
                <button type="button" class="button button-danger-solid" disabled=move || busy() || plan().is_none()
                    on:click=confirm>
                    {move || {
                        plan().map_or_else(
                            || d(Dash::MembersRemove).to_owned(),
                            |p| df(Dash::MembersRemoveNamed, &[("name", &p.member_name)]),
                        )
                    }}
                </button>
            </div>
        </dialog>
    }
}

#[component]
fn PlanSummary(plan: RemovalPlan) -> impl IntoView {
    let name = plan.member_name.clone();
    let access = df(Dash::MembersRemovalAccess, &[("name", &name)]);
    let bookings =
        if plan.bookings.is_empty() {
            view! { <p>{df(Dash::MembersNoUpcoming, &[("name", &name)])}</p> }.into_any()
        } else {
            let items = plan
            .bookings
            .iter()
            .map(|b| {
                let outcome = b.moves_to.as_ref().map_or_else(
                    || d(Dash::MembersBookingCancelled).to_owned(),
                    |to| df(Dash::MembersBookingMoves, &[("host", to.as_str())]),
                );
                let class = if b.moves_to.is_some() { "pill pill-confirmed" } else { "pill pill-cancelled" };
                view! { <li><span>{b.when.clone()}" · "{b.what.clone()}</span><span class=class>{outcome}</span></li> }
            })
            .collect_view();
            view! {
                <p>{outcome_sentence(&plan)}" "{df(Dash::MembersTimesIn, &[("zone", &plan.zone)])}</p>
                <ul class="plain-list removal-list">{items}</ul>
            }
            .into_any()
        };
    view! { <p>{access}</p>{bookings} }
}

/// "2 upcoming bookings: 1 moves to another host, 1 is cancelled."
fn outcome_sentence(plan: &RemovalPlan) -> String {
    let bookings = count(
        plan.bookings.len(),
        Dash::MembersPlanBookingsOne,
        Dash::MembersPlanBookingsOther,
    );
    let moved = count(plan.moved(), Dash::MembersPlanMovesOne, Dash::MembersPlanMovesOther);
    let cancelled = count(
        plan.cancelled(),
        Dash::MembersPlanCancelledOne,
        Dash::MembersPlanCancelledOther,
    );
    df(
        Dash::MembersPlan,
        &[("bookings", &bookings), ("moved", &moved), ("cancelled", &cancelled)],
    )
}

/// `n` with the text for one or for several (each holds `{n}`).
fn count(n: usize, one: Dash, many: Dash) -> String {
    df(if n == 1 { one } else { many }, &[("n", &n.to_string())])
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
            let moved = count(
                plan.moved(),
                Dash::MembersRemovedMovedOne,
                Dash::MembersRemovedMovedOther,
            );
            let cancelled = count(
                plan.cancelled(),
                Dash::MembersRemovedCancelledOne,
                Dash::MembersRemovedCancelledOther,
            );
            df(
                Dash::MembersRemoved,
                &[
                    ("name", &plan.member_name),
                    ("moved", &moved),
                    ("cancelled", &cancelled),
                ],
            )
        })
    };
    view! {
        <div class="banner banner-success" role="status" tabindex="-1" node_ref=banner hidden=move || done().is_none()>
            {message}
        </div>
    }
}
