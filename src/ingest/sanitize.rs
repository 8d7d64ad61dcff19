//! The one HTML policy for everything received from other servers (and rendered Markdown):
//! Mastodon's allowlist, safe link schemes, `rel="nofollow noopener noreferrer"`.

use std::{
    borrow::Cow,
    collections::{HashMap, HashSet},
    sync::LazyLock,
};

use ammonia::{Builder, UrlRelative};

const TAGS: &[&str] = &[
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
];

const LINK_SCHEMES: &[&str] = &[
    "http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini",
    "mailto",
];

/// Microformats prefixes and the few semantic classes Mastodon keeps.
fn allowed_class(class: &str) -> bool {
    ["h-", "p-", "u-", "dt-", "e-"]
        .iter()
        .any(|prefix| class.starts_with(prefix))
        || matches!(class, "mention" | "hashtag" | "ellipsis" | "invisible")
}

static POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let tag_attributes: HashMap<&str, HashSet<&str>> = [
        ("a", HashSet::from(["href", "class"])),
        ("span", HashSet::from(["class"])),
        ("p", HashSet::from(["class"])),
        ("ol", HashSet::from(["start", "reversed"])),
        ("li", HashSet::from(["value"])),
    ]
    .into_iter()
    .collect();
    let mut builder = Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(LINK_SCHEMES.iter().copied().collect())
        .url_relative(UrlRelative::Deny)
        // Incoming rel values are dropped and replaced; allowing `rel` here too would panic.
        .link_rel(Some("nofollow noopener noreferrer"))
        .strip_comments(true)
        // Classes are filtered here: ammonia panics on allowed_classes plus a class attribute.
        .attribute_filter(|_element, attribute, value| match attribute {
            "class" => {
                let kept: Vec<&str> = value
                    .split_ascii_whitespace()
                    .filter(|class| allowed_class(class))
                    .collect();
                (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
            }
            _ => Some(Cow::Borrowed(value)),
        });
    builder
});

/// Cleans HTML from outside: what is left is safe to show as it is.
pub fn clean_html(html: &str) -> String {
    POLICY.clean(html).to_string()
}

/// Reduces text that may carry markup (names, labels) to plain text.
pub fn plain_text(text: &str) -> String {
    let stripped = ammonia::Builder::empty().clean(text).to_string();
    // ammonia serialises what it keeps as HTML (`&amp;`, `&nbsp;`); names are stored as
    // text, so every entity is decoded (templates escape them again when shown).
    html_escape::decode_html_entities(&stripped)
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{clean_html, plain_text};

    #[test]
    fn removes_scripts_handlers_and_dangerous_links() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a>
            <iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)></p>"#;
        let clean = clean_html(dirty);
        for bad in [
            "script",
            "onclick",
            "javascript:",
            "iframe",
            "onerror",
            "<img",
        ] {
            assert!(!clean.contains(bad), "{bad} left in {clean}");
        }
        assert!(clean.contains("<p>Hi"));
    }

    #[test]
    fn keeps_links_mentions_and_hashtags_with_safe_rel() {
        let clean = clean_html(
            r#"<a href="https://x.example/tags/sdg" class="mention hashtag evil" rel="tag">#SDG</a>"#,
        );
        assert!(clean.contains(r#"class="mention hashtag""#), "{clean}");
        assert!(
            clean.contains(r#"rel="nofollow noopener noreferrer""#),
            "{clean}"
        );
        assert!(!clean.contains("evil"));
    }

    #[test]
    fn plain_text_drops_markup_but_keeps_characters() {
        assert_eq!(
            plain_text("<b>Ville</b> de Saint-Denis & co"),
            "Ville de Saint-Denis & co"
        );
        assert_eq!(plain_text("<script>x</script>Name"), "Name");
        assert_eq!(
            plain_text("Ville&nbsp;de&nbsp;Lyon &eacute;t&eacute; &lt;3 &#x1F600;"),
            "Ville\u{a0}de\u{a0}Lyon été <3 😀"
        );
    }
}
