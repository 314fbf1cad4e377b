//! An endpoint's delivery log: newest first, each with the answer it got, and Resend; Send test
//! event; Refresh, and checking again by itself while a delivery is about to be answered, so a
//! test event's result shows without reloading the page.

use crate::api::{DeliveryLog, DeliveryRow, DeliveryState, ResendWebhookDelivery, SendTestWebhook, webhook_deliveries};
use crate::components::{ErrorBanner, PageError, SubmitButton, failure, form_error};
use crate::error::AppError;
use crate::lang::{Dash, d, df};
use leptos::either::Either;
use leptos::prelude::*;
use std::time::Duration;

/// How soon the log looks again while a delivery is about to be answered.
const CHECK_AGAIN: Duration = Duration::from_millis(1500);

/// The log and what changes it, created by the page outside its Transitions.
#[derive(Clone, Copy)]
pub struct Deliveries {
    log: Resource<Result<DeliveryLog, AppError>>,
    refresh: RwSignal<u32>,
    send_test: ServerAction<SendTestWebhook>,
    resend: ServerAction<ResendWebhookDelivery>,
}

impl Deliveries {
    pub fn new(endpoint: Memo<i64>) -> Self {
        let refresh = RwSignal::new(0_u32);
        let send_test = ServerAction::<SendTestWebhook>::new();
        let resend = ServerAction::<ResendWebhookDelivery>::new();
        let log = Resource::new(
            move || {
                let versions = (refresh.get(), send_test.version().get(), resend.version().get());
                (endpoint.get(), versions)
            },
            |(id, _)| webhook_deliveries(id),
        );
        let deliveries = Self {
            log,
            refresh,
            send_test,
            resend,
        };
        deliveries.check_while_settling();
        deliveries
    }

    fn reload(self) {
        self.refresh.update(|n| *n += 1);
    }

    /// After each load that found a delivery about to be answered, loads again a little later
    /// (in the browser only; leaving the page cancels it).
    fn check_while_settling(self) {
        Effect::new(move |_| {
            let settling = matches!(self.log.get(), Some(Ok(log)) if log.settling);
            if settling && let Ok(handle) = set_timeout_with_handle(move || self.reload(), CHECK_AGAIN) {
                on_cleanup(move || handle.clear());
            }
        });
    }
}

#[component]
pub fn DeliveriesCard(id: i64, deliveries: Deliveries) -> impl IntoView {
    let Deliveries {
        log, send_test, resend, ..
    } = deliveries;
    let errors = [failure(send_test.value()), failure(resend.value())].map(form_error);
    let message = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    view! {
        <section class="card" aria-labelledby="wh-deliveries-heading">
            <div class="card-header">
                <h2 id="wh-deliveries-heading">{d(Dash::WebhooksDeliveries)}</h2>
                <div class="button-row">
                    <ActionForm action=send_test>
                        <input type="hidden" name="id" value=id/>
                        <SubmitButton label=d(Dash::WebhooksSendTest) busy_label=d(Dash::WebhooksSending) pending=send_test.pending()/>
                    </ActionForm>
                    <button type="button" class="button" on:click=move |_| deliveries.reload()>{d(Dash::WebhooksRefresh)}</button>
                </div>
            </div>
            <p class="muted">{d(Dash::WebhooksLogHint)}" "<code>"webhook.test"</code>"."</p>
            <ErrorBanner message/>
            <Transition fallback=|| view! { <div class="skeleton" aria-busy="true"></div> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(log) => Either::Left(view! { <LogTable endpoint=id log resend/> }),
                        Err(error) => Either::Right(view! { <PageError error forbidden=d(Dash::WebhooksAdminsOnly)/> }),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LogTable(endpoint: i64, log: DeliveryLog, resend: ServerAction<ResendWebhookDelivery>) -> impl IntoView {
    if log.deliveries.is_empty() {
        return Either::Left(view! {
            <p class="muted wh-log-empty">{d(Dash::WebhooksLogEmpty)}</p>
        });
    }
    let rows = log
        .deliveries
        .into_iter()
        .map(|delivery| view! { <LogRow endpoint delivery resend/> })
        .collect_view();
    Either::Right(view! {
        <table class="table stacked wh-log">
            <caption class="visually-hidden">{d(Dash::WebhooksLogCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{d(Dash::WebhooksColEvent)}</th>
                    <th scope="col">{d(Dash::WebhooksColResult)}</th>
                    <th scope="col">{d(Dash::WebhooksColResponse)}</th>
                    <th scope="col">{d(Dash::WebhooksColAttempts)}</th>
                    <th scope="col">{d(Dash::WebhooksColTime)}</th>
                    <th scope="col">{d(Dash::WebhooksColDetails)}</th>
                    <th scope="col"><span class="visually-hidden">{d(Dash::WebhooksColActions)}</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}

#[component]
fn LogRow(endpoint: i64, delivery: DeliveryRow, resend: ServerAction<ResendWebhookDelivery>) -> impl IntoView {
    let pill = match delivery.state {
        DeliveryState::Delivered => "pill pill-confirmed",
        DeliveryState::Failed => "pill pill-cancelled",
        DeliveryState::Pending => "pill",
    };
    let label = df(
        Dash::WebhooksResendLabel,
        &[("event", &delivery.event), ("when", &delivery.when)],
    );
    let resend_form = delivery.resendable.then(|| {
        view! {
            <ActionForm action=resend>
                <input type="hidden" name="endpoint" value=endpoint/>
                <input type="hidden" name="delivery" value=delivery.id/>
                <button type="submit" class="button" aria-label=label>{d(Dash::WebhooksResend)}</button>
            </ActionForm>
        }
    });
    view! {
        <tr>
            <th scope="row" class="stacked-title"><code>{delivery.event}</code></th>
            <td class="wh-result" data-label=d(Dash::WebhooksColResult)><span class=pill>{delivery.state_label}</span></td>
            <td class="wh-response" data-label=d(Dash::WebhooksColResponse)>{delivery.response}</td>
            <td class="wh-attempts" data-label=d(Dash::WebhooksColAttempts)>{delivery.attempts}</td>
            <td class="wh-when" data-label=d(Dash::WebhooksColTime)>{delivery.when}</td>
            <td class="wh-detail" data-label=d(Dash::WebhooksColDetails)>
                {delivery.error.map(|error| view! { <p class="wh-error">{error}</p> })}
                {delivery.excerpt.map(|excerpt| view! { <code class="wh-excerpt">{excerpt}</code> })}
            </td>
            <td class="actions stacked-actions">{resend_form}</td>
        </tr>
    }
}
