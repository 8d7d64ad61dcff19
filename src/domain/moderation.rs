//! Domain moderation: rules per domain (suspend, silence, or media only), the federation
//! mode (an open network with a block list, or a closed one with an allow list), and the
//! Mastodon-compatible CSV block lists they are exchanged as.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::i18n::Message;

/// What a rule does to a domain, as Mastodon names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing in, nothing out; what we stored of it is purged.
    Suspend,
    /// Follows kept; its content stays out of the shared timeline unless an account follows
    /// its author; its follows of ours need approval.
    Silence,
    /// No effect of its own (a rule for `reject_media` alone).
    Noop,
}

impl Severity {
    /// How much a rule restricts: noop < silence < suspend.
    pub fn strictness(self) -> u8 {
        match self {
            Severity::Noop => 0,
            Severity::Silence => 1,
            Severity::Suspend => 2,
        }
    }

    pub const ALL: [Severity; 3] = [Severity::Suspend, Severity::Silence, Severity::Noop];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suspend => "suspend",
            Severity::Silence => "silence",
            Severity::Noop => "noop",
        }
    }

    pub fn parse(value: &str) -> Option<Severity> {
        match value.trim().to_ascii_lowercase().as_str() {
            "suspend" => Some(Severity::Suspend),
            // Mastodon's older exports say "silence" or "limit" for the same thing.
            "silence" | "limit" => Some(Severity::Silence),
            "noop" | "none" => Some(Severity::Noop),
            _ => None,
        }
    }
}

/// Whom the instance federates with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FederationMode {
    /// Everyone but the suspended domains.
    #[default]
    Open,
    /// Only the allowed domains (a closed network of members).
    Allowlist,
}

impl FederationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            FederationMode::Open => "open",
            FederationMode::Allowlist => "allowlist",
        }
    }

    pub fn parse(value: &str) -> Option<FederationMode> {
        match value.trim() {
            "open" => Some(FederationMode::Open),
            "allowlist" => Some(FederationMode::Allowlist),
            _ => None,
        }
    }
}

/// One domain's rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainRule {
    /// The host, normalised (`normalise_domain`).
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    /// Shown with the rule where the instance lists its rules; exported.
    pub public_comment: String,
    /// For staff only; never exported.
    pub private_comment: String,
    /// Hide the domain partly where the rules are shown in public (exports keep it whole).
    pub obfuscate: bool,
}

/// A domain as rules name it: the host alone, lower-case, without a port, a trailing dot
/// or a scheme; `None` when it is not a plausible host name.
pub fn normalise_domain(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let without_scheme = trimmed.split_once("://").map_or(trimmed, |(_, rest)| rest);
    let host = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let plausible = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !host.starts_with('.')
        && !host.contains("..");
    plausible.then_some(host)
}

