//! Markdown as staff write it: rendered to HTML, then cleaned by the one sanitiser policy;
//! its `#hashtags` become topics.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

use crate::{domain::post::topic_slug, ingest::sanitize};

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// Safe HTML for a Markdown text.
pub fn render(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options()));
    sanitize::clean_html(&out)
}

/// The hashtags written in running text (not in code or links), as topic names.
pub fn hashtags(markdown: &str) -> Vec<String> {
    let mut tags: Vec<String> = vec![];
    let mut in_code_or_link = 0_usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. }) => in_code_or_link += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link) => {
                in_code_or_link = in_code_or_link.saturating_sub(1)
            }
            Event::Text(text) if in_code_or_link == 0 => {
                let mut previous = ' ';
                let mut chars = text.char_indices().peekable();
                while let Some((i, c)) = chars.next() {
                    if c == '#' && !previous.is_alphanumeric() && previous != '#' && previous != '&'
                    {
                        let word: String = text[i + 1..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        let slug = topic_slug(&word);
                        // A tag needs a letter: "#1" is a number, not a topic.
                        if slug.chars().any(char::is_alphabetic) && !tags.contains(&slug) {
                            tags.push(slug);
                        }
                    }
                    previous = c;
                    let _ = chars.peek();
                }
            }
            _ => {}
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::{hashtags, render};

    #[test]
    fn renders_markdown_and_strips_what_is_unsafe() {
        let html = render("**Apply** by [the form](https://x.example)\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <iframe src=x></iframe> <b onclick=\"x()\">b</b>");
        assert!(html.contains("<strong>Apply</strong>"), "{html}");
        assert!(html.contains(r#"href="https://x.example""#), "{html}");
        for bad in ["<script", "javascript:", "<iframe", "onclick"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn finds_hashtags_outside_code_and_links() {
        assert_eq!(
            hashtags("News on #Resilience and #SDGs.\n\n`#notatag` [#link](https://x.example/#anchor) #1 C#"),
            ["resilience", "sdgs"]
        );
    }
}
