//! Publishing in the panel: news, calls and events with every field of the API, messages
//! next to the fields they concern, a preview, and a confirmation before delete. The form is
//! read into the API's `PostInput` and goes through `service::posts`, so a post published
//! here is validated, stored, audited and federated exactly as one sent to the API.

use std::collections::BTreeMap;

use activitypub_federation::config::Data;
use actix_web::{http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::{
    after_form, page, redirect_with, Chrome, Flash, Panel, PanelForm, PanelResult, WithCsrf,
};
use crate::{
    db::posts::{Filter, PostView},
    domain::post::{
        LocationInput, PostInput, PostKind, TranslationInput, CALL_KINDS, EVENT_STATUSES,
    },
    error::{AppError, ErrorKind},
    i18n::{Message, Tr},
    service::{
        moderation, posts,
        timeline::Item,
        users::{self, Staff},
    },
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/posts", web::get().to(http_get_posts))
        .route("/posts/{kind}/new", web::get().to(http_get_new))
        .route("/posts/{kind}/new", web::post().to(http_post_new))
        .route("/posts/{kind}/{id}", web::get().to(http_get_edit))
        .route("/posts/{kind}/{id}", web::post().to(http_post_edit))
        .route(
            "/posts/{kind}/{id}/replies",
            web::get().to(http_get_replies),
        )
        .route(
            "/posts/{kind}/{id}/replies",
            web::post().to(http_post_reply),
        )
        .route("/posts/{kind}/{id}/delete", web::get().to(http_get_delete))
        .route(
            "/posts/{kind}/{id}/delete",
            web::post().to(http_post_delete),
        );
}

/// The translation slots a form may carry (the languages of a network, with room to spare).
const MAX_TRANSLATIONS: usize = 20;

/// `news`, `calls` or `events` in a panel address.
fn kind_of(segment: &str) -> Result<PostKind, AppError> {
    PostKind::from_plural(segment).ok_or_else(AppError::not_found)
}

/// The form as sent: every field by name, as the browser spelled it.
#[derive(Deserialize, Default, Clone)]
#[serde(transparent)]
struct PostForm(BTreeMap<String, String>);

impl WithCsrf for PostForm {
    fn csrf(&self) -> &str {
        self.0.get("csrf").map(String::as_str).unwrap_or_default()
    }
}

impl PostForm {
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    /// The translation slots that hold something, by their number in the form.
    fn translation_slots(&self) -> Vec<usize> {
        (0..MAX_TRANSLATIONS)
            .filter(|i| {
                ["language", "title", "summary", "body"]
                    .iter()
                    .any(|f| self.get(&translation_field(*i, f)).is_some())
            })
            .collect()
    }

    /// The API's request for this form, or the fields the form itself cannot express.
    fn to_input(&self) -> Result<PostInput, BTreeMap<String, Message>> {
        let mut errors = BTreeMap::<String, Message>::new();
        let mut translations = BTreeMap::new();
        for slot in self.translation_slots() {
            let Some(language) = self.get(&translation_field(slot, "language")) else {
                errors.insert(
                    translation_field(slot, "language"),
                    "error-translation-language-required".into(),
                );
                continue;
            };
            if translations.contains_key(&language) {
                errors.insert(
                    translation_field(slot, "language"),
                    "error-translation-language-repeated".into(),
                );
                continue;
            }
            translations.insert(
                language,
                TranslationInput {
                    title: self.get(&translation_field(slot, "title")),
                    summary: self.get(&translation_field(slot, "summary")),
                    body: self.get(&translation_field(slot, "body")),
                },
            );
        }
        let mut coordinate = |name: &str| {
            let text = self.get(name)?;
            match text.replace(',', ".").parse::<f64>() {
                Ok(value) => Some(value),
                Err(_) => {
                    errors.insert(name.to_string(), "error-coordinate-number".into());
                    None
                }
            }
        };
        let latitude = coordinate("location.latitude");
        let longitude = coordinate("location.longitude");
        let location = LocationInput {
            name: self.get("location.name"),
            street: self.get("location.street"),
            postal_code: self.get("location.postal_code"),
            locality: self.get("location.locality"),
            region: self.get("location.region"),
            country: self.get("location.country"),
            latitude,
            longitude,
        };
        let input = PostInput {
            title: self.get("title"),
            summary: self.get("summary"),
            body: self.get("body"),
            language: self.get("language"),
            topics: self
                .get("topics")
                .map(|t| {
                    t.split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            translations,
            image_url: self.get("image_url"),
            image_alt: self.get("image_alt"),
            account: self.get("account"),
            kind: self.get("kind"),
            deadline: self.get("deadline"),
            timezone: self.get("timezone"),
            eligibility: self.get("eligibility"),
            apply_url: self.get("apply_url"),
            start: self.get("start"),
            end: self.get("end"),
            location: (location != LocationInput::default()).then_some(location),
            online_url: self.get("online_url"),
            registration_url: self.get("registration_url"),
            status: self.get("status"),
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    /// The form of a stored post, to edit it.
    fn of(view: &PostView) -> PostForm {
        let post = &view.post;
        let mut fields = BTreeMap::new();
        let mut set = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                fields.insert(name.to_string(), value.to_string());
            }
        };
        set("account", Some(&view.account.username));
        set("title", Some(&post.title));
        set("summary", Some(&post.summary));
        set("body", Some(&post.body));
        set("language", Some(&post.language));
        set("topics", Some(&view.topics.join(", ")));
        set("image_url", post.image_url.as_deref());
        set("image_alt", post.image_alt.as_deref());
        set("kind", post.call_kind.as_deref());
        set("deadline", post.deadline_local.as_deref());
        set("timezone", post.timezone.as_deref());
        set("eligibility", post.eligibility.as_deref());
        set("apply_url", post.apply_url.as_deref());
        set("start", post.start_local.as_deref());
        set("end", post.end_local.as_deref());
        set("location.name", post.location_name.as_deref());
        set("location.street", post.location_street.as_deref());
        set("location.postal_code", post.location_postal_code.as_deref());
        set("location.locality", post.location_locality.as_deref());
        set("location.region", post.location_region.as_deref());
        set("location.country", post.location_country.as_deref());
        let latitude = post.location_latitude.map(|v| v.to_string());
        let longitude = post.location_longitude.map(|v| v.to_string());
        set("location.latitude", latitude.as_deref());
        set("location.longitude", longitude.as_deref());
        set("online_url", post.online_url.as_deref());
        set("registration_url", post.registration_url.as_deref());
        set("status", post.event_status.as_deref());
        for (slot, t) in view.translations.iter().enumerate() {
            set(&translation_field(slot, "language"), Some(&t.language));
            set(&translation_field(slot, "title"), Some(&t.title));
            set(&translation_field(slot, "summary"), Some(&t.summary));
            set(&translation_field(slot, "body"), Some(&t.body));
        }
        PostForm(fields)
    }

    /// The service's messages, keyed as the form's fields are (a translation's messages name
    /// its language; the form names its slot).
    fn place_errors(&self, errors: BTreeMap<String, Message>) -> BTreeMap<String, Message> {
        let slot_of = |language: &str| {
            self.translation_slots().into_iter().find(|slot| {
                self.get(&translation_field(*slot, "language")).as_deref() == Some(language)
            })
        };
        errors
            .into_iter()
            .map(|(key, message)| {
                let Some(rest) = key.strip_prefix("translations.") else {
                    return (key, message);
                };
                let (language, field) = rest.split_once('.').unwrap_or((rest, "language"));
                match slot_of(language) {
                    Some(slot) => (translation_field(slot, field), message),
                    None => (key, message),
                }
            })
            .collect()
    }
}

fn translation_field(slot: usize, field: &str) -> String {
    format!("translation{slot}.{field}")
}

/// One input of the form, as the template draws it.
struct Field {
    name: String,
    label: String,
    /// `text`, `url`, `textarea`, `select`, `datetime-local`
    input: &'static str,
    value: String,
    error: Option<String>,
    hint: String,
    options: Vec<(String, String)>,
    required: bool,
    /// The `list` attribute: the id of a `datalist` to suggest from.
    list: &'static str,
}

impl Field {
    /// The id its label and messages point to (`location.name` → `f-location-name`).
    fn id(&self) -> String {
        format!("f-{}", self.name.replace('.', "-"))
    }

    /// The `aria-describedby` of the input: its hint and its message, those it has.
    fn described_by(&self) -> String {
        let id = self.id();
        let mut ids = vec![];
        if !self.hint.is_empty() {
            ids.push(format!("{id}-hint"));
        }
        if self.error.is_some() {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }
}

struct Fieldset {
    legend: String,
    hint: String,
    fields: Vec<Field>,
}

/// Draws the form's fields with their values and messages.
struct FormBuilder<'a> {
    form: &'a PostForm,
    errors: &'a BTreeMap<String, Message>,
    tr: Tr,
}

impl FormBuilder<'_> {
    /// The input `name`, labelled and explained in the staff member's language (by the last
    /// part of its name: `location.street`, `translations.0.title`).
    fn field(&self, name: &str, input: &'static str) -> Field {
        let short = name.rsplit('.').next().unwrap_or(name);
        Field {
            name: name.to_string(),
            label: self.tr.t1("panel-post-field", "field", short),
            input,
            value: self.form.0.get(name).cloned().unwrap_or_default(),
            error: self.errors.get(name).map(|e| e.text(self.tr)),
            hint: self.tr.t1("panel-post-field-hint", "field", short),
            options: vec![],
            required: false,
            list: "",
        }
    }

    /// A set of fields; `set` names its legend and hint (`Image`, `Call`, `Event`, `Place`).
    fn fieldset(&self, set: &str, fields: Vec<Field>) -> Fieldset {
        Fieldset {
            legend: self.tr.t1("panel-post-set", "set", set),
            hint: self.tr.t1("panel-post-set-hint", "set", set),
            fields,
        }
    }

    fn fieldsets(&self, kind: PostKind, accounts: &[String]) -> Vec<Fieldset> {
        let required = |mut field: Field| {
            field.required = true;
            field
        };
        let tr = self.tr;
        // A select's options: each value with its text, the message's `$variable` the value.
        let options = |mut field: Field,
                       (message, variable): (&str, &'static str),
                       values: &[&str],
                       blank: bool| {
            field.options = blank
                .then(|| (String::new(), tr.t("panel-post-choose")))
                .into_iter()
                .chain(
                    values
                        .iter()
                        .map(|v| (v.to_string(), tr.t1(message, variable, *v))),
                )
                .collect();
            field
        };
        let mut account = self.field("account", "select");
        account.options = accounts
            .iter()
            .map(|name| (name.clone(), format!("@{name}")))
            .collect();
        let mut sets = vec![Fieldset {
            legend: self.tr.t1("panel-post-set-main", "kind", kind.plural()),
            hint: String::new(),
            fields: vec![
                account,
                required(self.field("title", "text")),
                self.field("summary", "textarea"),
                self.field("body", "textarea"),
                self.field("language", "text"),
                self.field("topics", "text"),
            ],
        }];
        sets.push(self.fieldset(
            "Image",
            vec![
                self.field("image_url", "url"),
                self.field("image_alt", "text"),
            ],
        ));
        let mut timezone = required(self.field("timezone", "text"));
        timezone.list = "zones";
        match kind {
            PostKind::News => {}
            PostKind::Call => sets.push(self.fieldset(
                "Call",
                vec![
                    required(options(
                        self.field("kind", "select"),
                        ("panel-post-call-kind", "kind"),
                        CALL_KINDS,
                        true,
                    )),
                    required(self.field("deadline", "datetime-local")),
                    timezone,
                    self.field("eligibility", "textarea"),
                    self.field("apply_url", "url"),
                ],
            )),
            PostKind::Event => {
                sets.push(self.fieldset(
                    "Event",
                    vec![
                        required(self.field("start", "datetime-local")),
                        required(self.field("end", "datetime-local")),
                        timezone,
                        options(
                            self.field("status", "select"),
                            ("panel-post-event-status", "status"),
                            EVENT_STATUSES,
                            false,
                        ),
                        self.field("online_url", "url"),
                        self.field("registration_url", "url"),
                    ],
                ));
                let place = [
                    "location.name",
                    "location.street",
                    "location.postal_code",
                    "location.locality",
                    "location.region",
                    "location.country",
                    "location.latitude",
                    "location.longitude",
                ]
                .into_iter()
                .map(|name| self.field(name, "text"))
                .collect();
                sets.push(self.fieldset("Place", place));
                if let Some(error) = self.errors.get("location") {
                    if let Some(first) = sets.last_mut().and_then(|s| s.fields.first_mut()) {
                        first.error.get_or_insert_with(|| error.text(self.tr));
                    }
                }
            }
        }
        // The translations given, and one more.
        let filled = self.form.translation_slots();
        let next = filled.last().map_or(0, |last| last + 1);
        for slot in filled
            .into_iter()
            .chain((next < MAX_TRANSLATIONS).then_some(next))
        {
            let f = |field: &str, input: &'static str| {
                self.field(&translation_field(slot, field), input)
            };
            sets.push(Fieldset {
                legend: self.tr.t1("panel-post-set-translation", "number", slot + 1),
                hint: self.tr.t1("panel-post-set-hint", "set", "Translation"),
                fields: vec![
                    f("language", "text"),
                    f("title", "text"),
                    f("summary", "textarea"),
                    f("body", "textarea"),
                ],
            });
        }
        sets
    }
}

#[derive(Template)]
#[template(path = "admin/post_form.html")]
struct PostFormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    kind: &'static str,
    fieldsets: Vec<Fieldset>,
    /// Messages for fields the form does not show (none expected; never lost).
    other_errors: Vec<(String, String)>,
    error_count: usize,
    preview: Option<Preview>,
    submit: String,
    zones: Vec<&'static str>,
    public_url: Option<String>,
}

/// A post as it would be shown.
struct Preview {
    language: String,
    title: String,
    summary: String,
    lines: Vec<String>,
    body_html: String,
    topics: Vec<String>,
    translations: Vec<String>,
}

impl Preview {
    fn of(view: &PostView) -> Preview {
        Preview {
            language: view.post.language.clone(),
            title: view.post.title.clone(),
            summary: view.post.summary.clone(),
            // As followers will read them: in the post's language.
            lines: posts::when_and_where(view, Tr::around(&view.post.language)),
            // Rendered from Markdown and cleaned, as published.
            body_html: view.post.body_html.clone(),
            topics: view.topics.clone(),
            translations: view
                .translations
                .iter()
                .map(|t| format!("{}: {}", t.language, t.title))
                .collect(),
        }
    }
}

/// What the form page shows after a submit, or for a fresh form.
#[derive(Default)]
struct Outcome {
    errors: BTreeMap<String, Message>,
    preview: Option<Preview>,
}

impl Outcome {
    fn refused(errors: BTreeMap<String, Message>) -> Outcome {
        Outcome {
            errors,
            ..Outcome::default()
        }
    }

    fn preview(view: &PostView) -> Outcome {
        Outcome {
            preview: Some(Preview::of(view)),
            ..Outcome::default()
        }
    }
}

async fn form_page(
    data: &AppState,
    panel: &Panel,
    kind: PostKind,
    id: Option<i64>,
    form: &PostForm,
    outcome: Outcome,
    accounts: &[String],
) -> PanelResult {
    let builder = FormBuilder {
        form,
        errors: &outcome.errors,
        tr: panel.tr,
    };
    let fieldsets = builder.fieldsets(kind, accounts);
    let shown: Vec<&str> = fieldsets
        .iter()
        .flat_map(|s| s.fields.iter().map(|f| f.name.as_str()))
        .collect();
    let other_errors: Vec<(String, String)> = outcome
        .errors
        .iter()
        .filter(|(key, _)| !shown.contains(&key.as_str()) && key.as_str() != "location")
        .map(|(k, v)| (k.clone(), v.text(panel.tr)))
        .collect();
    let tr = panel.tr;
    let (heading, action, submit, public_url) = match id {
        None => (
            tr.t1("panel-post-form-new", "kind", kind.plural()),
            format!("/admin/posts/{}/new", kind.plural()),
            tr.t("panel-post-publish"),
            None,
        ),
        Some(id) => (
            tr.t1("panel-post-form-edit", "kind", kind.plural()),
            format!("/admin/posts/{}/{id}", kind.plural()),
            tr.t("panel-save"),
            Some(data.urls.post(kind, id).to_string()),
        ),
    };
    let status = if outcome.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let shown_flash = panel.flash.is_some();
    let mut response = page(
        &PostFormPage {
            chrome: Chrome::new(data, panel, "posts").await?,
            heading,
            action,
            kind: kind.plural(),
            fieldsets,
            other_errors,
            error_count: outcome.errors.len(),
            preview: outcome.preview,
            submit,
            zones: chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect(),
            public_url,
        },
        shown_flash,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

/// The accounts the signed-in user publishes as; 403 when there are none.
async fn my_accounts(data: &AppState, panel: &Panel) -> Result<Vec<String>, AppError> {
    let accounts = users::publishing_accounts(data, &panel.session.user).await?;
    if accounts.is_empty() {
        return Err(AppError::forbidden("error-no-publishing-account"));
    }
    Ok(accounts)
}

/// A live post the signed-in user may edit.
async fn editable(
    data: &AppState,
    staff: &Staff,
    kind: PostKind,
    id: i64,
) -> Result<PostView, AppError> {
    let view = posts::get(data, kind, id).await?;
    users::check_may_publish_as(data, staff, &view.account).await?;
    Ok(view)
}

#[derive(Template)]
#[template(path = "admin/posts.html")]
struct PostsPage {
    chrome: Chrome,
    kind: &'static str,
    rows: Vec<PostRow>,
    page: i64,
    more: bool,
    may_publish: bool,
}

struct PostRow {
    id: i64,
    title: String,
    account: String,
    when: String,
    url: String,
    editable: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    kind: Option<String>,
    page: Option<i64>,
}

async fn http_get_posts(
    panel: Panel,
    query: web::Query<ListQuery>,
    data: Data<AppState>,
) -> PanelResult {
    let kind = kind_of(query.kind.as_deref().unwrap_or("news"))?;
    let page_number = query.page.unwrap_or(1).clamp(1, 100_000);
    let mine = users::publishing_accounts(&data, &panel.session.user).await?;
    let views = posts::list(&data, kind, Filter::All, None, page_number).await?;
    let more = views.len() as i64 == posts::PAGE_SIZE;
    let rows = views
        .iter()
        .map(|view| PostRow {
            id: view.post.id,
            title: view.post.title.clone(),
            account: view.account.username.clone(),
            when: posts::when_and_where(view, panel.tr)
                .first()
                .cloned()
                .unwrap_or_else(|| panel.tr.date(&view.post.published)),
            url: data.urls.post(kind, view.post.id).to_string(),
            editable: mine.contains(&view.account.username),
        })
        .collect();
    let shown_flash = panel.flash.is_some();
    page(
        &PostsPage {
            chrome: Chrome::new(&data, &panel, "posts").await?,
            kind: kind.plural(),
            rows,
            page: page_number,
            more,
            may_publish: !mine.is_empty(),
        },
        shown_flash,
    )
}

async fn http_get_new(panel: Panel, kind: web::Path<String>, data: Data<AppState>) -> PanelResult {
    let kind = kind_of(&kind)?;
    let accounts = my_accounts(&data, &panel).await?;
    let mut form = PostForm::default();
    if let Some(first) = accounts.first() {
        form.0.insert("account".into(), first.clone());
    }
    let fresh = Outcome::default();
    form_page(&data, &panel, kind, None, &form, fresh, &accounts).await
}

/// What the submit button asked for.
fn wants_preview(form: &PostForm) -> bool {
    form.0.get("action").map(String::as_str) == Some("preview")
}

/// The form's messages from a refused input, or the error to show as a page.
fn field_errors(form: &PostForm, error: AppError) -> Result<BTreeMap<String, Message>, AppError> {
    match error.kind {
        ErrorKind::Validation(fields) => Ok(form.place_errors(fields)),
        _ => Err(error),
    }
}

async fn http_post_new(
    request: PanelForm<PostForm>,
    kind: web::Path<String>,
    data: Data<AppState>,
) -> PanelResult {
    let kind = kind_of(&kind)?;
    let accounts = my_accounts(&data, &request.panel).await?;
    submit(&data, request, kind, None, &accounts).await
}

/// A submitted form: previewed, or published (`id` none) or saved; what is refused is shown
/// next to its field.
async fn submit(
    data: &AppState,
    request: PanelForm<PostForm>,
    kind: PostKind,
    id: Option<i64>,
    accounts: &[String],
) -> PanelResult {
    let (panel, form) = (request.panel, request.form);
    let staff = panel.session.staff();
    let input = match form.to_input() {
        Ok(input) => input,
        Err(errors) => {
            let outcome = Outcome::refused(errors);
            return form_page(data, &panel, kind, id, &form, outcome, accounts).await;
        }
    };
    let preview = wants_preview(&form);
    let outcome = match (preview, id) {
        (true, _) => posts::preview(data, &staff, kind, input).await,
        (false, None) => posts::create(data, &staff, kind, input).await,
        (false, Some(id)) => posts::update(data, &staff, kind, id, input).await,
    };
    match outcome {
        Ok(view) if preview => {
            let shown = Outcome::preview(&view);
            form_page(data, &panel, kind, id, &form, shown, accounts).await
        }
        Ok(view) => {
            let message = match id {
                None => Message::new("panel-flash-post-published")
                    .arg("url", data.urls.post(kind, view.post.id)),
                Some(_) => Message::new("panel-flash-post-saved"),
            };
            let flash = Flash {
                kind: "notice",
                message,
            };
            let to = format!("/admin/posts/{}/{}", kind.plural(), view.post.id);
            Ok(redirect_with(&to, Some(&flash)))
        }
        Err(error) => {
            let errors = field_errors(&form, error)?;
            let outcome = Outcome::refused(errors);
            form_page(data, &panel, kind, id, &form, outcome, accounts).await
        }
    }
}

async fn http_get_edit(
    panel: Panel,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> PanelResult {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let view = editable(&data, &panel.session.staff(), kind, id).await?;
    let accounts = vec![view.account.username.clone()];
    let fresh = Outcome::default();
    let form = PostForm::of(&view);
    form_page(&data, &panel, kind, Some(id), &form, fresh, &accounts).await
}

async fn http_post_edit(
    request: PanelForm<PostForm>,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> PanelResult {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let view = editable(&data, &request.panel.session.staff(), kind, id).await?;
    // A post stays with its account.
    let accounts = vec![view.account.username.clone()];
    submit(&data, request, kind, Some(id), &accounts).await
}

#[derive(Template)]
#[template(path = "admin/post_delete.html")]
struct DeletePage {
    chrome: Chrome,
    kind: &'static str,
    id: i64,
    title: String,
    account: String,
    url: String,
}

async fn http_get_delete(
    panel: Panel,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> PanelResult {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let view = editable(&data, &panel.session.staff(), kind, id).await?;
    let shown_flash = panel.flash.is_some();
    page(
        &DeletePage {
            chrome: Chrome::new(&data, &panel, "posts").await?,
            kind: kind.plural(),
            id,
            title: view.post.title.clone(),
            account: view.account.handle(),
            url: data.urls.post(kind, id).to_string(),
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct DeleteForm {
    csrf: String,
}

with_csrf!(DeleteForm);

async fn http_post_delete(
    request: PanelForm<DeleteForm>,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> PanelResult {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let staff = request.panel.session.staff();
    // Someone else's post is a 403, not a message on the list.
    editable(&data, &staff, kind, id).await?;
    let deleted = posts::delete(&data, &staff, kind, id).await;
    after_form(
        &format!("/admin/posts?kind={}", kind.plural()),
        deleted,
        "panel-flash-post-deleted",
    )
}

#[derive(Deserialize)]
struct ReplyForm {
    csrf: String,
    reply: String,
    /// `hide` or `show`
    visibility: String,
}

with_csrf!(ReplyForm);

#[derive(Template)]
#[template(path = "admin/post_replies.html")]
struct RepliesPage {
    chrome: Chrome,
    kind: &'static str,
    id: i64,
    title: String,
    url: String,
    editable: bool,
    replies: Vec<(Item, bool)>,
}

async fn http_get_replies(
    panel: Panel,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> PanelResult {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let staff = panel.session.staff();
    let view = posts::get(&data, kind, id).await?;
    let replies = moderation::replies_under(&data, &staff, &view).await?;
    let editable = users::check_may_publish_as(&data, &staff, &view.account)
        .await
        .is_ok();
    let shown_flash = panel.flash.is_some();
    page(
        &RepliesPage {
            chrome: Chrome::new(&data, &panel, "posts").await?,
            kind: kind.plural(),
            id,
            title: view.post.title.clone(),
            url: data.urls.post(kind, id).to_string(),
            editable,
            replies,
        },
        shown_flash,
    )
}

async fn http_post_reply(
    request: PanelForm<ReplyForm>,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> PanelResult {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let staff = request.panel.session.staff();
    let view = posts::get(&data, kind, id).await?;
    let form = request.form;
    let hide = match form.visibility.as_str() {
        "hide" => true,
        "show" => false,
        _ => return Err(AppError::invalid("visibility", "error-hide-or-show").into()),
    };
    // Someone who may not hide replies here gets a 403, not a message on the page.
    moderation::check_may_hide(&data, &staff, &view).await?;
    let outcome = moderation::hide_reply(&data, &staff, &view, &form.reply, hide).await;
    let done = if hide {
        "panel-flash-reply-hidden"
    } else {
        "panel-flash-reply-shown"
    };
    after_form(
        &format!("/admin/posts/{}/{id}/replies", kind.plural()),
        outcome,
        done,
    )
}
