//! Which other servers this instance talks to.

use crate::{db, error::AppResult, state::AppState};

/// Whether `domain` (`host` or `host:port`), or a domain above it, is blocked.
pub async fn is_blocked(state: &AppState, domain: &str) -> AppResult<bool> {
    let domain = domain.to_string();
    db::run(&state.db, move |conn| {
        Ok(db::domains::is_blocked(conn, &domain)?)
    })
    .await
}
