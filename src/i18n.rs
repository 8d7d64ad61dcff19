//! The interface in English, French and Spanish: messages from the Fluent files in
//! `locales/` (built into the binary), the language each request is answered in, and
//! dates and numbers written as each language writes them.
//!
//! Which language a request is answered in is the web layer's business (`web::language`).

use std::{borrow::Cow, sync::LazyLock};

use chrono::{DateTime, NaiveDateTime, TimeZone};
use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Deserializer};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    En,
    Fr,
    Es,
}

/// The files of each language, in the same order for all three.
const FILES: [&str; 4] = ["core.ftl", "site.ftl", "panel.ftl", "errors.ftl"];

fn sources(language: Language) -> [&'static str; 4] {
    match language {
        Language::En => [
            include_str!("../locales/en/core.ftl"),
            include_str!("../locales/en/site.ftl"),
            include_str!("../locales/en/panel.ftl"),
            include_str!("../locales/en/errors.ftl"),
        ],
        Language::Fr => [
            include_str!("../locales/fr/core.ftl"),
            include_str!("../locales/fr/site.ftl"),
            include_str!("../locales/fr/panel.ftl"),
            include_str!("../locales/fr/errors.ftl"),
        ],
        Language::Es => [
            include_str!("../locales/es/core.ftl"),
            include_str!("../locales/es/site.ftl"),
            include_str!("../locales/es/panel.ftl"),
            include_str!("../locales/es/errors.ftl"),
        ],
    }
}

impl Language {
    pub const ALL: [Language; 3] = [Language::En, Language::Fr, Language::Es];

    /// The BCP 47 tag, for `lang` attributes and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::Es => "es",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn autonym(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
            Language::Es => "Español",
        }
    }

    /// The language of a tag such as `fr`, `fr-CA` or `ES-419`; none for others.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Language::ALL
            .into_iter()
            .find(|language| primary.eq_ignore_ascii_case(language.code()))
    }

    /// The browser's preferred language among ours, by its `q` weights (ties in the
    /// order given); none when it asks for none of them.
    pub fn from_accept_language(header: &str) -> Option<Language> {
        let mut best: Option<(Language, f32)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let Some(language) = parts.next().and_then(Language::parse) else {
                continue;
            };
            let weight = parts
                .filter_map(|p| p.trim().split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, q)| q.trim().parse::<f32>().ok())
                .filter(|q| (0.0..=1.0).contains(q))
                .unwrap_or(0.0);
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((language, weight));
            }
        }
        best.map(|(language, _)| language)
    }

    fn chrono_locale(self) -> chrono::Locale {
        match self {
            Language::En => chrono::Locale::en_GB,
            Language::Fr => chrono::Locale::fr_FR,
            Language::Es => chrono::Locale::es_ES,
        }
    }

    /// A number with the language's digit grouping: 12,345 · 12 345 · 12.345 (Spanish
    /// groups only from five digits).
    pub fn number(self, n: i64) -> String {
        let (separator, min_digits) = match self {
            Language::En => (",", 4),
            Language::Fr => ("\u{202f}", 4),
            Language::Es => (".", 5),
        };
        let digits = n.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + 8);
        if n < 0 {
            grouped.push('-');
        }
        if digits.len() < min_digits {
            grouped.push_str(&digits);
            return grouped;
        }
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push_str(separator);
            }
            grouped.push(digit);
        }
        grouped
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Language, D::Error> {
        let tag = String::deserialize(deserializer)?;
        Language::parse(&tag).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown language {tag:?}: munifed speaks en, fr and es"
            ))
        })
    }
}

type Bundle = FluentBundle<FluentResource>;

/// The three languages' messages, parsed once.
static BUNDLES: LazyLock<[Bundle; 3]> =
    LazyLock::new(|| Language::ALL.map(|language| bundle(language).0));

/// A language's bundle, and what was wrong in its files (the tests require nothing).
fn bundle(language: Language) -> (Bundle, Vec<String>) {
    let mut problems = vec![];
    let id =
        unic_langid::LanguageIdentifier::from_bytes(language.code().as_bytes()).unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Pages are left to right only: no isolation marks around placeables.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match language {
        Language::En => |v, _| format_number(Language::En, v),
        Language::Fr => |v, _| format_number(Language::Fr, v),
        Language::Es => |v, _| format_number(Language::Es, v),
    }));
    for (file, source) in FILES.iter().zip(sources(language)) {
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, errors)| {
            problems.extend(
                errors
                    .iter()
                    .map(|e| format!("{}/{file}: {e:?}", language.code())),
            );
            r
        });
        if let Err(errors) = bundle.add_resource(resource) {
            problems.extend(
                errors
                    .iter()
                    .map(|e| format!("{}/{file}: {e:?}", language.code())),
            );
        }
    }
    (bundle, problems)
}

