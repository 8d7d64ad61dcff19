//! Staff users and API tokens: who may publish and moderate.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHasher, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{
    db::{
        self,
        actors::DbActor,
        users::{DbTokenListing, DbUser},
    },
    error::{AppError, AppResult},
    service::accounts,
    state::AppState,
};

pub const ROLES: &[&str] = &["admin", "moderator", "editor"];
const PASSWORD_MIN: usize = 10;

/// Who asks for something: a staff user (API, panel), or the operator at the command line,
/// who runs the instance and may do everything.
#[derive(Clone, Debug)]
pub enum Staff {
    User(DbUser),
    Operator,
}

/// 403 unless `staff` may publish, edit and delete as `account`: admins as every account,
/// editors as the accounts they were given, moderators not at all.
pub async fn check_may_publish_as(
    state: &AppState,
    staff: &Staff,
    account: &DbActor,
) -> AppResult<()> {
    let user = match staff {
        Staff::Operator => return Ok(()),
        Staff::User(user) => user,
    };
    match user.role.as_str() {
        "admin" => Ok(()),
        "editor" => {
            let (user_id, account_id) = (user.id, account.id);
            let granted = db::run(&state.db, move |conn| {
                Ok(db::users::is_granted(conn, user_id, account_id)?)
            })
            .await?;
            if granted {
                Ok(())
            } else {
                Err(AppError::forbidden(format!(
                    "you may not publish as {}",
                    account.handle()
                )))
            }
        }
        _ => Err(AppError::forbidden("your role may not publish")),
    }
}

/// Lets the user `email` publish as the local account `account`.
pub async fn grant_account(state: &AppState, email: &str, account: &str) -> AppResult<()> {
    set_grant(state, email, account, true).await
}

/// Takes back `account` from the user `email` (400 when it was not given).
pub async fn revoke_account(state: &AppState, email: &str, account: &str) -> AppResult<()> {
    set_grant(state, email, account, false).await
}

async fn set_grant(state: &AppState, email: &str, account: &str, allow: bool) -> AppResult<()> {
    let account = accounts::by_name(state, account).await.map_err(|e| {
        if e.is_not_found() {
            AppError::bad_request(format!("there is no local account named {account}"))
        } else {
            e
        }
    })?;
    let email = email.trim().to_ascii_lowercase();
    db::run(&state.db, move |conn| {
        let user = db::users::by_email(conn, &email)?
            .ok_or_else(|| AppError::bad_request(format!("there is no user {email}")))?;
        if allow {
            db::users::grant_account(conn, user.id, account.id)?;
        } else if db::users::revoke_account(conn, user.id, account.id)? == 0 {
            return Err(AppError::bad_request(format!(
                "{email} may not publish as {} anyway",
                account.username
            )));
        }
        Ok(())
    })
    .await
}

/// The accounts a user may publish as, by name (admins: every account).
pub async fn publishing_accounts(state: &AppState, user: &DbUser) -> AppResult<Vec<String>> {
    let accounts = if user.role == "admin" {
        accounts::list(state)
            .await?
            .into_iter()
            .map(|summary| summary.account)
            .collect()
    } else {
        let id = user.id;
        db::run(&state.db, move |conn| {
            Ok(db::users::granted_accounts(conn, id)?)
        })
        .await?
    };
    Ok(accounts.into_iter().map(|a| a.username).collect())
}

fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !email.contains(char::is_whitespace)
        && email.len() <= 254
}

pub async fn create(
    state: &AppState,
    email: &str,
    role: &str,
    password: &str,
) -> AppResult<DbUser> {
    let email = email.trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return Err(AppError::bad_request(format!(
            "{email:?} is not an e-mail address"
        )));
    }
    if !ROLES.contains(&role) {
        return Err(AppError::bad_request(format!(
            "role must be one of: {}",
            ROLES.join(", ")
        )));
    }
    if password.chars().count() < PASSWORD_MIN {
        return Err(AppError::bad_request(format!(
            "the password must have at least {PASSWORD_MIN} characters"
        )));
    }
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::other(anyhow::anyhow!("password hashing: {e}")))
    })
    .await
    .map_err(|e| AppError::other(e.into()))??;
    let role = role.to_string();
    db::run(&state.db, move |conn| {
        let inserted = db::users::insert(conn, &email, &role, &hash, db::now());
        if db::is_unique_violation(&inserted) {
            return Err(AppError::conflict(format!("a user {email} already exists")));
        }
        let id = inserted?;
        db::users::by_email(conn, &email)?
            .filter(|u| u.id == id)
            .ok_or_else(AppError::not_found)
    })
    .await
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new API token for the user, valid for `days` when given; only its hash is stored, so
/// it is shown once.
pub async fn create_token(state: &AppState, email: &str, days: Option<u32>) -> AppResult<String> {
    let email = email.trim().to_ascii_lowercase();
    let now = db::now();
    let expires_at = days.map(|days| now + chrono::TimeDelta::days(i64::from(days)));
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    db::run(&state.db, move |conn| {
        let user = db::users::by_email(conn, &email)?
            .ok_or_else(|| AppError::bad_request(format!("there is no user {email}")))?;
        db::users::insert_token(conn, user.id, &hash, now, expires_at)?;
        Ok(())
    })
    .await?;
    Ok(token)
}

/// Every API token: whose, when made, last used and expiring.
pub async fn tokens(state: &AppState) -> AppResult<Vec<DbTokenListing>> {
    db::run(&state.db, |conn| Ok(db::users::tokens(conn)?)).await
}

/// Revokes the token with this id (as `tokens` lists it); 404 when there is none.
pub async fn revoke_token(state: &AppState, id: i64) -> AppResult<()> {
    let deleted = db::run(&state.db, move |conn| {
        Ok(db::users::delete_token(conn, id)?)
    })
    .await?;
    if deleted == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// The user a bearer token belongs to.
pub async fn by_token(state: &AppState, token: &str) -> AppResult<Option<DbUser>> {
    let hash = token_hash(token.trim());
    db::run(&state.db, move |conn| {
        Ok(db::users::by_token_hash(conn, &hash, db::now())?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::{token_hash, valid_email};

    #[test]
    fn emails_and_token_hashes() {
        assert!(valid_email("comms@city.example"));
        assert!(!valid_email("comms") && !valid_email("a b@c.d"));
        assert_eq!(token_hash("x").len(), 64);
        assert_ne!(token_hash("x"), token_hash("y"));
    }
}
