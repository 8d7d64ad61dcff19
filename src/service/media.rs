//! The media cache: remote avatars and images fetched once (size-limited, the type sniffed
//! from the bytes, images only), thumbnailed, kept under `media.path` by the SHA-256 of their
//! bytes within `media.cache_bytes` (least recently shown evicted first), and served from
//! our own origin, so that a reader's browser never contacts another server.

use std::{
    collections::HashMap,
    io::Cursor,
    path::{Path, PathBuf},
};

use chrono::Duration;
use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use url::Url;

use crate::{
    db::{
        self,
        media::{DbMedia, StoredFile, REFUSED, STORED},
        AnyConnection,
    },
    error::{AppError, AppResult},
    i18n::Message,
    service::{network::FetchFailure, timeline},
    state::AppState,
    urls::Urls,
};

/// The longest side of a thumbnail, in pixels.
const THUMBNAIL_SIDE: u32 = 400;
/// The largest image decoded (a decompression bomb is refused, not decoded).
const MAX_SIDE: u32 = 10_000;
const MAX_DECODE_BYTES: u64 = 64 * 1024 * 1024;
/// Fetches and decodes at once, across the process (each may hold MAX_DECODE_BYTES).
const CONCURRENT_FETCHES: usize = 2;
/// After a failure that may pass, the origin is left alone this long.
const RETRY_AFTER_MINUTES: i64 = 10;

/// The permits for fetching and decoding: a burst of first views of large images waits
/// rather than fetching the same file several times or exhausting memory.
static FETCHES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_FETCHES);
/// How stale a last-access time may get before a read updates it (not a write per view).
const TOUCH_AFTER_MINUTES: i64 = 60;

/// A cached file ready to serve.
#[derive(Clone, Debug)]
pub struct MediaFile {
    pub path: PathBuf,
    pub content_type: &'static str,
    /// The SHA-256 of the original (an ETag that never changes for these bytes).
    pub sha256: String,
}

/// Makes remote image URLs known to the cache, in the caller's transaction (they are
/// fetched when first shown).
pub fn register(conn: &mut AnyConnection, urls: &[String]) -> AppResult<()> {
    Ok(db::media::register(conn, urls, db::now())?)
}

/// The cache ids of those of `urls` it knows and has not refused.
pub fn ids(conn: &mut AnyConnection, urls: &[String]) -> AppResult<HashMap<String, i64>> {
    Ok(db::media::by_urls(conn, urls)?
        .into_iter()
        .filter(|(_, _, state)| state != REFUSED)
        .map(|(url, id, _)| (url, id))
        .collect())
}

/// Makes an image our own pages show (an account's icon, a post's image) known to the
/// cache, in the caller's transaction when it is saved; our own URLs are shown as they are.
pub fn register_shown(conn: &mut AnyConnection, urls: &Urls, image: Option<&str>) -> AppResult<()> {
    match image {
        Some(url) if Url::parse(url).is_ok_and(|parsed| !urls.is_local(&parsed)) => {
            register(conn, &[url.to_string()])
        }
        _ => Ok(()),
    }
}

/// Where a page shows an image: our own URL as it is, another from the cache (`None` when
/// the cache does not know it or refused it; nothing is written).
pub async fn shown(
    state: &AppState,
    url: Option<&str>,
    thumbnail: bool,
) -> AppResult<Option<String>> {
    let Some(url) = url else {
        return Ok(None);
    };
    if Url::parse(url).is_ok_and(|parsed| state.urls.is_local(&parsed)) {
        return Ok(Some(url.to_string()));
    }
    let urls = vec![url.to_string()];
    let cached = db::run(&state.db, move |conn| ids(conn, &urls)).await?;
    Ok(cached
        .into_values()
        .next()
        .map(|id| local_path(id, thumbnail)))
}

/// Our own path for a cached image (`thumbnail` for the small version).
pub fn local_path(id: i64, thumbnail: bool) -> String {
    if thumbnail {
        format!("/media/{id}/thumbnail")
    } else {
        format!("/media/{id}")
    }
}

fn folder(state: &AppState) -> PathBuf {
    PathBuf::from(&state.settings.media.path)
}