fn format_number(language: Language, value: &FluentValue) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(language.number(n.value as i64))
        }
        _ => None,
    }
}

/// A value given to a message: text or a whole number.
pub trait Arg {
    fn into_value(self) -> FluentValue<'static>;
}

macro_rules! text_args {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn into_value(self) -> FluentValue<'static> {
                FluentValue::from(self.to_string())
            }
        }
    )*};
}
macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn into_value(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
        impl Arg for &$t {
            fn into_value(self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )*};
}
text_args!(&str, &&str, String, &String);
number_args!(i64, i32, u32, usize);

/// The interface's words in one language: what templates and handlers call to write text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tr(pub Language);

impl Tr {
    /// The words around a text in language `tag` (its when and where in a summary or a
    /// feed): that language when munifed speaks it, else English.
    pub fn around(tag: &str) -> Tr {
        Tr(Language::parse(tag).unwrap_or_default())
    }

    pub fn language(self) -> Language {
        self.0
    }

    /// The BCP 47 tag, for `lang` attributes.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// The message `id`.
    pub fn t(self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with one value.
    pub fn t1(self, id: &str, name: &'static str, value: impl Arg) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value.into_value());
        self.format(id, Some(&args))
    }

    /// The message `id` with two values.
    pub fn t2(
        self,
        id: &str,
        name1: &'static str,
        value1: impl Arg,
        name2: &'static str,
        value2: impl Arg,
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(name1, value1.into_value());
        args.set(name2, value2.into_value());
        self.format(id, Some(&args))
    }

    /// The message `id` with any values.
    pub fn with(self, id: &str, values: Vec<(Cow<'static, str>, FluentValue<'static>)>) -> String {
        let args: FluentArgs = values.into_iter().collect();
        self.format(id, Some(&args))
    }

    fn format(self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = &BUNDLES[self.0 as usize];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, language = self.code(), "missing message");
            return id.to_string();
        };
        let mut errors = vec![];
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        if !errors.is_empty() {
            tracing::warn!(id, language = self.code(), ?errors, "message with errors");
        }
        text
    }

    /// A number with the language's digit grouping.
    pub fn number(self, n: impl Arg) -> String {
        let value = n.into_value();
        format_number(self.0, &value).unwrap_or_else(|| match value {
            FluentValue::String(text) => text.into_owned(),
            FluentValue::Number(n) => n.value.to_string(),
            _ => String::new(),
        })
    }

    /// A date and time on a wall clock, written by the pattern `format` names (one of
    /// `format-date`, `format-date-time`, `format-time`, `format-month-short`, `format-day`).
    pub fn local(self, format: &str, time: &NaiveDateTime) -> String {
        // A wall clock has no zone: written as if it were UTC, the digits stay as they are.
        self.zoned(format, &time.and_utc())
    }

    /// A date and time on the clock of `zone`.
    pub fn zoned<Z: TimeZone>(self, format: &str, time: &DateTime<Z>) -> String
    where
        Z::Offset: std::fmt::Display,
    {
        let pattern = self.t(format);
        time.format_localized(&pattern, self.0.chrono_locale())
            .to_string()
    }

    /// The day of a date and time.
    pub fn date(self, time: &NaiveDateTime) -> String {
        self.local("format-date", time)
    }

    /// The day and time of a date and time.
    pub fn date_time(self, time: &NaiveDateTime) -> String {
        self.local("format-date-time", time)
    }
}

/// A message to be written in the reader's language: an id of `locales/*/*.ftl` and its
/// values. Errors carry one, so that each is told in the language of the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    id: Cow<'static, str>,
    args: Vec<(Cow<'static, str>, Value)>,
}

/// A value of a message: text shown as given, or a count (plurals, digit grouping).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Text(String),
    Count(i64),
}

/// What a value of a flash message may hold, in characters: the cookie stays small.
const MAX_VALUE_CHARS: usize = 120;

impl Message {
    pub fn new(id: &'static str) -> Message {
        Message {
            id: Cow::Borrowed(id),
            args: vec![],
        }
    }