/// The host of `domain` (`host` or `host:port`) and its parents: a rule on example.com
/// covers its subdomains.
pub fn block_candidates(domain: &str) -> Vec<String> {
    // `evil.example.` is `evil.example`: a trailing dot must not slip past a rule.
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

/// Every rule, the allow list and the mode: what decides whether we talk to a domain.
#[derive(Clone, Debug, Default)]
pub struct DomainPolicy {
    pub mode: FederationMode,
    pub rules: HashMap<String, DomainRule>,
    pub allowed: HashSet<String>,
    /// Remote actors blocked one by one, by id.
    pub blocked_actors: HashSet<String>,
}

impl DomainPolicy {
    /// The rule that applies to `domain`: its own, else its nearest parent's.
    pub fn rule_for(&self, domain: &str) -> Option<&DomainRule> {
        block_candidates(domain)
            .iter()
            .find_map(|candidate| self.rules.get(candidate))
    }

    /// Whether nothing is received from or sent to `domain`, and nothing fetched: it is
    /// suspended, or the network is closed and it is not a member.
    pub fn refuses(&self, domain: &str) -> bool {
        if self
            .rule_for(domain)
            .is_some_and(|r| r.severity == Severity::Suspend)
        {
            return true;
        }
        self.mode == FederationMode::Allowlist
            && !block_candidates(domain)
                .iter()
                .any(|candidate| self.allowed.contains(candidate))
    }

    /// Whether `actor` (an actor's id) is blocked itself.
    pub fn blocks_actor(&self, actor: &str) -> bool {
        self.blocked_actors.contains(actor)
    }

    pub fn silences(&self, domain: &str) -> bool {
        self.rule_for(domain)
            .is_some_and(|r| r.severity == Severity::Silence)
    }

    pub fn rejects_media(&self, domain: &str) -> bool {
        self.refuses(domain) || self.rule_for(domain).is_some_and(|r| r.reject_media)
    }

    /// Whether reports (`Flag`) from `domain` are ignored.
    pub fn rejects_reports(&self, domain: &str) -> bool {
        self.refuses(domain) || self.rule_for(domain).is_some_and(|r| r.reject_reports)
    }
}

/// The columns of a Mastodon block list export.
pub const CSV_HEADER: [&str; 6] = [
    "#domain",
    "#severity",
    "#reject_media",
    "#reject_reports",
    "#public_comment",
    "#obfuscate",
];

/// A block list read from CSV: the rules, and the lines that could not be read (with why).
#[derive(Debug, Default)]
pub struct ParsedBlockList {
    pub rules: Vec<DomainRule>,
    pub invalid: Vec<(usize, Message)>,
}

/// Reads a Mastodon-compatible block list: a header naming the columns (with or without
/// `#`), or Mastodon's column order when there is none.
pub fn parse_block_list(text: &str) -> ParsedBlockList {
    let mut parsed = ParsedBlockList::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut columns: Vec<String> = CSV_HEADER
        .iter()
        .map(|c| c.trim_start_matches('#').to_string())
        .collect();
    for (index, record) in reader.records().enumerate() {
        let line = index + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                parsed
                    .invalid
                    .push((line, Message::new("error-not-csv").arg("error", e)));
                continue;
            }
        };
        let first = record.get(0).unwrap_or_default();
        if index == 0 && first.trim_start_matches('#').eq_ignore_ascii_case("domain") {
            columns = record
                .iter()
                .map(|c| c.trim_start_matches('#').to_ascii_lowercase())
                .collect();
            continue;
        }
        if first.is_empty() {
            continue;
        }
        let field = |name: &str| {
            columns
                .iter()
                .position(|c| c == name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
        };
        let flag = |name: &str| {
            matches!(
                field(name).to_ascii_lowercase().as_str(),
                "true" | "1" | "yes"
            )
        };
        let Some(domain) = normalise_domain(field("domain")) else {
            parsed.invalid.push((
                line,
                Message::new("error-not-a-domain").arg("domain", field("domain")),
            ));
            continue;
        };
        // A bare domain is a suspension, as Mastodon imports it.
        let severity = match field("severity") {
            "" => Some(Severity::Suspend),
            given => Severity::parse(given),
        };
        let Some(severity) = severity else {
            parsed.invalid.push((
                line,
                Message::new("error-not-a-severity").arg("severity", field("severity")),
            ));
            continue;
        };
        parsed.rules.push(DomainRule {
            domain,
            severity,
            reject_media: flag("reject_media"),
            reject_reports: flag("reject_reports"),
            public_comment: field("public_comment").chars().take(1000).collect(),
            private_comment: String::new(),
            obfuscate: flag("obfuscate"),
        });
    }
    parsed
}

