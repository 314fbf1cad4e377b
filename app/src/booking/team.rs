//! `/{team}`: the team's active event types, each linking to its booking page.

use super::api::team_event_types;
use crate::lang::{Key, t, tf};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TeamPage(team: String) -> impl IntoView {
    let lang = crate::lang::page_lang().code();
    let listing = Resource::new(
        move || team.clone(),
        move |team| team_event_types(team, lang.to_owned()),
    );
    view! {
        <main class="bk">
            <Suspense fallback=|| view! { <div class="bk-card skeleton" aria-busy="true"></div> }>
                {move || Suspend::new(async move {
                    match listing.await {
                        Ok(team) => Either::Left(view! {
                            <Title text=tf(Key::PageTeamTitle, &[("team", &team.name)])/>
                            <section class="bk-card bk-team-card" aria-labelledby="bk-team-title">
                                <h1 id="bk-team-title">{tf(Key::PageTeamTitle, &[("team", &team.name)])}</h1>
                                <ul class="bk-event-list">
                                    {team.event_types.into_iter().map(|e| view! {
                                        <li>
                                            <a class="bk-event-link" href=format!("/{}/{}", team.slug, e.slug)>
                                                <span class="bk-event-title">{e.title}</span>
                                                <span class="bk-muted">{tf(Key::PageEventSummary, &[("minutes", &e.duration.to_string()), ("location", &e.location)])}</span>
                                            </a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                {team.empty.then(|| view! { <p class="bk-muted">{t(Key::PageNothingToBook)}</p> })}
                            </section>
                        }),
                        Err(_) => Either::Right(view! { <super::Missing/> }),
                    }
                })}
            </Suspense>
        </main>
    }
}
