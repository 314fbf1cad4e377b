//! Server functions: each authorizes, parses its arguments into `domain` types, calls one service
//! and maps the error. Shared view types cross the wire as plain serde structs.

mod api_keys;
mod auth;
mod event_types;
mod members;

pub use api_keys::*;
pub use auth::*;
pub use event_types::*;
pub use members::*;
