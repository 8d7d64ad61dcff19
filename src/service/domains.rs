//! Which other servers this instance talks to.

use std::sync::Arc;

use crate::{db, error::AppResult, state::AppState};

/// Whether `domain` (`host` or `host:port`), or a domain above it, is blocked. The block
/// list is read whole and cached (`cache.block_list_ttl_secs`; changes made here apply at
/// once).
pub async fn is_blocked(state: &AppState, domain: &str) -> AppResult<bool> {
    let list = match state.block_list.get(&()).await {
        Some(list) => list,
        None => {
            let list = Arc::new(db::run(&state.db, |conn| Ok(db::domains::blocked(conn)?)).await?);
            state.block_list.insert((), list.clone()).await;
            list
        }
    };
    Ok(db::domains::block_candidates(domain)
        .iter()
        .any(|candidate| list.contains(candidate)))
}

/// Blocks `domain` (and its subdomains): what its accounts posted leaves the timeline.
pub async fn block(state: &AppState, domain: &str, reason: &str) -> AppResult<()> {
    let (domain, reason) = (domain.to_string(), reason.to_string());
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            db::domains::block(conn, &domain, &reason, db::now())?;
            db::timeline::forget_domain(conn, &domain)?;
            Ok(())
        })
    })
    .await?;
    state.block_list.invalidate_all();
    super::timeline::changed(state);
    Ok(())
}