fn original_path(root: &Path, sha256: &str) -> PathBuf {
    root.join(&sha256[..2]).join(sha256)
}

fn thumbnail_path(root: &Path, sha256: &str) -> PathBuf {
    root.join(&sha256[..2]).join(format!("{sha256}.thumbnail"))
}

/// Thumbnails keep transparency as PNG; photos become JPEG.
fn thumbnail_format(content_type: &str) -> (ImageFormat, &'static str) {
    if content_type == "image/jpeg" {
        (ImageFormat::Jpeg, "image/jpeg")
    } else {
        (ImageFormat::Png, "image/png")
    }
}

fn content_type_of(format: ImageFormat) -> Option<&'static str> {
    Some(match format {
        ImageFormat::Png => "image/png",
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Gif => "image/gif",
        ImageFormat::WebP => "image/webp",
        _ => return None,
    })
}

/// An image read from fetched bytes: its type from the bytes themselves, decoded within
/// limits, and its thumbnail.
struct Processed {
    content_type: &'static str,
    width: u32,
    height: u32,
    thumbnail: Vec<u8>,
}

fn process(bytes: &[u8]) -> Result<Processed, String> {
    let format = image::guess_format(bytes).map_err(|_| "not an image".to_string())?;
    let content_type = content_type_of(format)
        .ok_or_else(|| format!("{format:?} images are not kept (PNG, JPEG, GIF, WebP only)"))?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| format!("the image does not decode: {e}"))?;
    let small = image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    let (thumbnail_format, _) = thumbnail_format(content_type);
    let small = if thumbnail_format == ImageFormat::Jpeg {
        image::DynamicImage::ImageRgb8(small.to_rgb8())
    } else {
        small
    };
    let mut thumbnail = Cursor::new(Vec::new());
    small
        .write_to(&mut thumbnail, thumbnail_format)
        .map_err(|e| format!("no thumbnail: {e}"))?;
    Ok(Processed {
        content_type,
        width: image.width(),
        height: image.height(),
        thumbnail: thumbnail.into_inner(),
    })
}

/// Writes `bytes` to `path` through a temporary file, so that a reader never sees half.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

fn serve_stored(root: &Path, row: &DbMedia, thumbnail: bool) -> Option<MediaFile> {
    let sha256 = row.sha256.clone()?;
    let content_type = content_type_of(ImageFormat::from_mime_type(row.content_type.as_deref()?)?)?;
    let (path, content_type) = if thumbnail {
        let (_, thumbnail_type) = thumbnail_format(content_type);
        (thumbnail_path(root, &sha256), thumbnail_type)
    } else {
        (original_path(root, &sha256), content_type)
    };
    path.exists().then_some(MediaFile {
        path,
        content_type,
        sha256,
    })
}

/// The cached file for `id`, fetched from its origin first when it is not here yet.
pub async fn file(state: &AppState, id: i64, thumbnail: bool) -> AppResult<MediaFile> {
    let read = || async move {
        db::run(&state.db, move |conn| Ok(db::media::get(conn, id)?))
            .await?
            .ok_or_else(AppError::not_found)
    };
    let row = read().await?;
    let root = folder(state);
    if let Some(found) = cached(state, &root, &row, thumbnail).await? {
        return Ok(found);
    }
    let _permit = FETCHES
        .acquire()
        .await
        .map_err(|e| AppError::other(anyhow::anyhow!("media permits: {e}")))?;
    // Another request may have fetched it while this one waited.
    let row = read().await?;
    if let Some(found) = cached(state, &root, &row, thumbnail).await? {
        return Ok(found);
    }
    if row.retry_after.is_some_and(|t| t > db::now()) {
        return Err(AppError::upstream(
            Message::new("error-remote-failure").arg("reason", row.error.unwrap_or_default()),
        ));
    }
    fetch_and_store(state, &root, row, thumbnail).await
}

