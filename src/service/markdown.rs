//! Markdown as staff write it: rendered to HTML with `#hashtags` linked to their topic
//! pages, then cleaned by the one sanitiser policy; the hashtags become topics.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use html_escape::{encode_double_quoted_attribute, encode_text};

use crate::{domain::post::topic_slug, ingest::sanitize, urls::Urls};

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// A piece of running text: plain, or a hashtag (`#SDGs` → word `SDGs`, topic `sdgs`).
#[derive(Debug, PartialEq)]
enum Segment<'a> {
    Text(&'a str),
    Hashtag { word: &'a str, topic: String },
}

/// Splits text at its hashtags: `#` after a non-word character, then letters, digits or
/// `_`, with at least one letter ("#1" is a number, "C#" a language).
fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = vec![];
    let mut plain_start = 0;
    let mut previous = ' ';
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c == '#' && !previous.is_alphanumeric() && previous != '#' && previous != '&' {
            let word_len: usize = text[i + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .map(char::len_utf8)
                .sum();
            let word = &text[i + 1..i + 1 + word_len];
            if word.chars().any(char::is_alphabetic) {
                if plain_start < i {
                    out.push(Segment::Text(&text[plain_start..i]));
                }
                out.push(Segment::Hashtag {
                    word,
                    topic: topic_slug(word),
                });
                i += 1 + word_len;
                plain_start = i;
                previous = 'x';
                continue;
            }
        }
        previous = c;
        i += c.len_utf8();
    }
    if plain_start < text.len() {
        out.push(Segment::Text(&text[plain_start..]));
    }
    out
}

/// The Markdown events, with a callback for each piece of running text outside code and
/// links (where hashtags count).
fn for_each_running_text<'a>(
    markdown: &'a str,
    mut on_text: impl FnMut(CowStr<'a>) -> Vec<Event<'a>>,
) -> Vec<Event<'a>> {
    let mut events = vec![];
    let mut in_code_or_link = 0_usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. }) => {
                in_code_or_link += 1;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Link) => {
                in_code_or_link = in_code_or_link.saturating_sub(1);
                events.push(event);
            }
            Event::Text(text) if in_code_or_link == 0 => events.extend(on_text(text)),
            other => events.push(other),
        }
    }
    events
}

/// Safe HTML for a Markdown text; hashtags link to this instance's topic pages.
pub fn render(markdown: &str, urls: &Urls) -> String {
    let events = for_each_running_text(markdown, |text| {
        segments(&text)
            .into_iter()
            .map(|segment| match segment {
                Segment::Text(plain) => Event::Text(CowStr::from(plain.to_string())),
                Segment::Hashtag { word, topic } => Event::Html(CowStr::from(format!(
                    r#"<a href="{}" class="mention hashtag" rel="tag">#<span>{}</span></a>"#,
                    encode_double_quoted_attribute(urls.topic(&topic).as_str()),
                    encode_text(word)
                ))),
            })
            .collect()
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    sanitize::clean_html(&out)
}

/// The hashtags written in running text (not in code or links), as topic names.
pub fn hashtags(markdown: &str) -> Vec<String> {
    let mut tags: Vec<String> = vec![];
    for_each_running_text(markdown, |text| {
        for segment in segments(&text) {
            if let Segment::Hashtag { topic, .. } = segment {
                if !tags.contains(&topic) {
                    tags.push(topic);
                }
            }
        }
        vec![]
    });
    tags
}

#[cfg(test)]
mod tests {
    use super::{hashtags, render, segments, Segment};
    use crate::urls::Urls;

    fn urls() -> Urls {
        Urls::new(url::Url::parse("https://city.example").expect("url"))
    }

    #[test]
    fn renders_markdown_and_strips_what_is_unsafe() {
        let html = render("**Apply** by [the form](https://x.example)\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <iframe src=x></iframe> <b onclick=\"x()\">b</b>", &urls());
        assert!(html.contains("<strong>Apply</strong>"), "{html}");
        assert!(html.contains(r#"href="https://x.example""#), "{html}");
        for bad in ["<script", "javascript:", "<iframe", "onclick"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn hashtags_are_linked_to_topic_pages() {
        let html = render("On #Resilience.", &urls());
        assert_eq!(
            html,
            r#"<p>On <a href="https://city.example/topics/resilience" class="mention hashtag" rel="nofollow noopener noreferrer">#<span>Resilience</span></a>.</p>"#.to_string() + "\n"
        );
    }

    #[test]
    fn finds_hashtags_outside_code_and_links() {
        assert_eq!(
            hashtags("News on #Resilience and #SDGs.\n\n`#notatag` [#link](https://x.example/#anchor) #1 C#"),
            ["resilience", "sdgs"]
        );
        assert_eq!(
            segments("a #Ñandú b"),
            [
                Segment::Text("a "),
                Segment::Hashtag {
                    word: "Ñandú",
                    topic: "ñandú".into()
                },
                Segment::Text(" b")
            ]
        );
    }
}