    /// The message with one more value, shown as text (a name, an address, an id).
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args
            .push((Cow::Borrowed(name), Value::Text(value.to_string())));
        self
    }

    /// The message with one more count: it selects plurals and is written with the
    /// language's digit grouping.
    pub fn count(mut self, name: &'static str, value: impl TryInto<i64>) -> Message {
        let value = value.try_into().unwrap_or(i64::MAX);
        self.args.push((Cow::Borrowed(name), Value::Count(value)));
        self
    }

    /// The message as one line of text (`id?name=value&#count=3…`), for a cookie: each
    /// value cut to `MAX_VALUE_CHARS`.
    pub fn encode(&self) -> String {
        let mut line = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.args {
            match value {
                Value::Text(text) => {
                    let short: String = text.chars().take(MAX_VALUE_CHARS).collect();
                    line.append_pair(name, &short)
                }
                Value::Count(n) => line.append_pair(&format!("#{name}"), &n.to_string()),
            };
        }
        format!("{}?{}", self.id, line.finish())
    }

    /// A notice or error from `encode`: none unless its id is one of ours made for that
    /// (`panel-flash-…`, `error-…`).
    pub fn decode(line: &str) -> Option<Message> {
        let (id, args) = line.split_once('?').unwrap_or((line, ""));
        let shown = id.starts_with("panel-flash-") || id.starts_with("error-");
        let pattern = BUNDLES[0].get_message(id).and_then(|m| m.value());
        // Not one that is nothing but a value (`{ $reason }`): a forged cookie would choose
        // the whole text.
        use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
        let bare = |p: &fluent_syntax::ast::Pattern<&str>| {
            matches!(
                p.elements.as_slice(),
                [PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::VariableReference { .. })
                }]
            )
        };
        if !shown || pattern.is_none_or(bare) {
            return None;
        }
        let mut decoded = vec![];
        for (name, value) in url::form_urlencoded::parse(args.as_bytes()).take(12) {
            let value = match name.strip_prefix('#') {
                Some(_) => Value::Count(value.parse().ok()?),
                None => Value::Text(value.chars().take(MAX_VALUE_CHARS).collect()),
            };
            let name = name.trim_start_matches('#').to_string();
            decoded.push((Cow::Owned(name), value));
        }
        Some(Message {
            id: Cow::Owned(id.to_string()),
            args: decoded,
        })
    }

    /// The message in `tr`'s language.
    pub fn text(&self, tr: impl Into<Tr>) -> String {
        let tr = tr.into();
        if self.args.is_empty() {
            return tr.t(&self.id);
        }
        let values = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Value::Count(n) => FluentValue::from(*n),
                    Value::Text(text) => FluentValue::from(text.clone()),
                };
                (name.clone(), value)
            })
            .collect();
        tr.with(&self.id, values)
    }
}

impl From<&'static str> for Message {
    fn from(id: &'static str) -> Message {
        Message::new(id)
    }
}

/// In English: for logs, the command line and tests.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Tr(Language::En)))
    }
}

/// Templates hand over what they hold by reference.
impl From<&Tr> for Tr {
    fn from(tr: &Tr) -> Tr {
        *tr
    }
}

/// Every message id of a language, and what was wrong in its files: for the tests.
pub fn message_ids(language: Language) -> (Vec<String>, Vec<String>) {
    let (_, problems) = bundle(language);
    let mut ids = vec![];
    for source in sources(language) {
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(message) = entry {
                ids.push(message.id.name.to_string());
            }
        }
    }
    (ids, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_heaviest_of_ours() {
        let pick = Language::from_accept_language;
        assert_eq!(pick("fr-CH, fr;q=0.9, en;q=0.8"), Some(Language::Fr));
        assert_eq!(pick("de-DE, es;q=0.5, en;q=0.7"), Some(Language::En));
        assert_eq!(pick("es-419"), Some(Language::Es));
        assert_eq!(pick("de, it;q=0.5"), None);
        assert_eq!(pick("fr;q=0, es;q=0.1"), Some(Language::Es));
        assert_eq!(pick(""), None);
        assert_eq!(pick(";;;,q=,"), None);
    }

    #[test]
    fn numbers_are_grouped_as_each_language_groups_them() {
        assert_eq!(Language::En.number(1234567), "1,234,567");
        assert_eq!(Language::Fr.number(1234), "1\u{202f}234");
        assert_eq!(Language::Es.number(1234), "1234");
        assert_eq!(Language::Es.number(12345), "12.345");
        assert_eq!(Language::En.number(-999), "-999");
        assert_eq!(Language::En.number(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn dates_use_the_languages_month_names() {
        let time =
            NaiveDateTime::parse_from_str("2026-03-05 14:30", "%Y-%m-%d %H:%M").expect("a date");
        assert_eq!(Tr(Language::En).date(&time), "5 March 2026");
        assert_eq!(Tr(Language::Fr).date(&time), "5 mars 2026");
        assert_eq!(Tr(Language::Es).date(&time), "5 de marzo de 2026");
    }
}
