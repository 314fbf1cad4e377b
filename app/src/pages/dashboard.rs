use crate::api::{LogOut, Me, current_member};
use crate::components::Brand;
use crate::error::AppError;
use crate::lang::{Dash, d};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::use_location;

/// The signed-in member, loaded once by the layout; pages read it through [`with_viewer`].
#[derive(Clone, Copy)]
pub struct Viewer(Resource<Result<Me, AppError>>);

/// Frame of every dashboard page: navigation, the signed-in member, sign-out. The page itself is
/// rendered beside, not inside, the Suspense that waits for the member, so each page streams
/// and hydrates its own resources. A lost session sends the browser to sign-in and back afterwards
/// (pages' own server functions refuse it too).
#[component]
pub fn DashboardLayout() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_member());
    provide_context(Viewer(me));
    let logout = ServerAction::<LogOut>::new();
    view! {
        <div class="app">
            // First in the tab order: past the ten links of the navigation in one key press.
            // `rel=external` leaves the jump to the browser, which moves focus to the content; the
            // router would only scroll.
            <a class="skip-link" href="#content" rel="external">{d(Dash::SkipToContent)}</a>
            <aside class="sidebar">
                <Brand href="/dashboard" label=d(Dash::Brand)/>
                <nav aria-label=d(Dash::NavLabel)>
                    <A href="/dashboard" exact=true>{d(Dash::NavOverview)}</A>
                    <A href="/dashboard/event-types">{d(Dash::NavEventTypes)}</A>
                    <A href="/dashboard/bookings">{d(Dash::NavBookings)}</A>
                    <A href="/dashboard/calendar">{d(Dash::NavCalendar)}</A>
                    <A href="/dashboard/availability">{d(Dash::NavAvailability)}</A>
                    <A href="/dashboard/integrations">{d(Dash::NavIntegrations)}</A>
                    <A href="/dashboard/members">{d(Dash::NavMembers)}</A>
                    <A href="/dashboard/api-keys">{d(Dash::NavApiKeys)}</A>
                    {with_viewer(|me| me.role.is_admin().then(|| view! {
                        <A href="/dashboard/webhooks">{d(Dash::NavWebhooks)}</A>
                        <A href="/dashboard/email">{d(Dash::NavEmail)}</A>
                    }))}
                </nav>
                <div class="sidebar-footer">
                    <Who me/>
                    <ActionForm action=logout>
                        <button type="submit" class="button button-quiet">{d(Dash::SignOut)}</button>
                    </ActionForm>
                </div>
            </aside>
            <main class="content" id="content" tabindex="-1">
                <Outlet/>
            </main>
        </div>
    }
}

#[component]
fn Who(me: Resource<Result<Me, AppError>>) -> impl IntoView {
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <div class="who" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) => Either::Left(view! {
                        <div class="who">
                            <span class="who-name">{me.name}</span>
                            <span class="who-team">{me.team_name}</span>
                        </div>
                    }),
                    Err(_) => {
                        let here = location.pathname.get_untracked();
                        Either::Right(view! { <Redirect path=format!("/login?next={here}")/> })
                    }
                }
            })}
        </Suspense>
    }
}

/// Renders `render` with the signed-in member once known (nothing while loading or signed out).
pub fn with_viewer<V>(render: impl Fn(Me) -> V + Clone + Send + Sync + 'static) -> impl IntoView
where
    V: IntoView + 'static,
{
    let Viewer(me) = expect_context::<Viewer>();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move { me.await.ok().map(render) })
            }}
        </Suspense>
    }
}

/// Calendar connections that need attention (the viewer's, and for admins everyone's).
#[component]
pub fn CalendarAlerts(alerts: Resource<Result<Vec<String>, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                alerts.await.ok().filter(|a| !a.is_empty()).map(|alerts| view! {
                    <div class="banner banner-error" role="alert">
                        <ul class="plain">{alerts.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                        <a href="/dashboard/integrations">{d(Dash::OpenIntegrations)}</a>
                    </div>
                })
            })}
        </Suspense>
    }
}
