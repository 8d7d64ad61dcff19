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
    i18n::Message,
    service::{accounts, audit},
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

impl Staff {
    /// How records name them: the user's e-mail, or `operator` for the command line.
    pub fn name(&self) -> String {
        match self {
            Staff::User(user) => user.email.clone(),
            Staff::Operator => "operator".to_string(),
        }
    }

    fn role(&self) -> &str {
        match self {
            Staff::Operator => "admin",
            Staff::User(user) => user.role.as_str(),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role() == "admin"
    }

    /// Admins and moderators moderate.
    pub fn may_moderate(&self) -> bool {
        matches!(self.role(), "admin" | "moderator")
    }
}

/// 403 unless `staff` is an admin (or the operator).
pub fn check_admin(staff: &Staff) -> AppResult<()> {
    if staff.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("error-admins-only"))
    }
}

/// 403 unless `staff` is a moderator or an admin.
pub fn check_moderator(staff: &Staff) -> AppResult<()> {
    if staff.may_moderate() {
        Ok(())
    } else {
        Err(AppError::forbidden("error-moderators-only"))
    }
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
                Err(AppError::forbidden(
                    Message::new("error-may-not-publish-as").arg("account", account.handle()),
                ))
            }
        }
        _ => Err(AppError::forbidden("error-role-may-not-publish")),
    }
}

/// Lets the user `email` publish as the local account `account` (admins only).
pub async fn grant_account(
    state: &AppState,
    staff: &Staff,
    email: &str,
    account: &str,
) -> AppResult<()> {
    set_grant(state, staff, email, account, true).await
}

/// Takes back `account` from the user `email` (400 when it was not given; admins only).
pub async fn revoke_account(
    state: &AppState,
    staff: &Staff,
    email: &str,
    account: &str,
) -> AppResult<()> {
    set_grant(state, staff, email, account, false).await
}

async fn set_grant(
    state: &AppState,
    staff: &Staff,
    email: &str,
    account: &str,
    allow: bool,
) -> AppResult<()> {
    check_admin(staff)?;
    let staff = staff.clone();
    let account = accounts::by_name(state, account).await.map_err(|e| {
        if e.is_not_found() {
            AppError::bad_request(Message::new("error-no-local-account").arg("name", account))
        } else {
            e
        }
    })?;
    let email = email.trim().to_ascii_lowercase();
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let user = db::users::by_email(conn, &email)?.ok_or_else(|| {
                AppError::bad_request(Message::new("error-no-user").arg("email", &email))
            })?;
            if allow {
                db::users::grant_account(conn, user.id, account.id)?;
            } else if db::users::revoke_account(conn, user.id, account.id)? == 0 {
                return Err(AppError::bad_request(
                    Message::new("error-user-not-granted")
                        .arg("email", &email)
                        .arg("account", &account.username),
                ));
            }
            let action = if allow { "user.grant" } else { "user.revoke" };
            audit::record(conn, &staff, action, &email, &account.handle())?;
            Ok(())
        })
    })
    .await
}

/// The accounts a user may publish as, by name (admins: every account).
pub async fn publishing_accounts(state: &AppState, user: &DbUser) -> AppResult<Vec<String>> {
    if user.role == "admin" {
        return accounts::names(state).await;
    }
    let id = user.id;
    let accounts = db::run(&state.db, move |conn| {
        Ok(db::users::granted_accounts(conn, id)?)
    })
    .await?;
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

/// Creates a staff user (admins only).
pub async fn create(
    state: &AppState,
    staff: &Staff,
    email: &str,
    role: &str,
    password: &str,
) -> AppResult<DbUser> {
    check_admin(staff)?;
    let staff = staff.clone();
    let email = email.trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return Err(AppError::bad_request(
            Message::new("error-not-an-email").arg("email", format!("{email:?}")),
        ));
    }
    if !ROLES.contains(&role) {
        return Err(AppError::bad_request(
            Message::new("error-role-one-of").arg("roles", ROLES.join(", ")),
        ));
    }
    if password.chars().count() < PASSWORD_MIN {
        return Err(AppError::bad_request(
            Message::new("error-password-too-short").count("min", PASSWORD_MIN),
        ));
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
        db::write_transaction(conn, |conn| {
            let inserted = db::users::insert(conn, &email, &role, &hash, db::now());
            if db::is_unique_violation(&inserted) {
                return Err(AppError::conflict(
                    Message::new("error-user-exists").arg("email", &email),
                ));
            }
            let id = inserted?;
            audit::record(conn, &staff, "user.create", &email, &role)?;
            db::users::by_id(conn, id)?.ok_or_else(AppError::not_found)
        })
    })
    .await
}

/// Users listed on one page.
pub const PAGE: i64 = 50;

/// One page (from 1) of users by e-mail, with the accounts each publishes as (admins).
pub async fn list(
    state: &AppState,
    staff: &Staff,
    page: i64,
) -> AppResult<Vec<(DbUser, Vec<String>)>> {
    check_admin(staff)?;
    let offset = (page.max(1) - 1) * PAGE;
    db::run(&state.db, move |conn| {
        let mut listed = vec![];
        for user in db::users::page(conn, PAGE, offset)? {
            let accounts = db::users::granted_accounts(conn, user.id)?
                .into_iter()
                .map(|a| a.username)
                .collect();
            listed.push((user, accounts));
        }
        Ok(listed)
    })
    .await
}

