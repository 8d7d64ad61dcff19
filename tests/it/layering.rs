//! The layers depend one way: domain ← db ← service ← {api, web, federation, cli}.
//! This reads `src/` and fails when a lower layer names a module above it.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

/// For each layer (a folder or file under `src/`), the crate modules it may name.
const RULES: &[(&str, &[&str])] = &[
    ("domain", &["domain", "i18n"]),
    ("i18n.rs", &[]),
    ("error.rs", &["i18n"]),
    ("ingest", &["ingest"]),
    ("crypto.rs", &[]),
    ("metrics.rs", &["ingest"]),
    ("telemetry.rs", &["config", "metrics"]),
    ("urls.rs", &["domain"]),
    ("db", &["db", "domain", "error", "i18n"]),
    ("config.rs", &["db", "domain", "i18n"]),
    (
        "service",
        &[
            "service", "db", "domain", "error", "i18n", "ingest", "metrics", "urls", "config",
            "state",
        ],
    ),
    (
        "state.rs",
        &[
            "config", "crypto", "db", "domain", "i18n", "ingest", "metrics", "service", "urls",
        ],
    ),
];

/// The ways in (API, pages, ActivityPub) never name each other; the CLI may run the
/// delivery queue and start the server.
const SIBLINGS: &[(&str, &[&str])] = &[
    ("api", &["web", "federation", "cli", "startup"]),
    ("web", &["api", "federation", "cli", "startup"]),
    ("federation", &["api", "web", "cli", "startup"]),
];

fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = vec![];
    for entry in std::fs::read_dir(path).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level crate modules a source text names: `crate::x::…` and every branch of
/// `use crate::{x, y::{…}}`.
fn crate_modules(source: &str) -> BTreeSet<String> {
    let code: String = source
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let identifier = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut modules = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let Some(tree) = rest.strip_prefix('{') else {
            modules.insert(identifier(rest));
            continue;
        };
        // The branches at depth one of the braces.
        let mut depth = 1;
        let mut branch_start = true;
        for (i, c) in tree.char_indices() {
            if branch_start && !c.is_whitespace() {
                modules.insert(identifier(&tree[i..]));
                branch_start = false;
            }
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => branch_start = true,
                _ => {}
            }
        }
    }
    modules.retain(|m| !m.is_empty());
    modules
}

/// Every `crate::` module that a file of `layer` names and `allowed` refuses.
fn violations(layer: &str, allowed: impl Fn(&str) -> bool) -> Vec<String> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src.join(layer));
    assert!(!files.is_empty(), "no source for layer {layer}");
    let mut found = vec![];
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for module in crate_modules(&source) {
            if !allowed(&module) {
                let name = file.strip_prefix(&src).unwrap().display();
                found.push(format!("{name} names crate::{module}"));
            }
        }
    }
    found
}

#[test]
fn lower_layers_never_name_the_layers_above_them() {
    let mut found = vec![];
    for (layer, allowed) in RULES {
        found.extend(violations(layer, |m| allowed.contains(&m)));
    }
    for (layer, forbidden) in SIBLINGS {
        found.extend(violations(layer, |m| !forbidden.contains(&m)));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_scanner_sees_nested_and_inline_paths() {
    let source = "use crate::{\n    db::{self, x},\n    // crate::web is a comment\n    federation::delivery,\n};\nfn f() { crate::api::g(); }";
    assert_eq!(
        crate_modules(source).into_iter().collect::<Vec<_>>(),
        ["api", "db", "federation"]
    );
}