/// The file when the cache holds it (a refusal is a 404).
async fn cached(
    state: &AppState,
    root: &Path,
    row: &DbMedia,
    thumbnail: bool,
) -> AppResult<Option<MediaFile>> {
    let id = row.id;
    match row.state.as_str() {
        REFUSED => Err(AppError::not_found()),
        STORED => match serve_stored(root, row, thumbnail) {
            Some(found) => {
                if row.last_access < db::now() - Duration::minutes(TOUCH_AFTER_MINUTES) {
                    db::run(&state.db, move |conn| {
                        Ok(db::media::touch(conn, id, db::now())?)
                    })
                    .await?;
                }
                Ok(Some(found))
            }
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

async fn fetch_and_store(
    state: &AppState,
    root: &Path,
    row: DbMedia,
    thumbnail: bool,
) -> AppResult<MediaFile> {
    let id = row.id;
    let url = Url::parse(&row.remote_url).map_err(|_| AppError::not_found())?;
    let max = state.settings.media.max_file_bytes;
    let refuse = |why: String| async move {
        tracing::info!(id, %why, "media refused");
        db::run(&state.db, move |conn| {
            Ok(db::media::mark_refused(conn, id, &why)?)
        })
        .await?;
        // Pages showed it as an image: from now on it is a link.
        timeline::changed(state);
        Err::<MediaFile, AppError>(AppError::not_found())
    };
    let bytes = match state.network.fetch_file(state, &url, max).await {
        Ok(bytes) => bytes,
        Err(FetchFailure::Permanent(why)) => return refuse(why).await,
        Err(FetchFailure::Blocked) => return Err(AppError::not_found()),
        Err(FetchFailure::Transient(why)) => {
            let retry_after = db::now() + Duration::minutes(RETRY_AFTER_MINUTES);
            let error = why.clone();
            db::run(&state.db, move |conn| {
                Ok(db::media::mark_failed(conn, id, &error, retry_after)?)
            })
            .await?;
            return Err(AppError::upstream(
                Message::new("error-remote-failure").arg("reason", why),
            ));
        }
    };
    let (bytes, processed) = tokio::task::spawn_blocking(move || {
        let processed = process(&bytes);
        (bytes, processed)
    })
    .await
    .map_err(|e| AppError::other(anyhow::anyhow!("image task failed: {e}")))?;
    let processed = match processed {
        Ok(processed) => processed,
        Err(why) => return refuse(why).await,
    };
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let stored = StoredFile {
        sha256: sha256.clone(),
        content_type: processed.content_type.to_string(),
        size_bytes: (bytes.len() + processed.thumbnail.len()) as i64,
        width: i64::from(processed.width),
        height: i64::from(processed.height),
    };
    {
        let root = root.to_path_buf();
        let sha256 = sha256.clone();
        tokio::task::spawn_blocking(move || {
            write_atomically(&original_path(&root, &sha256), &bytes)?;
            write_atomically(&thumbnail_path(&root, &sha256), &processed.thumbnail)
        })
        .await
        .map_err(|e| AppError::other(anyhow::anyhow!("media write task failed: {e}")))?
        .map_err(|e| AppError::other(anyhow::anyhow!("writing to the media folder: {e}")))?;
    }
    let row = db::run(&state.db, move |conn| {
        db::media::mark_stored(conn, id, &stored, db::now())?;
        Ok(db::media::get(conn, id)?)
    })
    .await?
    .ok_or_else(AppError::not_found)?;
    evict_to(state, state.settings.media.cache_bytes as i64).await?;
    serve_stored(root, &row, thumbnail).ok_or_else(AppError::not_found)
}

/// What a prune did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub evicted: usize,
    pub orphans_removed: usize,
    pub bytes_kept: i64,
}

/// Evicts the least recently shown files until the cache is within `media.cache_bytes`.
/// Drops the least recently shown files until the cache holds at most `bound` bytes.
pub async fn evict_to(state: &AppState, bound: i64) -> AppResult<usize> {
    let root = folder(state);
    db::run(&state.db, move |conn| {
        let mut total = db::media::stored_bytes(conn)?;
        let mut evicted = 0;
        while total > bound {
            let oldest = db::media::least_recently_used(conn, 100)?;
            if oldest.is_empty() {
                break;
            }
            for row in oldest {
                if total <= bound {
                    break;
                }
                release(conn, &root, &row)?;
                total -= row.size_bytes;
                evicted += 1;
            }
        }
        Ok(evicted)
    })
    .await
}

/// Drops the cached file of `row` (the row stays, pending, so that a post still showing
/// the image fetches it again); the file goes unless another row holds the same one.
fn release(conn: &mut db::AnyConnection, root: &Path, row: &DbMedia) -> AppResult<()> {
    db::media::mark_evicted(conn, row.id)?;
    if let Some(sha256) = &row.sha256 {
        if !db::media::hash_held_elsewhere(conn, sha256, row.id)? {
            let _ = std::fs::remove_file(original_path(root, sha256));
            let _ = std::fs::remove_file(thumbnail_path(root, sha256));
        }
    }
    Ok(())
}

/// Forgets every image from `domain` or its subdomains (the domain is suspended).
pub fn forget_domain(
    conn: &mut db::AnyConnection,
    state: &AppState,
    domain: &str,
) -> AppResult<usize> {
    let Some(host) = db::domains::block_candidates(domain).into_iter().next() else {
        return Ok(0);
    };
    let urls: Vec<String> = db::media::urls_like(conn, &host)?
        .into_iter()
        .filter(|url| {
            Url::parse(url).is_ok_and(|u| {
                db::domains::block_candidates(&crate::urls::host_and_port(&u)).contains(&host)
            })
        })
        .collect();
    forget_urls(conn, state, &urls)
}

/// Forgets the images of posts that are gone (rows, and files no other row holds).
pub fn forget_urls(
    conn: &mut db::AnyConnection,
    state: &AppState,
    urls: &[String],
) -> AppResult<usize> {
    let root = folder(state);
    let mut forgotten = 0;
    for chunk in urls.chunks(500) {
        for row in db::media::rows_of(conn, chunk)? {
            release(conn, &root, &row)?;
            forgotten += db::media::delete(conn, row.id)?;
        }
    }
    Ok(forgotten)
}

/// Drops the files of images nobody has shown since `before`: retention's share. Their
/// rows stay (a URL each), so a kept post that shows one again fetches it again.
pub async fn forget_unused(state: &AppState, before: chrono::NaiveDateTime) -> AppResult<usize> {
    let root = folder(state);
    db::run(&state.db, move |conn| {
        let mut forgotten = 0;
        loop {
            let rows = db::media::unused_since(conn, before, 500)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                release(conn, &root, row)?;
                forgotten += 1;
            }
        }
        Ok(forgotten)
    })
    .await
}

/// `munifed media prune`: evicts beyond the bound and removes files nothing refers to.
pub async fn prune(state: &AppState) -> AppResult<Pruned> {
    let evicted = evict_to(state, state.settings.media.cache_bytes as i64).await?;
    let root = folder(state);
    let hashes: std::collections::HashSet<String> =
        db::run(&state.db, |conn| Ok(db::media::stored_hashes(conn)?))
            .await?
            .into_iter()
            .collect();
    let orphans_removed = tokio::task::spawn_blocking(move || remove_orphans(&root, &hashes))
        .await
        .map_err(|e| AppError::other(anyhow::anyhow!("prune task failed: {e}")))?
        .map_err(|e| AppError::other(anyhow::anyhow!("reading the media folder: {e}")))?;
    let bytes_kept = db::run(&state.db, |conn| Ok(db::media::stored_bytes(conn)?)).await?;
    Ok(Pruned {
        evicted,
        orphans_removed,
        bytes_kept,
    })
}

fn remove_orphans(
    root: &Path,
    hashes: &std::collections::HashSet<String>,
) -> std::io::Result<usize> {
    let mut removed = 0;
    let Ok(shards) = std::fs::read_dir(root) else {
        return Ok(0); // no folder yet: nothing cached
    };
    let is_hex = |text: &str, len: usize| {
        text.len() == len
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    // Only what the cache itself writes, and not while it may still be writing it.
    let settled = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for shard in shards {
        let shard = shard?.path();
        let shard_name = shard
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !shard.is_dir() || !is_hex(shard_name, 2) {
            continue;
        }
        for file in std::fs::read_dir(&shard)? {
            let path = file?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let sha256 = name.strip_suffix(".thumbnail").unwrap_or(name);
            let recent = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .map_or(true, |modified| modified > settled);
            if is_hex(sha256, 64) && !hashes.contains(sha256) && !recent {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}
