use crate::error::AppError;
use domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in member as the UI needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub timezone: String,
    pub role: Role,
    pub team_name: String,
}

#[server]
pub async fn current_member() -> Result<Me, AppError> {
    let services = crate::ssr::services()?;
    let member = crate::ssr::signed_in().await?;
    let team = services.team().await?;
    Ok(Me {
        id: member.id,
        name: member.name,
        email: member.email,
        timezone: member.timezone,
        role: member.role,
        team_name: team.name,
    })
}

/// The places pickers offer, each labelled with its city (and former names), country and
/// current UTC offset ("Kolkata (Calcutta) · India · UTC+05:30"), so typing any of them finds
/// it; served rather than compiled into the browser bundles.
#[server]
pub async fn time_zones() -> Result<Vec<crate::api::Choice>, AppError> {
    let now = crate::ssr::services()?.clock().now();
    Ok(domain::TimeZoneName::places()
        .map(|place| {
            let mut city = place.city.replace('_', " ");
            if !place.formerly.is_empty() {
                city = format!("{city} ({})", place.formerly.join(", ").replace('_', " "));
            }
            let offset = crate::ssr::utc_offset(now, place.zone);
            let label = [city.as_str(), place.country, offset.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            crate::api::Choice {
                value: place.zone.to_owned(),
                label,
            }
        })
        .collect())
}

#[server]
pub async fn set_up_team(
    team_name: String,
    team_slug: String,
    name: String,
    email: String,
    password: String,
    timezone: String,
) -> Result<(), AppError> {
    use domain::*;
    use services::accounts::{NewMember, NewTeam};
    let mut errors = FieldErrors::new();
    let team_name = errors.check("team_name", TeamName::parse(&team_name));
    let team_slug = errors.check("team_slug", TeamSlug::parse(&team_slug));
    let name = errors.check("name", DisplayName::parse(&name));
    let email = errors.check("email", Email::parse(&email));
    let password = errors.check("password", Password::parse(&password));
    let timezone = errors.check("timezone", TimeZoneName::parse(&timezone));
    let (Some(name), Some(slug), Some(admin_name), Some(email), Some(password), Some(timezone)) =
        (team_name, team_slug, name, email, password, timezone)
    else {
        return Err(crate::ssr::invalid(errors));
    };
    let services = crate::ssr::services()?;
    let admin = NewMember {
        name: admin_name,
        email,
        password,
        timezone,
    };
    let member = services.set_up(NewTeam { name, slug, admin }).await?;
    let secret = services.start_session(&member).await?;
    crate::ssr::start_session_cookie(&secret)?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

#[server]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let client = crate::ssr::client_addr();
    let member = services.authenticate(&email, &password, client).await?;
    let secret = services.start_session(&member).await?;
    crate::ssr::start_session_cookie(&secret)?;
    leptos_axum::redirect(&crate::ssr::safe_next(next.as_deref()));
    Ok(())
}

#[server]
pub async fn log_out() -> Result<(), AppError> {
    let parts = use_context::<http::request::Parts>();
    if let Some(secret) = parts.and_then(|p| crate::ssr::session_cookie(&p.headers)) {
        crate::ssr::services()?.end_session(&secret).await?;
    }
    crate::ssr::clear_session_cookie()?;
    leptos_axum::redirect("/login");
    Ok(())
}