/// Changes a user's role, ending its sessions (admins only; the last admin stays one).
pub async fn set_role(state: &AppState, staff: &Staff, email: &str, role: &str) -> AppResult<()> {
    check_admin(staff)?;
    if !ROLES.contains(&role) {
        return Err(AppError::invalid(
            "role",
            Message::new("error-one-of").arg("allowed", ROLES.join(", ")),
        ));
    }
    let (staff, email, role) = (staff.clone(), normal_email(email), role.to_string());
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let user = existing(conn, &email)?;
            // Demoting a disabled admin leaves the active ones as they are.
            if user.role == "admin" && role != "admin" && user.disabled_at.is_none() {
                check_not_last_admin(conn)?;
            }
            db::users::set_role(conn, user.id, &role)?;
            db::sessions::delete_for_user(conn, user.id)?;
            audit::record(conn, &staff, "user.role", &email, &role)?;
            Ok(())
        })
    })
    .await
}

/// Disables a user (its sessions end and its API tokens stop working) or enables it again
/// (admins only; the last admin stays enabled).
pub async fn set_disabled(
    state: &AppState,
    staff: &Staff,
    email: &str,
    disabled: bool,
) -> AppResult<()> {
    check_admin(staff)?;
    let (staff, email) = (staff.clone(), normal_email(email));
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let user = existing(conn, &email)?;
            if disabled && user.role == "admin" && user.disabled_at.is_none() {
                check_not_last_admin(conn)?;
            }
            db::users::set_disabled(conn, user.id, disabled.then(db::now))?;
            db::sessions::delete_for_user(conn, user.id)?;
            let action = if disabled {
                "user.disable"
            } else {
                "user.enable"
            };
            audit::record(conn, &staff, action, &email, "")?;
            Ok(())
        })
    })
    .await
}

fn normal_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

fn existing(conn: &mut db::AnyConnection, email: &str) -> AppResult<DbUser> {
    db::users::by_email(conn, email)?
        .ok_or_else(|| AppError::bad_request(Message::new("error-no-user").arg("email", email)))
}

fn check_not_last_admin(conn: &mut db::AnyConnection) -> AppResult<()> {
    if db::users::count_active_admins(conn)? <= 1 {
        return Err(AppError::conflict("error-last-admin"));
    }
    Ok(())
}

/// What is stored of a secret (an API token, a session cookie): its SHA-256, in hex.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 32 random bytes, URL-safe base64: an API token, a session or a CSRF secret.
pub fn new_secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new API token for the user, valid for `days` when given; only its hash is stored, so
/// it is shown once (admins, or the user for itself).
pub async fn create_token(
    state: &AppState,
    staff: &Staff,
    email: &str,
    days: Option<u32>,
) -> AppResult<String> {
    let email = email.trim().to_ascii_lowercase();
    let for_itself = matches!(staff, Staff::User(user) if user.email == email);
    if !for_itself {
        check_admin(staff)?;
    }
    let staff = staff.clone();
    let now = db::now();
    let expires_at = days.map(|days| now + chrono::TimeDelta::days(i64::from(days)));
    let token = new_secret();
    let hash = secret_hash(&token);
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let user = db::users::by_email(conn, &email)?.ok_or_else(|| {
                AppError::bad_request(Message::new("error-no-user").arg("email", &email))
            })?;
            let id = db::users::insert_token(conn, user.id, &hash, now, expires_at)?;
            audit::record(conn, &staff, "token.create", &email, &format!("token {id}"))?;
            Ok(())
        })
    })
    .await?;
    Ok(token)
}

/// Every API token: whose, when made, last used and expiring (admins).
pub async fn tokens(state: &AppState, staff: &Staff) -> AppResult<Vec<DbTokenListing>> {
    check_admin(staff)?;
    db::run(&state.db, |conn| Ok(db::users::tokens(conn)?)).await
}

/// Revokes the token with this id (as `tokens` lists it); 404 when there is none (admins).
pub async fn revoke_token(state: &AppState, staff: &Staff, id: i64) -> AppResult<()> {
    check_admin(staff)?;
    let staff = staff.clone();
    let deleted = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let deleted = db::users::delete_token(conn, id)?;
            if deleted > 0 {
                audit::record(conn, &staff, "token.revoke", &format!("token {id}"), "")?;
            }
            Ok::<_, AppError>(deleted)
        })
    })
    .await?;
    if deleted == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// The user a bearer token belongs to.
pub async fn by_token(state: &AppState, token: &str) -> AppResult<Option<DbUser>> {
    let hash = secret_hash(token.trim());
    db::run(&state.db, move |conn| {
        Ok(db::users::by_token_hash(conn, &hash, db::now())?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::{secret_hash, valid_email};

    #[test]
    fn emails_and_token_hashes() {
        assert!(valid_email("comms@city.example"));
        assert!(!valid_email("comms") && !valid_email("a b@c.d"));
        assert_eq!(secret_hash("x").len(), 64);
        assert_ne!(secret_hash("x"), secret_hash("y"));
    }
}
