use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which websites may frame the booking pages, one per line (empty: any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowedWebsites {
    pub origins: String,
    pub viewer_is_admin: bool,
}

#[server]
pub async fn embedding_websites() -> Result<AllowedWebsites, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let origins = services.embed_origins().await?;
    Ok(AllowedWebsites {
        origins: origins.as_stored().replace(' ', "\n"),
        viewer_is_admin: viewer.role.is_admin(),
    })
}

/// Saves and answers the list as stored (normalised).
#[server]
pub async fn save_embed_origins(origins: String) -> Result<AllowedWebsites, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let parsed = domain::EmbedOrigins::parse(&origins)
        .map_err(|e| crate::ssr::invalid(domain::FieldErrors::single("origins", e.0)))?;
    services.set_embed_origins(&admin, &parsed).await?;
    Ok(AllowedWebsites {
        origins: parsed.as_stored().replace(' ', "\n"),
        viewer_is_admin: true,
    })
}
