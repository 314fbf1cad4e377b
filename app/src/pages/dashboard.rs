use crate::api::{LogOut, Me, current_member};
use crate::components::Brand;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::use_location;

/// Frame of every dashboard page: navigation, the signed-in member, sign-out. Pages below read
/// the member from context. A lost session sends the browser to sign-in and back afterwards.
#[component]
pub fn DashboardLayout() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_member());
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <div class="app-loading" aria-busy="true">"Loading…"</div> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) => Either::Left(view! { <Frame me/> }),
                    Err(_) => {
                        let here = location.pathname.get_untracked();
                        Either::Right(view! { <Redirect path=format!("/login?next={here}")/> })
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(me: Me) -> impl IntoView {
    let logout = ServerAction::<LogOut>::new();
    let (name, team) = (me.name.clone(), me.team_name.clone());
    provide_context(me);
    view! {
        <div class="app">
            <aside class="sidebar">
                <Brand href="/dashboard" label="Rendezvous dashboard"/>
                <nav aria-label="Dashboard">
                    <A href="/dashboard" exact=true>"Overview"</A>
                    <A href="/dashboard/event-types">"Event types"</A>
                    <A href="/dashboard/bookings">"Bookings"</A>
                    <A href="/dashboard/availability">"Availability"</A>
                    <A href="/dashboard/members">"Members"</A>
                    <A href="/dashboard/api-keys">"API keys"</A>
                </nav>
                <div class="sidebar-footer">
                    <div class="who">
                        <span class="who-name">{name}</span>
                        <span class="who-team">{team}</span>
                    </div>
                    <ActionForm action=logout>
                        <button type="submit" class="button button-quiet">"Sign out"</button>
                    </ActionForm>
                </div>
            </aside>
            <main class="content">
                <Outlet/>
            </main>
        </div>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let me = expect_context::<Me>();
    let first_name = me.name.split(' ').next().unwrap_or_default().to_owned();
    view! {
        <Title text="Overview"/>
        <header class="page-header">
            <h1>{format!("Welcome, {first_name}")}</h1>
        </header>
        <section class="card">
            <h2>"Your account"</h2>
            <dl class="facts">
                <dt>"Team"</dt><dd>{me.team_name}</dd>
                <dt>"Email"</dt><dd>{me.email}</dd>
                <dt>"Role"</dt><dd>{me.role.as_str()}</dd>
                <dt>"Time zone"</dt><dd>{me.timezone}</dd>
            </dl>
        </section>
        {me.role.is_admin().then(|| view! {
            <section class="card">
                <h2>"Bring in your team"</h2>
                <p class="muted">"Invite the people who take demos so prospects can book them."</p>
                <a class="button button-primary" href="/dashboard/members">"Invite members"</a>
            </section>
        })}
    }
}
