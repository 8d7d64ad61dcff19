//! Logging in to the panel: argon2id passwords, sessions kept in the database (so that
//! several processes share them), a CSRF token per session, and throttled failures.

use argon2::{
    password_hash::{PasswordHash, PasswordVerifier},
    Argon2,
};
use chrono::TimeDelta;

use crate::{
    db::{self, sessions::DbSession, users::DbUser},
    error::{AppError, AppResult},
    i18n::Message,
    service::{
        audit,
        users::{self, Staff},
    },
    state::AppState,
};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Failed logins allowed in `FAILURE_WINDOW`: for an account from one address, from one
/// address, and for an account from everywhere (high, so that nobody can lock an admin out
/// from afar by guessing); beyond them, logins wait for the window to pass (429).
pub const FAILURES_PER_ACCOUNT_AND_ADDRESS: i64 = 5;
pub const FAILURES_PER_ADDRESS: i64 = 20;
pub const FAILURES_PER_ACCOUNT: i64 = 100;
pub const FAILURE_WINDOW: TimeDelta = TimeDelta::minutes(15);

/// Password checks running at once.
static PASSWORD_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// A signed-in user, with the secret its forms must carry.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: DbUser,
    pub csrf_token: String,
    pub expires_at: chrono::NaiveDateTime,
}

impl Session {
    pub fn staff(&self) -> Staff {
        Staff::User(self.user.clone())
    }

    /// 403 unless `sent` is this session's CSRF token (compared in constant time).
    pub fn check_csrf(&self, sent: &str) -> AppResult<()> {
        let expected = self.csrf_token.as_bytes();
        let sent = sent.as_bytes();
        let differs = expected.len() != sent.len()
            || expected
                .iter()
                .zip(sent)
                .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
                != 0;
        if differs {
            return Err(AppError::forbidden("error-form-stale"));
        }
        Ok(())
    }
}

/// A new session's cookie secret and the session.
pub struct LoggedIn {
    pub cookie_secret: String,
    pub session: Session,
}

/// Checks `email` and `password`; a new session when they match and the account and the
/// address are not throttled. Failures say nothing about which part was wrong.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    address: &str,
) -> AppResult<LoggedIn> {
    let email = email.trim().to_ascii_lowercase();
    let now = db::now();
    // Counted, and recorded as a failure until the password checks, in one transaction:
    // guesses sent at once all count.
    let (lookup_email, lookup_address) = (email.clone(), address.to_string());
    let (user, attempt) = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let (by_pair, by_email, by_address) = db::sessions::failures_since(
                conn,
                &lookup_email,
                &lookup_address,
                now - FAILURE_WINDOW,
            )?;
            if by_pair >= FAILURES_PER_ACCOUNT_AND_ADDRESS
                || by_address >= FAILURES_PER_ADDRESS
                || by_email >= FAILURES_PER_ACCOUNT
            {
                return Ok((None, None));
            }
            let attempt = db::sessions::record_attempt(conn, &lookup_email, &lookup_address, now)?;
            Ok::<_, AppError>((db::users::by_email(conn, &lookup_email)?, Some(attempt)))
        })
    })
    .await?;
    let Some(attempt) = attempt else {
        return Err(AppError::too_many_requests(
            Message::new("error-too-many-logins").count("minutes", FAILURE_WINDOW.num_minutes()),
        ));
    };
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let password = password.to_string();
    // Each check takes about 19 MiB: a few at a time, the others wait their turn.
    let _permit = PASSWORD_CHECKS
        .acquire()
        .await
        .map_err(|e| AppError::other(anyhow::anyhow!("password check permits: {e}")))?;
    // An unknown e-mail costs the same time as a wrong password.
    let matches = tokio::task::spawn_blocking(move || {
        let hash = stored_hash.unwrap_or_else(|| DUMMY_HASH.clone());
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| AppError::other(anyhow::anyhow!("password check: {e}")))?;
    let user = match user {
        Some(user) if matches && user.disabled_at.is_none() => user,
        _ => {
            tracing::info!(%email, %address, "failed panel login");
            return Err(AppError::unauthorized("error-wrong-login"));
        }
    };
    let cookie_secret = users::new_secret();
    let csrf_token = users::new_secret();
    let expires_at = now + TimeDelta::hours(SESSION_HOURS);
    let (hash, csrf, logged_in) = (
        users::secret_hash(&cookie_secret),
        csrf_token.clone(),
        user.clone(),
    );
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            db::sessions::insert(conn, &hash, logged_in.id, &csrf, now, expires_at)?;
            db::sessions::forget_attempt(conn, attempt)?;
            db::sessions::clear_failures(conn, &logged_in.email)?;
            db::sessions::prune(conn, now, now - FAILURE_WINDOW)?;
            audit::record(
                conn,
                &Staff::User(logged_in.clone()),
                "session.login",
                &logged_in.email,
                "",
            )?;
            Ok::<_, AppError>(())
        })
    })
    .await?;
    Ok(LoggedIn {
        cookie_secret,
        session: Session {
            user,
            csrf_token,
            expires_at,
        },
    })
}

/// The live session a cookie secret belongs to, if any.
pub async fn current(state: &AppState, cookie_secret: &str) -> AppResult<Option<Session>> {
    let hash = users::secret_hash(cookie_secret);
    let found = db::run(&state.db, move |conn| {
        Ok(db::sessions::live(conn, &hash, db::now())?)
    })
    .await?;
    Ok(found.map(|(session, user): (DbSession, DbUser)| Session {
        user,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    }))
}

/// Ends the session a cookie secret belongs to.
pub async fn logout(state: &AppState, cookie_secret: &str) -> AppResult<()> {
    let hash = users::secret_hash(cookie_secret);
    db::run(&state.db, move |conn| {
        Ok(db::sessions::delete(conn, &hash)?)
    })
    .await?;
    Ok(())
}

/// An argon2id hash (with the parameters of real ones) of a random password: what an
/// unknown e-mail is checked against, so that it costs the same as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(users::new_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});
