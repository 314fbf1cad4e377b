//! Email (admins): where booking emails go, the deliveries that gave up (each with a Retry) and,
//! when no SMTP server is set up, the outbox folder's messages to read.

use crate::api::{FailedRow, MailOverview, OutboxMessage, OutboxRow, OutboxView, RetryDelivery, email_overview};
use crate::components::{ErrorBanner, PageError, failure, form_error};
use crate::lang::{Dash, d, df};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EmailPage() -> impl IntoView {
    let retry = ServerAction::<RetryDelivery>::new();
    let overview = Resource::new(move || retry.version().get(), |_| email_overview());
    let retried = Signal::derive(move || matches!(retry.value().get(), Some(Ok(()))));
    view! {
        <Title text=d(Dash::EmailTitle)/>
        <header class="page-header">
            <div>
                <h1>{d(Dash::EmailTitle)}</h1>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        overview.await.ok().map(|o| view! { <p class="muted email-where">{where_mail_goes(&o)}</p> })
                    })}
                </Transition>
            </div>
        </header>
        <div class="banner banner-success email-retried" role="status" hidden=move || !retried.get()>
            {d(Dash::EmailRetried)}
        </div>
        <Transition fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => Either::Left(view! { <Overview overview retry/> }),
                    Err(error) => Either::Right(view! { <PageError error forbidden=d(Dash::EmailAdminsOnly)/> }),
                }
            })}
        </Transition>
    }
}

/// One line on where mail goes; with SMTP it is also why there is no outbox to read.
fn where_mail_goes(overview: &MailOverview) -> String {
    match overview.outbox {
        Some(_) => df(Dash::EmailWhereOutbox, &[("transport", &overview.transport)]),
        None => df(Dash::EmailWhereSmtp, &[("transport", &overview.transport)]),
    }
}

#[component]
fn Overview(overview: MailOverview, retry: ServerAction<RetryDelivery>) -> impl IntoView {
    view! {
        <FailedDeliveries failed=overview.failed retry/>
        {overview.outbox.map(|messages| view! { <Outbox messages/> })}
    }
}

#[component]
fn FailedDeliveries(failed: Vec<FailedRow>, retry: ServerAction<RetryDelivery>) -> impl IntoView {
    let retry_error = form_error(failure(retry.value()));
    let list = if failed.is_empty() {
        Either::Left(view! { <p class="muted">{d(Dash::EmailNoFailed)}</p> })
    } else {
        let rows = failed
            .into_iter()
            .map(|row| view! { <FailedLine row retry/> })
            .collect_view();
        Either::Right(view! {
            <table class="table stacked email-failed">
                <caption class="visually-hidden">{d(Dash::EmailFailedTitle)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{d(Dash::EmailColEmail)}</th>
                        <th scope="col">{d(Dash::EmailColAttempts)}</th>
                        <th scope="col">{d(Dash::EmailColLastError)}</th>
                        <th scope="col">{d(Dash::EmailColFailed)}</th>
                        <th scope="col"><span class="visually-hidden">{d(Dash::EmailColActions)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    view! {
        <section class="card" aria-labelledby="failed-deliveries">
            <h2 id="failed-deliveries">{d(Dash::EmailFailedTitle)}</h2>
            <p class="muted">{d(Dash::EmailFailedHint)}</p>
            <ErrorBanner message=retry_error/>
            {list}
        </section>
    }
}

#[component]
fn FailedLine(row: FailedRow, retry: ServerAction<RetryDelivery>) -> impl IntoView {
    let label = df(Dash::EmailRetryLabel, &[("label", &row.label)]);
    view! {
        <tr>
            <th scope="row" class="stacked-title">{row.label}</th>
            <td class="email-attempts" data-label=d(Dash::EmailColAttempts)>{row.attempts}</td>
            <td class="email-error-cell" data-label=d(Dash::EmailColLastError)><code class="email-error">{row.last_error}</code></td>
            <td class="email-when" data-label=d(Dash::EmailColFailed)>{row.failed}</td>
            <td class="actions stacked-actions">
                <ActionForm action=retry>
                    <input type="hidden" name="id" value=row.id/>
                    <button type="submit" class="button" aria-label=label>{d(Dash::EmailRetry)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn Outbox(messages: Vec<OutboxRow>) -> impl IntoView {
    let list = if messages.is_empty() {
        Either::Left(view! { <p class="muted">{d(Dash::EmailOutboxEmpty)}</p> })
    } else {
        let items = messages
            .into_iter()
            .map(|message| view! { <OutboxItem message/> })
            .collect_view();
        Either::Right(view! { <ul class="email-outbox" aria-labelledby="outbox">{items}</ul> })
    };
    view! {
        <section class="card" aria-labelledby="outbox">
            <h2 id="outbox">{d(Dash::EmailOutbox)}</h2>
            <p class="muted">{d(Dash::EmailOutboxHint)}</p>
            {list}
        </section>
    }
}

/// One message: the summary opens it, loading its text the first time.
#[component]
fn OutboxItem(message: OutboxRow) -> impl IntoView {
    let load = ServerAction::<OutboxMessage>::new();
    let id = message.id;
    let on_toggle = move |ev: leptos::ev::Event| {
        let first_open = load.value().with_untracked(Option::is_none) && !load.pending().get_untracked();
        if details_open(&ev) && first_open {
            load.dispatch(OutboxMessage { id: id.clone() });
        }
    };
    let body = move || match load.value().get() {
        None => EitherOf3::A(view! { <p class="muted" aria-busy="true">{d(Dash::EmailLoading)}</p> }),
        Some(Ok(message)) => EitherOf3::B(view! { <MessageText message/> }),
        Some(Err(error)) => {
            EitherOf3::C(view! { <div class="banner banner-error" role="alert">{error.to_string()}</div> })
        }
    };
    view! {
        <li>
            <details class="email-message" on:toggle=on_toggle>
                <summary>
                    <span class="email-subject">{message.subject}</span>
                    <span class="email-meta">
                        <span>{df(Dash::EmailTo, &[("to", &message.to)])}</span>
                        <span>{message.sent}</span>
                    </span>
                </summary>
                <div class="email-body">{body}</div>
            </details>
        </li>
    }
}

#[component]
fn MessageText(message: OutboxView) -> impl IntoView {
    let attachments = (!message.attachments.is_empty()).then(
        || view! { <p class="muted email-attachments">{d(Dash::EmailAttached)}" "{message.attachments.join(", ")}</p> },
    );
    view! {
        <pre class="email-text">{message.text}</pre>
        {attachments}
    }
}

#[cfg(feature = "hydrate")]
fn details_open(ev: &leptos::ev::Event) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .is_some_and(|details| details.open())
}

#[cfg(not(feature = "hydrate"))]
fn details_open(_: &leptos::ev::Event) -> bool {
    false
}
