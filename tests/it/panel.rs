//! The admin panel over HTTP: login with safe cookies, sessions in the database, CSRF on
//! every form, throttled failures, roles checked on the server, the audit log.

use munifed::service::users::{self, Staff};
use reqwest::{header, redirect, StatusCode};

use crate::helpers::{spawn_app, TestApp};

pub const PASSWORD: &str = "a long enough password";

/// An urlencoded form body (what a browser sends).
pub trait FormBody {
    fn form_body(self, pairs: &[(&str, &str)]) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form_body(self, pairs: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
    }
}

/// A client that shows redirects instead of following them, and keeps no cookies.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn user(app: &TestApp, email: &str, role: &str) {
    users::create(&app.data(), &Staff::Operator, email, role, PASSWORD)
        .await
        .unwrap();
}

async fn post_login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    client()
        .post(app.url("/admin/login"))
        .form_body(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// A signed-in staff member: the session cookie, and the CSRF token its pages carry.
pub struct Signed {
    pub cookie: String,
    pub csrf: String,
}

impl Signed {
    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        client()
            .get(app.url(path))
            .header(header::COOKIE, &self.cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(
        &self,
        app: &TestApp,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client()
            .post(app.url(path))
            .header(header::COOKIE, &self.cookie)
            .form_body(form)
            .send()
            .await
            .unwrap()
    }
}

pub async fn log_in(app: &TestApp, email: &str) -> Signed {
    let response = post_login(app, email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set_cookie = set_cookie(&response);
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let mut signed = Signed {
        cookie,
        csrf: String::new(),
    };
    let home = signed.get(app, "/admin").await.text().await.unwrap();
    signed.csrf = home
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries a CSRF token")
        .to_string();
    signed
}

/// What a form's answer set in its cookie (the session, or the flash message to show).
pub fn set_cookie(response: &reqwest::Response) -> &str {
    response.headers()[header::SET_COOKIE].to_str().unwrap()
}

/// The flash message a form's answer sets, as the next page shows it in English: `kind:
/// text`.
pub fn flash(response: &reqwest::Response) -> String {
    let value = set_cookie(response)
        .strip_prefix("munifed_flash=")
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no flash: {}", set_cookie(response)));
    let flash = munifed::web::admin::Flash::decode(value).expect("a flash message of ours");
    format!("{}: {}", flash.kind, flash.message)
}

pub fn location(response: &reqwest::Response) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

async fn user_exists(app: &TestApp, email: &str) -> bool {
    let email = email.to_string();
    munifed::db::run(&app.data().db, move |conn| {
        Ok(munifed::db::users::by_email(conn, &email)?.is_some())
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    let app = spawn_app().await;
    user(&app, "admin@city.example", "admin").await;

    let anonymous = client().get(app.url("/admin")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&anonymous), "/admin/login");

    let wrong = post_login(&app, "admin@city.example", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get(header::SET_COOKIE).is_none());
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("wrong e-mail or password"));

    let right = post_login(&app, "Admin@City.example ", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookie(&right).to_string();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/admin", "Max-Age=43200"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http here: {cookie}");
    drop(right);

    let signed = log_in(&app, "admin@city.example").await;
    let home = signed.get(&app, "/admin").await;
    assert_eq!(home.status(), StatusCode::OK);
    let headers = home.headers().clone();
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
    assert!(home.text().await.unwrap().contains("admin@city.example"));

    // The session lives in the database: another instance process would see it too.
    let sessions = munifed::db::run(&app.data().db, |conn| {
        use diesel::prelude::*;
        Ok(munifed::db::schema::sessions::table
            .count()
            .get_result::<i64>(conn)?)
    })
    .await
    .unwrap();
    assert_eq!(sessions, 2, "two logins, two sessions");

    let out = signed
        .post(&app, "/admin/logout", &[("csrf", signed.csrf.as_str())])
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie(&out).contains("Max-Age=0"));
    let after = signed.get(&app, "/admin").await;
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "the session has ended"
    );
}

#[tokio::test]
async fn forms_without_the_session_token_or_from_elsewhere_change_nothing() {
    let app = spawn_app().await;
    user(&app, "admin@city.example", "admin").await;
    let admin = log_in(&app, "admin@city.example").await;
    let new_user = |csrf: &'static str| {
        [
            ("csrf", csrf),
            ("email", "editor@city.example"),
            ("role", "editor"),
            ("password", PASSWORD),
        ]
    };

    let missing = admin.post(&app, "/admin/users", &new_user("")[1..]).await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    let wrong = admin.post(&app, "/admin/users", &new_user("forged")).await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let csrf: &'static str = Box::leak(admin.csrf.clone().into_boxed_str());
    let elsewhere = client()
        .post(app.url("/admin/users"))
        .header(header::COOKIE, &admin.cookie)
        .header(header::ORIGIN, "https://evil.example")
        .form_body(&new_user(csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    assert!(!user_exists(&app, "editor@city.example").await);

    // The same form, right: done, said so once, and recorded.
    let done = admin.post(&app, "/admin/users", &new_user(csrf)).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/admin/users");
    let notice = set_cookie(&done).to_string();
    assert!(user_exists(&app, "editor@city.example").await);
    let page = client()
        .get(app.url("/admin/users"))
        .header(
            header::COOKIE,
            format!("{}; {}", admin.cookie, notice.split(';').next().unwrap()),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Created editor@city.example."), "{page}");

    // A refusal comes back as a message, and changes nothing.
    let refused = admin
        .post(
            &app,
            "/admin/users/role",
            &[
                ("csrf", csrf),
                ("email", "admin@city.example"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert!(flash(&refused).starts_with("error"));

    let audit = admin.get(&app, "/admin/audit").await.text().await.unwrap();
    assert!(
        audit.contains("user.create") && audit.contains("editor@city.example"),
        "{audit}"
    );
    assert!(audit.contains("session.login"));
    let filtered = admin
        .get(&app, "/admin/audit?action=user.create")
        .await
        .text()
        .await
        .unwrap();
    assert!(!filtered.contains("session.login</td>"), "{filtered}");
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_and_per_address() {
    let app = spawn_app().await;
    user(&app, "admin@city.example", "admin").await;
    user(&app, "editor@city.example", "editor").await;
    for _ in 0..5 {
        let failed = post_login(&app, "admin@city.example", "guess").await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = post_login(&app, "admin@city.example", PASSWORD).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().get(header::SET_COOKIE).is_none());
    // Another account from the same address still logs in…
    assert_eq!(
        post_login(&app, "editor@city.example", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // …until the address has failed too often, whoever it tries.
    for n in 0..15 {
        let failed = post_login(&app, &format!("nobody{n}@city.example"), "guess").await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED, "try {n}");
    }
    assert_eq!(
        post_login(&app, "editor@city.example", PASSWORD)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn every_page_checks_the_role_on_the_server() {
    let app = spawn_app().await;
    user(&app, "admin@city.example", "admin").await;
    user(&app, "moderator@city.example", "moderator").await;
    user(&app, "editor@city.example", "editor").await;
    let editor = log_in(&app, "editor@city.example").await;
    let moderator = log_in(&app, "moderator@city.example").await;
    for (who, path, expected) in [
        (&editor, "/admin", StatusCode::OK),
        (&editor, "/admin/users", StatusCode::FORBIDDEN),
        (&editor, "/admin/audit", StatusCode::FORBIDDEN),
        (&moderator, "/admin/audit", StatusCode::OK),
        (&moderator, "/admin/users", StatusCode::FORBIDDEN),
        (&editor, "/admin/nowhere", StatusCode::NOT_FOUND),
    ] {
        assert_eq!(who.get(&app, path).await.status(), expected, "{path}");
    }
    let editor_page = editor.get(&app, "/admin").await.text().await.unwrap();
    assert!(
        !editor_page.contains("/admin/users"),
        "no link to what is refused"
    );
    let forged = editor
        .post(
            &app,
            "/admin/users/role",
            &[
                ("csrf", editor.csrf.as_str()),
                ("email", "editor@city.example"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let still_editor = munifed::db::run(&app.data().db, |conn| {
        Ok(munifed::db::users::by_email(conn, "editor@city.example")?
            .unwrap()
            .role)
    })
    .await
    .unwrap();
    assert_eq!(still_editor, "editor");
}

#[tokio::test]
async fn a_disabled_user_is_signed_out_everywhere() {
    let app = spawn_app().await;
    user(&app, "admin@city.example", "admin").await;
    user(&app, "editor@city.example", "editor").await;
    let token = users::create_token(&app.data(), &Staff::Operator, "editor@city.example", None)
        .await
        .unwrap();
    let admin = log_in(&app, "admin@city.example").await;
    let editor = log_in(&app, "editor@city.example").await;
    let done = admin
        .post(
            &app,
            "/admin/users/disable",
            &[
                ("csrf", admin.csrf.as_str()),
                ("email", "editor@city.example"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        editor.get(&app, "/admin").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post_login(&app, "editor@city.example", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let api = client()
        .get(app.url("/api/v1/follows"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    // The last admin cannot lock everyone out.
    let last = admin
        .post(
            &app,
            "/admin/users/disable",
            &[
                ("csrf", admin.csrf.as_str()),
                ("email", "admin@city.example"),
            ],
        )
        .await;
    assert!(set_cookie(&last).starts_with("munifed_flash=error"));
    assert_eq!(admin.get(&app, "/admin").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn moderators_set_rules_and_import_block_lists_in_the_panel() {
    let app = spawn_app().await;
    user(&app, "moderator@city.example", "moderator").await;
    user(&app, "editor@city.example", "editor").await;
    let moderator = log_in(&app, "moderator@city.example").await;
    let editor = log_in(&app, "editor@city.example").await;
    assert_eq!(
        editor.get(&app, "/admin/domains").await.status(),
        StatusCode::FORBIDDEN
    );
    let csrf = moderator.csrf.as_str();
    let set = moderator
        .post(
            &app,
            "/admin/domains",
            &[
                ("csrf", csrf),
                ("domain", "Spam.Example"),
                ("severity", "suspend"),
                ("reject_media", "on"),
                ("private_comment", "seen in reports"),
            ],
        )
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    let imported = moderator
        .post(
            &app,
            "/admin/domains/import",
            &[
                (
                    "csv",
                    "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
                 loud.example,silence,false,false,Too loud,false\nnot a domain,suspend\n",
                ),
                ("csrf", csrf),
            ],
        )
        .await;
    assert_eq!(imported.status(), StatusCode::SEE_OTHER);
    let said = flash(&imported);
    assert!(said.starts_with("notice"), "{said}");
    let notice = set_cookie(&imported).to_string();
    let page = client()
        .get(app.url("/admin/domains"))
        .header(
            header::COOKIE,
            format!(
                "{}; {}",
                moderator.cookie,
                notice.split(';').next().unwrap()
            ),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("1 added, 0 updated, 0 unchanged, 1 not read"),
        "{page}"
    );
    assert!(page.contains("spam.example") && page.contains("seen in reports"));
    assert!(page.contains("loud.example") && page.contains("Too loud"));
    // A moderator does not close the network: that is an admin's call.
    assert!(!page.contains("/admin/domains/mode"));
    let closed = moderator
        .post(
            &app,
            "/admin/domains/mode",
            &[("csrf", csrf), ("mode", "allowlist")],
        )
        .await;
    assert!(set_cookie(&closed).starts_with("munifed_flash=error"));

    let export = moderator.get(&app, "/admin/domains/blocks.csv").await;
    assert_eq!(
        export.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let csv = export.text().await.unwrap();
    assert!(
        csv.contains("spam.example,suspend,true,false,,false"),
        "{csv}"
    );
    assert!(!csv.contains("seen in reports"));
    let audit = moderator
        .get(&app, "/admin/audit")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        audit.contains("domain.suspend") && audit.contains("domain.silence"),
        "{audit}"
    );
}

#[tokio::test]
async fn followers_are_approved_and_removed_and_accounts_followed_from_the_panel() {
    let (alpha, beta) = crate::helpers::spawn_pair().await;
    user(&alpha, "admin@city.example", "admin").await;
    user(&alpha, "editor@city.example", "editor").await;
    let admin = log_in(&alpha, "admin@city.example").await;
    let csrf = admin.csrf.as_str();
    let created = admin
        .post(
            &alpha,
            "/admin/accounts",
            &[
                ("csrf", csrf),
                ("name", "board"),
                ("display_name", "The board"),
                ("manual_approval", "on"),
            ],
        )
        .await;
    assert_eq!(location(&created), "/admin/accounts/board");

    // beta's news asks to follow @board: the request waits in the panel.
    munifed::service::follow::follow(
        &beta.data(),
        &Staff::Operator,
        None,
        &format!("@board@{}", alpha.domain),
    )
    .await
    .unwrap();
    beta.deliver_all_pending().await;
    let page = admin
        .get(&alpha, "/admin/accounts/board")
        .await
        .text()
        .await
        .unwrap();
    let beta_news = beta.url("/users/news").to_string();
    assert!(page.contains(&format!("@news@{}", beta.domain)), "{page}");
    let approved = admin
        .post(
            &alpha,
            "/admin/accounts/board/requests",
            &[
                ("csrf", csrf),
                ("follower", &beta_news),
                ("decision", "approve"),
            ],
        )
        .await;
    assert!(set_cookie(&approved).starts_with("munifed_flash=notice"));
    assert_eq!(alpha.deliver_all_pending().await, 1, "the Accept goes out");
    let page = admin
        .get(&alpha, "/admin/accounts/board")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Followers, oldest first"), "{page}");

    // Removing the follower sends a Reject.
    let removed = admin
        .post(
            &alpha,
            "/admin/accounts/board/followers/remove",
            &[("csrf", csrf), ("follower", &beta_news)],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(alpha.deliver_all_pending().await, 1, "the Reject goes out");

    // Following by handle from the panel.
    let followed = admin
        .post(
            &alpha,
            "/admin/accounts/board/follow",
            &[
                ("csrf", csrf),
                ("target", &format!("@news@{}", beta.domain)),
            ],
        )
        .await;
    assert!(set_cookie(&followed).starts_with("munifed_flash=notice"));
    let page = admin
        .get(&alpha, "/admin/accounts/board")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("pending"), "{page}");

    // An editor who does not publish as @board may not see or change its followers.
    let editor = log_in(&alpha, "editor@city.example").await;
    assert_eq!(
        editor.get(&alpha, "/admin/accounts/board").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        editor.get(&alpha, "/admin/relays").await.status(),
        StatusCode::FORBIDDEN
    );
    let audit = admin
        .get(&alpha, "/admin/audit")
        .await
        .text()
        .await
        .unwrap();
    for action in ["account.create", "follow.approve", "follower.remove"] {
        assert!(audit.contains(action), "{action}: {audit}");
    }
}

#[tokio::test]
async fn a_long_block_list_is_imported_from_the_panel() {
    let app = spawn_app().await;
    user(&app, "moderator@city.example", "moderator").await;
    let moderator = log_in(&app, "moderator@city.example").await;
    let mut csv = String::from(
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n",
    );
    for n in 0..1000 {
        csv.push_str(&format!(
            "spam{n}.example,suspend,true,false,\"Spam, wave {n}\",false\n"
        ));
    }
    assert!(
        csv.len() > 40_000,
        "well over the 16 KiB forms get by default"
    );
    let imported = moderator
        .post(
            &app,
            "/admin/domains/import",
            &[("csrf", moderator.csrf.as_str()), ("csv", &csv)],
        )
        .await;
    assert_eq!(imported.status(), StatusCode::SEE_OTHER);
    let said = flash(&imported);
    assert!(said.starts_with("notice"), "{said}");
    assert!(said.contains("1,000 added"), "{said}");
    // Listed a hundred at a time.
    let first = moderator
        .get(&app, "/admin/domains")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(first.matches("aria-label=\"Lift the rule on").count(), 100);
    assert!(first.contains("rel=\"next\""));
    let last = moderator
        .get(&app, "/admin/domains?page=10")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(last.matches("aria-label=\"Lift the rule on").count(), 100);
    let beyond = moderator
        .get(&app, "/admin/domains?page=11")
        .await
        .text()
        .await
        .unwrap();
    assert!(beyond.contains("No more rules") && !beyond.contains("rel=\"next\""));
}

#[tokio::test]
async fn posts_and_actors_are_moderated_from_the_panel_by_moderators_only() {
    let app = spawn_app().await;
    // An actor whose document cannot be read (404 on loopback) is blocked as given.
    let gone = crate::helpers::spawn_receiver(404).await;
    let troll = gone.inbox.join("/users/troll").unwrap().to_string();
    user(&app, "moderator@city.example", "moderator").await;
    user(&app, "editor@city.example", "editor").await;
    let moderator = log_in(&app, "moderator@city.example").await;
    let editor = log_in(&app, "editor@city.example").await;
    assert_eq!(
        editor.get(&app, "/admin/moderation").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        moderator.get(&app, "/admin/moderation").await.status(),
        StatusCode::OK
    );
    let unknown = moderator
        .post(
            &app,
            "/admin/moderation/remove",
            &[
                ("csrf", moderator.csrf.as_str()),
                ("post", "https://elsewhere.example/notes/1"),
            ],
        )
        .await;
    assert!(set_cookie(&unknown).starts_with("munifed_flash=error"));
    let blocked = moderator
        .post(
            &app,
            "/admin/moderation/block",
            &[
                ("csrf", moderator.csrf.as_str()),
                ("actor", troll.as_str()),
                ("comment", "harassment"),
            ],
        )
        .await;
    assert!(set_cookie(&blocked).starts_with("munifed_flash=notice"));
    let page = moderator
        .get(&app, "/admin/moderation")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&troll) && page.contains("harassment"),
        "{page}"
    );
    let refused = editor
        .post(
            &app,
            "/admin/moderation/unblock",
            &[("csrf", editor.csrf.as_str()), ("actor", troll.as_str())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert!(flash(&refused).starts_with("error"));
}
