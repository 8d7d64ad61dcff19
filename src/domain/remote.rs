//! What a post from another server carries besides its title and text, in the shape it is
//! stored (JSON in `remote_posts.details`, built from cleaned values only) and shown.

use serde::{Deserialize, Serialize};

use super::post::Location;

/// The kinds of item the shared timeline holds and filters on.
pub const ITEM_KINDS: [&str; 4] = ["news", "call", "event", "note"];

/// The longest name, label or plain-text field kept from another server, in characters.
pub const TEXT_MAX: usize = 500;
/// The longest HTML field kept (content of one language), in characters.
pub const HTML_MAX: usize = 100_000;
/// At most this many of each list (attachments, tags, mentions, translations, poll options).
pub const LIST_MAX: usize = 50;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostDetails {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<TranslatedText>,
    pub topics: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<CallDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<EventDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll: Option<Poll>,
}

/// The title, summary and content of a post in one more language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TranslatedText {
    pub language: String,
    pub name: String,
    pub summary: String,
    pub content: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mention {
    /// `@name@domain` as the sender wrote it.
    pub name: String,
    pub href: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attachment {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The alt text (AS2 `name`).
    pub alt: String,
    /// Our own path for the cached image and its thumbnail, set when shown (never stored
    /// from the wire).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        self.media_type
            .as_deref()
            .is_some_and(|t| t.starts_with("image/"))
    }
}

/// A call: munifed's extension terms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallDetails {
    /// grant, proposal, tender, job, course or other.
    pub kind: String,
    /// RFC 3339 with the sender's offset.
    pub deadline: String,
    pub timezone: Option<String>,
    pub eligibility: Option<String>,
    pub apply_url: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventDetails {
    /// RFC 3339 with the sender's offset.
    pub start: String,
    pub end: Option<String>,
    /// The IANA zone the organiser announced it in, when it said.
    pub timezone: Option<String>,
    pub place: Option<Location>,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    /// scheduled, cancelled, postponed or moved_online.
    pub status: Option<String>,
}

/// A poll's options and counts, shown read-only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Poll {
    pub options: Vec<PollOption>,
    /// Several options may be chosen (`anyOf` rather than `oneOf`).
    pub multiple: bool,
    /// RFC 3339.
    pub closes: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PollOption {
    pub name: String,
    pub votes: i64,
}
