use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    pub owner: String,
    pub created_on: String,
    pub last_used_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyOwner {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    pub keys: Vec<KeyRow>,
    /// Whom the viewer may issue keys for: everyone for an admin, else only themself.
    pub owners: Vec<KeyOwner>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewKey {
    pub name: String,
    /// Shown once, never stored in the clear.
    pub secret: String,
}

#[server]
pub async fn list_api_keys() -> Result<KeyList, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let members = services.members(&viewer).await?;
    let name_of = |id: i64| {
        members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let keys = services
        .api_keys(&viewer)
        .await?
        .into_iter()
        .map(|k| KeyRow {
            owner: name_of(k.member_id),
            created_on: crate::ssr::local_date(k.created_at, &viewer.timezone),
            last_used_on: k.last_used_at.map(|t| crate::ssr::local_date(t, &viewer.timezone)),
            id: k.id,
            name: k.name,
            prefix: k.prefix,
        })
        .collect();
    let owners = members
        .iter()
        .filter(|m| viewer.role.is_admin() || m.id == viewer.id)
        .map(|m| KeyOwner {
            id: m.id,
            name: m.name.clone(),
        })
        .collect();
    Ok(KeyList { keys, owners })
}

#[server]
pub async fn create_api_key(name: String, owner: i64) -> Result<NewKey, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let issued = services.issue_api_key(&viewer, owner, &name).await?;
    Ok(NewKey {
        name: issued.key.name,
        secret: issued.secret,
    })
}

#[server]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    services.revoke_api_key(&viewer, id).await?;
    Ok(())
}
