//! Delegated permissions the simulator can grant, and which each Graph call needs. Scope names
//! are case-insensitive and may be qualified with the Graph resource
//! (`https://graph.microsoft.com/Calendars.ReadWrite`); they are stored in their short form.

pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com/";
pub const USER_READ: &str = "User.Read";
pub const CALENDARS_READ: &str = "Calendars.Read";
pub const CALENDARS_READ_WRITE: &str = "Calendars.ReadWrite";
pub const OFFLINE_ACCESS: &str = "offline_access";
pub const OPENID: &str = "openid";
pub const PROFILE: &str = "profile";
pub const EMAIL: &str = "email";

/// Known scopes with the line the consent page shows for each (Microsoft's wording).
const KNOWN: &[(&str, &str)] = &[
    (USER_READ, "Sign you in and read your profile"),
    (CALENDARS_READ, "Read your calendars"),
    (CALENDARS_READ_WRITE, "Have full access to your calendars"),
    (OFFLINE_ACCESS, "Maintain access to data you have given it access to"),
    (OPENID, "Sign you in"),
    (PROFILE, "View your basic profile"),
    (EMAIL, "View your email address"),
];

/// OpenID Connect scopes: not Graph permissions, never in an access token's `scp`.
const OIDC: &[&str] = &[OFFLINE_ACCESS, OPENID, PROFILE, EMAIL];

/// The canonical short name of `scope`, if the simulator knows it. OIDC scopes cannot be
/// qualified with the Graph resource.
pub fn canonical(scope: &str) -> Option<&'static str> {
    let (short, qualified) = match scope.get(..GRAPH_RESOURCE.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(GRAPH_RESOURCE) => (&scope[GRAPH_RESOURCE.len()..], true),
        _ => (scope, false),
    };
    let name = KNOWN
        .iter()
        .map(|(name, _)| *name)
        .find(|name| name.eq_ignore_ascii_case(short))?;
    (!qualified || !is_oidc(name)).then_some(name)
}

pub fn is_oidc(scope: &str) -> bool {
    OIDC.contains(&scope)
}

pub fn describe(scope: &str) -> &'static str {
    KNOWN
        .iter()
        .find(|(name, _)| *name == scope)
        .map_or("Unknown permission", |(_, line)| line)
}

/// What a Graph call needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    ReadProfile,
    ReadCalendars,
    WriteCalendars,
}

impl Permission {
    /// Scopes any one of which allows the call.
    pub fn accepted(self) -> &'static [&'static str] {
        match self {
            Permission::ReadProfile => &[USER_READ],
            Permission::ReadCalendars => &[CALENDARS_READ, CALENDARS_READ_WRITE],
            Permission::WriteCalendars => &[CALENDARS_READ_WRITE],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_match_case_insensitively_with_or_without_the_graph_resource() {
        assert_eq!(canonical("calendars.readwrite"), Some(CALENDARS_READ_WRITE));
        assert_eq!(
            canonical("https://graph.microsoft.com/Calendars.ReadWrite"),
            Some(CALENDARS_READ_WRITE)
        );
        assert_eq!(canonical("offline_access"), Some(OFFLINE_ACCESS));
        assert_eq!(canonical("https://graph.microsoft.com/offline_access"), None);
        assert_eq!(canonical("Mail.Read"), None);
    }
}