/// Writes rules as Mastodon exports them: the real domain with its `#obfuscate` flag (which
/// only hides it on public pages); private comments stay here.
pub fn format_block_list(rules: &[DomainRule]) -> String {
    let mut writer = csv::Writer::from_writer(vec![]);
    let mut rows: Vec<Vec<String>> = vec![CSV_HEADER.iter().map(|c| c.to_string()).collect()];
    for rule in rules {
        rows.push(vec![
            rule.domain.clone(),
            rule.severity.as_str().to_string(),
            rule.reject_media.to_string(),
            rule.reject_reports.to_string(),
            rule.public_comment.clone(),
            rule.obfuscate.to_string(),
        ]);
    }
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&row);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// Reads a plain allow list: one domain per line; `#` starts a comment.
pub fn parse_allow_list(text: &str) -> (Vec<String>, Vec<(usize, Message)>) {
    let mut domains = vec![];
    let mut invalid = vec![];
    for (index, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or_default().trim();
        // A CSV export of allowed domains has the domain first.
        let entry = entry.split(',').next().unwrap_or_default().trim();
        if entry.is_empty() {
            continue;
        }
        match normalise_domain(entry) {
            Some(domain) => domains.push(domain),
            None => invalid.push((
                index + 1,
                Message::new("error-not-a-domain").arg("domain", entry),
            )),
        }
    }
    (domains, invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(domain: &str, severity: Severity) -> DomainRule {
        DomainRule {
            domain: domain.into(),
            severity,
            reject_media: false,
            reject_reports: false,
            public_comment: String::new(),
            private_comment: String::new(),
            obfuscate: false,
        }
    }

    #[test]
    fn domains_are_normalised_or_refused() {
        assert_eq!(
            normalise_domain(" Evil.Example. ").as_deref(),
            Some("evil.example")
        );
        assert_eq!(
            normalise_domain("https://evil.example:8443/users/x").as_deref(),
            Some("evil.example")
        );
        assert_eq!(
            normalise_domain("@someone@Evil.example").as_deref(),
            Some("evil.example")
        );
        for bad in ["", "evil example", "<script>", ".example", "a..b"] {
            assert_eq!(normalise_domain(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_policy_reads_parents_severities_and_the_allow_list() {
        let mut policy = DomainPolicy::default();
        policy.rules.insert(
            "evil.example".into(),
            rule("evil.example", Severity::Suspend),
        );
        policy.rules.insert(
            "loud.example".into(),
            rule("loud.example", Severity::Silence),
        );
        let mut media = rule("pics.example", Severity::Noop);
        media.reject_media = true;
        policy.rules.insert("pics.example".into(), media);
        assert!(policy.refuses("sub.evil.example:443"));
        assert!(!policy.refuses("loud.example") && policy.silences("a.loud.example"));
        assert!(!policy.refuses("pics.example") && policy.rejects_media("pics.example"));
        assert!(!policy.refuses("city.example"));
        policy.mode = FederationMode::Allowlist;
        policy.allowed.insert("city.example".into());
        assert!(!policy.refuses("www.city.example"));
        assert!(policy.refuses("other.example"));
        assert!(policy.rejects_media("other.example"));
    }

    #[test]
    fn mastodon_block_lists_round_trip() {
        let text = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
                    evil.example,suspend,true,true,\"Spam, and worse\",false\n\
                    Loud.Example,silence,false,false,,false\n\
                    not a domain,suspend,false,false,,false\n\
                    odd.example,annihilate,false,false,,false\n";
        let parsed = parse_block_list(text);
        assert_eq!(parsed.rules.len(), 2);
        assert_eq!(parsed.invalid.len(), 2, "{:?}", parsed.invalid);
        assert_eq!(parsed.rules[0].public_comment, "Spam, and worse");
        assert!(parsed.rules[0].reject_media && parsed.rules[0].reject_reports);
        assert_eq!(parsed.rules[1].domain, "loud.example");
        let again = parse_block_list(&format_block_list(&parsed.rules));
        assert_eq!(again.rules, parsed.rules);
        // Without a header, Mastodon's order; a bare list of domains suspends them.
        let bare = parse_block_list("a.example,suspend\nb.example\n");
        assert_eq!(bare.rules.len(), 2);
        assert_eq!(bare.rules[1].severity, Severity::Suspend);
    }

    #[test]
    fn obfuscated_rules_export_their_real_domain_and_import_again() {
        let mut hidden = rule("evil.example", Severity::Suspend);
        hidden.obfuscate = true;
        let csv = format_block_list(std::slice::from_ref(&hidden));
        assert!(
            csv.contains("evil.example,suspend,false,false,,true"),
            "{csv}"
        );
        assert_eq!(parse_block_list(&csv).rules, [hidden]);
    }

    #[test]
    fn allow_lists_are_plain_lines() {
        let (domains, invalid) =
            parse_allow_list("# members\ncity.example\n Town.Example. # ours\n\nbad domain\n");
        assert_eq!(domains, ["city.example", "town.example"]);
        assert_eq!(invalid.len(), 1);
    }
}
