//! Staff users and API tokens: who may publish and moderate.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHasher, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{
    db::{self, users::DbUser},
    error::{AppError, AppResult},
    state::AppState,
};

pub const ROLES: &[&str] = &["admin", "moderator", "editor"];
const PASSWORD_MIN: usize = 10;

/// Roles that may publish news, calls and events.
pub fn may_publish(user: &DbUser) -> bool {
    matches!(user.role.as_str(), "admin" | "editor")
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

/// A new API token for the user; only its hash is stored, so it is shown once.
pub async fn create_token(state: &AppState, email: &str) -> AppResult<String> {
    let email = email.trim().to_ascii_lowercase();
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    db::run(&state.db, move |conn| {
        let user = db::users::by_email(conn, &email)?
            .ok_or_else(|| AppError::bad_request(format!("there is no user {email}")))?;
        db::users::insert_token(conn, user.id, &hash, db::now())?;
        Ok(())
    })
    .await?;
    Ok(token)
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
