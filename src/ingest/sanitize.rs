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

/// Cleans HTML from outside: what is left is safe to show as it is, and cleaning it again
/// changes nothing. (One pass is not always stable: once a tag is dropped, an HTML parser
/// may read what is left differently, e.g. a link inside a link. A second pass settles it.)
pub fn clean_html(html: &str) -> String {
    let mut clean = POLICY.clean(html).to_string();
    for _ in 0..3 {
        let again = POLICY.clean(&clean).to_string();
        if again == clean {
            break;
        }
        clean = again;
    }
    clean
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

    mod properties {
        use proptest::prelude::*;

        use super::super::{clean_html, LINK_SCHEMES, TAGS};

        /// Pieces of hostile and ordinary HTML, put together at random.
        fn html() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "<script>alert(1)</script>",
                "<script>",
                "</script>",
                "<style>x{}</style>",
                "<a href=\"javascript:alert(1)\">",
                "<a href=\"https://x.example/\" onclick=\"y()\">",
                "<a href=\"data:text/html,x\">",
                "<a href='vbscript:x'>",
                "</a>",
                "<a href=/relative>",
                "<img src=x onerror=alert(1)>",
                "<iframe src=https://x.example>",
                "<svg><script>x</script>",
                "<math><mi xlink:href=\"javascript:x\">",
                "<p class=\"h-card evil\">",
                "</p>",
                "<span class=\"mention invisible\" style=\"color:red\">",
                "</span>",
                "<b>",
                "</b>",
                "<ol start=3 onmouseover=x>",
                "<li value=2>",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "<",
                ">",
                "\"",
                "'",
                "&",
                "&lt;",
                "&#x3C;script&#x3E;",
                "text",
                " ",
                "\n",
                "<form action=x>",
                "<input>",
                "<object data=x>",
                "<base href=x>",
                "<meta http-equiv=refresh>",
                "<a href=\"  javascript:x\">",
                "<a href=\"JaVaScRiPt:x\">",
                "<a href=\"java\tscript:x\">",
            ]);
            prop::collection::vec(pieces, 0..24).prop_map(|pieces| pieces.concat())
        }

        /// The tags of serialised HTML (text `<` is escaped there): name and attributes.
        fn tags_in(html: &str) -> Vec<(String, String)> {
            html.split('<')
                .skip(1)
                .map(|rest| {
                    let tag = rest.split('>').next().unwrap_or_default();
                    let tag = tag.trim_start_matches('/');
                    let name: String = tag
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    (
                        name.to_ascii_lowercase(),
                        tag[name.len()..].to_ascii_lowercase(),
                    )
                })
                .collect()
        }

        proptest! {
            #[test]
            fn output_keeps_only_the_policy(input in html()) {
                let clean = clean_html(&input);
                for (tag, attributes) in tags_in(&clean) {
                    prop_assert!(TAGS.contains(&tag.as_str()), "<{tag}> in {clean}");
                    prop_assert!(!attributes.contains(" on"), "an event handler in {clean}");
                    prop_assert!(!attributes.contains("style="), "a style in {clean}");
                    for href in attributes.split("href=\"").skip(1) {
                        let scheme = href.split(':').next().unwrap_or_default();
                        prop_assert!(LINK_SCHEMES.contains(&scheme), "href {href} in {clean}");
                    }
                }
            }

            #[test]
            fn cleaning_twice_changes_nothing(input in html()) {
                let once = clean_html(&input);
                prop_assert_eq!(clean_html(&once), once);
            }
        }
    }
}
