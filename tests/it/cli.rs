//! The binary as a user runs it.

use std::process::{Command, Output};

use crate::helpers::{run_munifed, TestDatabase};

fn munifed(database: &TestDatabase, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut settings = vec![("MUNIFED__INSTANCE__DOMAIN", "localhost:1")];
    settings.extend_from_slice(env);
    run_munifed(&database.url, args, &settings)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn accounts_are_created_and_listed() {
    let database = TestDatabase::new();
    let migrate = munifed(&database, &["migrate"], &[]);
    assert!(migrate.status.success(), "{migrate:?}");

    let created = munifed(
        &database,
        &[
            "account",
            "create",
            "housing",
            "--display-name",
            "Housing Programme",
            "--manual-approval",
        ],
        &[],
    );
    assert!(created.status.success(), "{created:?}");
    assert!(stdout(&created).contains("@housing@localhost:1"));

    let list = munifed(&database, &["account", "list"], &[]);
    let list = stdout(&list);
    // The first start created the instance's own account too.
    assert!(list.contains("@news@localhost:1"), "{list}");
    assert!(list.contains("Housing Programme"), "{list}");

    let duplicate = munifed(&database, &["account", "create", "housing"], &[]);
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

    let bad_name = munifed(&database, &["account", "create", "Not Valid"], &[]);
    assert!(!bad_name.status.success());
    assert!(String::from_utf8_lossy(&bad_name.stderr).contains("lower-case"));

    let queue = munifed(&database, &["deliveries"], &[]);
    assert!(queue.status.success());
    assert!(stdout(&queue).contains("deliveries by state"));
}

#[test]
fn an_invalid_setting_stops_start_up_naming_it() {
    let database = TestDatabase::new();
    let output = munifed(
        &database,
        &["serve"],
        &[("MUNIFED__SERVER__BIND", "everywhere")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("server.bind"));

    let output = munifed(
        &database,
        &["--config", "/nonexistent/munifed.toml", "serve"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--config"));
}

#[test]
fn a_config_file_is_read_over_the_defaults() {
    let database = TestDatabase::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("munifed.toml");
    std::fs::write(
        &file,
        "[instance]\naccount = \"city\"\nname = \"City of Example\"\n",
    )
    .unwrap();
    let list = munifed(
        &database,
        &["--config", file.to_str().unwrap(), "account", "list"],
        &[],
    );
    assert!(list.status.success(), "{list:?}");
    let list = stdout(&list);
    assert!(
        list.contains("@city@localhost:1") && list.contains("City of Example"),
        "{list}"
    );
}

#[test]
fn every_command_has_help() {
    let database = TestDatabase::new();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["account", "create", "--help"],
        vec!["account", "list", "--help"],
        vec!["account", "update", "--help"],
        vec!["user", "create", "--help"],
        vec!["token", "create", "--help"],
        vec!["publish", "--help"],
        vec!["follow", "--help"],
        vec!["unfollow", "--help"],
        vec!["deliveries", "--help"],
    ] {
        let output = munifed(&database, &args, &[]);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}

#[test]
fn staff_users_tokens_and_publishing_from_a_file() {
    let database = TestDatabase::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_munifed"))
        .args([
            "user",
            "create",
            "comms@city.example",
            "--role",
            "editor",
            "--password-stdin",
            "--account",
            "news",
        ])
        .env("MUNIFED__DATABASE__URL", &database.url)
        .env("MUNIFED__INSTANCE__DOMAIN", "localhost:1")
        .env("MUNIFED__LOG__LEVEL", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "correct horse battery staple").unwrap();
    }
    let created = child.wait_with_output().unwrap();
    assert!(created.status.success(), "{created:?}");

    assert!(
        stdout(&created).contains("publishes as: news"),
        "{created:?}"
    );

    let token = munifed(
        &database,
        &["token", "create", "comms@city.example", "--days", "30"],
        &[],
    );
    assert!(token.status.success());
    let token = stdout(&token);
    let last = token.lines().last().unwrap();
    assert_eq!(last.len(), 43, "the token alone on the last line: {token}");
    let listed = stdout(&munifed(&database, &["token", "list"], &[]));
    let row = listed.lines().nth(1).unwrap_or_default();
    assert!(
        row.starts_with("1\tcomms@city.example\t") && !row.ends_with("never"),
        "{listed}"
    );
    let refused = munifed(&database, &["token", "revoke", "99"], &[]);
    assert!(
        !refused.status.success(),
        "an unknown token cannot be revoked"
    );

    let dir = tempfile::tempdir().unwrap();
    let toml_file = dir.path().join("course.toml");
    std::fs::write(
        &toml_file,
        r#"
title = "Applications for the online course are open"
summary = "Until October 5th."
body = "Apply on the **course** page. #training"
kind = "course"
deadline = "2030-10-05T23:59:00"
timezone = "Europe/Madrid"
apply_url = "https://city.example/course"
"#,
    )
    .unwrap();
    let published = munifed(
        &database,
        &["publish", "call", "--file", toml_file.to_str().unwrap()],
        &[],
    );
    assert!(published.status.success(), "{published:?}");
    assert!(stdout(&published).contains("http://localhost:1/calls/"));

    let json_file = dir.path().join("bad.json");
    std::fs::write(&json_file, r#"{ "title": "", "start": "soon" }"#).unwrap();
    let refused = munifed(
        &database,
        &["publish", "event", "--file", json_file.to_str().unwrap()],
        &[],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("title") && stderr.contains("start"),
        "{stderr}"
    );
}
