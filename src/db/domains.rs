//! Domain rules: blocked domains, and each domain's delivery health.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    per_backend,
    schema::{domain_blocks, domain_health},
    AnyConnection,
};

/// Which of `domains` are blocked (themselves or through a parent), in one query.
pub fn blocked_among(
    conn: &mut AnyConnection,
    domains: &[&str],
) -> QueryResult<std::collections::HashSet<String>> {
    let candidates: Vec<(String, Vec<String>)> = domains
        .iter()
        .map(|d| (d.to_string(), block_candidates(d)))
        .collect();
    let all: Vec<&String> = candidates.iter().flat_map(|(_, c)| c).collect();
    let blocks: std::collections::HashSet<String> = domain_blocks::table
        .filter(domain_blocks::domain.eq_any(all))
        .select(domain_blocks::domain)
        .load(conn)?
        .into_iter()
        .collect();
    Ok(candidates
        .into_iter()
        .filter(|(_, c)| c.iter().any(|candidate| blocks.contains(candidate)))
        .map(|(domain, _)| domain)
        .collect())
}

/// Every blocked domain.
pub fn blocked(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    domain_blocks::table
        .select(domain_blocks::domain)
        .load(conn)
}

/// The domain (without port) and its parents: a block on example.com covers its subdomains.
pub fn block_candidates(domain: &str) -> Vec<String> {
    // `evil.example.` is `evil.example`: a trailing dot must not slip past a block.
    let host = domain
        .split(':')
        .next()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let mut candidates = vec![host.clone()];
    let mut rest = host.as_str();
    while let Some((_, parent)) = rest.split_once('.') {
        if parent.contains('.') {
            candidates.push(parent.to_string());
        }
        rest = parent;
    }
    candidates
}

pub fn block(
    conn: &mut AnyConnection,
    domain: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    per_backend!(conn, |c| diesel::insert_into(domain_blocks::table)
        .values((
            domain_blocks::domain.eq(block_candidates(domain).swap_remove(0)),
            domain_blocks::reason.eq(reason),
            domain_blocks::created_at.eq(now),
        ))
        .on_conflict(domain_blocks::domain)
        .do_update()
        .set(domain_blocks::reason.eq(reason))
        .execute(c))?;
    Ok(())
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = domain_health)]
pub struct DbDomainHealth {
    pub domain: String,
    pub failing_since: Option<NaiveDateTime>,
    pub last_success_at: Option<NaiveDateTime>,
    pub last_failure_at: Option<NaiveDateTime>,
}

pub fn health(conn: &mut AnyConnection, domain: &str) -> QueryResult<Option<DbDomainHealth>> {
    domain_health::table
        .find(domain)
        .select(DbDomainHealth::as_select())
        .first(conn)
        .optional()
}

pub fn failing_domains(conn: &mut AnyConnection) -> QueryResult<Vec<DbDomainHealth>> {
    domain_health::table
        .filter(domain_health::failing_since.is_not_null())
        .order(domain_health::failing_since.asc())
        .select(DbDomainHealth::as_select())
        .load(conn)
}

pub fn record_success(
    conn: &mut AnyConnection,
    domain: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    per_backend!(conn, |c| diesel::insert_into(domain_health::table)
        .values((
            domain_health::domain.eq(domain),
            domain_health::last_success_at.eq(now),
        ))
        .on_conflict(domain_health::domain)
        .do_update()
        .set((
            domain_health::failing_since.eq(None::<NaiveDateTime>),
            domain_health::last_success_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}

/// Records a failure; the domain's `failing_since` keeps the first failure after a success.
/// One statement: a read-then-write transaction can fail at once on a busy SQLite.
pub fn record_failure(
    conn: &mut AnyConnection,
    domain: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO domain_health (domain, failing_since, last_failure_at) VALUES ($1, $2, $2) \
         ON CONFLICT (domain) DO UPDATE SET \
         failing_since = COALESCE(domain_health.failing_since, excluded.failing_since), \
         last_failure_at = excluded.last_failure_at",
    )
    .bind::<diesel::sql_types::Text, _>(domain)
    .bind::<diesel::sql_types::Timestamp, _>(now)
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_domain_and_its_parents_are_candidates() {
        assert_eq!(
            super::block_candidates("a.B.example.com:8443"),
            ["a.b.example.com", "b.example.com", "example.com"]
        );
        assert_eq!(super::block_candidates("localhost:80"), ["localhost"]);
    }
}
