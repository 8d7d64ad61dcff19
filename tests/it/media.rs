//! The media cache: remote images are served from our own origin, fetched once, within
//! limits, and a page never makes a reader's browser contact another server.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use activitypub_federation::traits::Activity;
use actix_web::{web, App, HttpResponse, HttpServer};
use munifed::{db, federation::activities::InboxActivity, service::accounts};
use serde_json::json;

use crate::helpers::{accepted_follow, remote_actor, spawn_app_with};

fn png(side: u32, noisy: bool) -> Vec<u8> {
    let image = image::RgbImage::from_fn(side, side, |x, y| {
        if noisy {
            let v = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).to_le_bytes();
            image::Rgb([v[0], v[1], v[2]])
        } else {
            image::Rgb([200, 30, 30])
        }
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// A stand-in origin serving an avatar, a large image and a text file pretending to be an
/// image; counts requests.
pub async fn spawn_origin() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let server = HttpServer::new(move || {
        let counter = counter.clone();
        App::new().default_service(web::to(move |request: actix_web::HttpRequest| {
            counter.fetch_add(1, Ordering::SeqCst);
            let path = request.path().to_string();
            async move {
                match path.as_str() {
                    "/avatar.png" | "/avatar-copy.png" => HttpResponse::Ok()
                        .content_type("image/png")
                        .body(png(600, false)),
                    "/flaky.png" => HttpResponse::ServiceUnavailable().finish(),
                    "/large.png" => HttpResponse::Ok()
                        .content_type("image/png")
                        .body(png(400, true)),
                    "/fake.png" => HttpResponse::Ok()
                        .content_type("image/png")
                        .body("<svg onload=alert(1)>"),
                    _ => HttpResponse::NotFound().finish(),
                }
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (format!("http://localhost:{port}"), hits)
}

#[tokio::test]
async fn remote_images_are_served_from_our_origin_within_limits() {
    let app = spawn_app_with(&[("MUNIFED__MEDIA__MAX_FILE_BYTES", "100000")]).await;
    let data = app.data();
    let (origin, hits) = spawn_origin().await;
    let news = accounts::by_name(&data, "news").await.unwrap();
    let actor = format!("{origin}/users/ana");
    let mut form = remote_actor(&actor, None);
    form.icon_url = Some(format!("{origin}/avatar.png"));
    db::run(&data.db, move |conn| {
        let id = db::actors::insert(conn, &form)?;
        accepted_follow(conn, news.id, id)?;
        Ok(())
    })
    .await
    .unwrap();
    let create = json!({
        "id": format!("{origin}/activities/1"),
        "type": "Create",
        "actor": actor,
        "object": {
            "id": format!("{origin}/notes/1"),
            "type": "Note",
            "attributedTo": actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>Photos</p>",
            "attachment": [
                { "type": "Document", "mediaType": "image/png", "url": format!("{origin}/large.png"), "name": "noise" },
                { "type": "Document", "mediaType": "image/png", "url": format!("{origin}/fake.png"), "name": "fake" },
            ],
        },
    });
    let activity: InboxActivity = serde_json::from_value(create).unwrap();
    activity.verify(&data).await.unwrap();
    activity.receive(&data).await.unwrap();
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing is fetched before it is shown"
    );

    // The page loads images only from this instance.
    let page = app
        .http
        .get(app.url("/timeline"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let sources: Vec<&str> = page
        .split("src=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(sources.len(), 3, "an avatar and two attachments: {page}");
    for source in &sources {
        assert!(source.starts_with("/media/"), "{source} is not ours");
    }
    let items = app
        .http
        .get(app.url("/api/v1/timeline"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let avatar = items[0]["author"]["avatar"].as_str().unwrap().to_string();
    let large = items[0]["attachments"][0]["media"]
        .as_str()
        .unwrap()
        .to_string();
    let fake = items[0]["attachments"][1]["media"]
        .as_str()
        .unwrap()
        .to_string();

    // The avatar: fetched once, thumbnailed, then served from the cache.
    for _ in 0..2 {
        let response = app.http.get(app.url(&avatar)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/png");
        assert!(response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"));
        let bytes = response.bytes().await.unwrap();
        let thumbnail = image::load_from_memory(&bytes).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (400, 400));
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1, "fetched once");
    let original = app
        .http
        .get(app.url(avatar.trim_end_matches("/thumbnail")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        image::load_from_memory(&original.bytes().await.unwrap())
            .unwrap()
            .width(),
        600
    );

    // Over media.max_file_bytes, or not an image: refused, and refused for good.
    for path in [&large, &fake] {
        assert_eq!(
            app.http.get(app.url(path)).send().await.unwrap().status(),
            404,
            "{path}"
        );
    }
    let before = hits.load(Ordering::SeqCst);
    assert_eq!(
        app.http.get(app.url(&large)).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        before,
        "a refused file is not fetched again"
    );
    let page = app
        .http
        .get(app.url("/timeline"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        page.matches("src=\"").count(),
        1,
        "refused images become links"
    );

    // An id the cache never registered is no proxy to anywhere.
    assert_eq!(
        app.http
            .get(app.url("/media/99999"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Pruning keeps what is within the bound.
    let pruned = munifed::service::media::prune(&data).await.unwrap();
    assert_eq!((pruned.evicted, pruned.orphans_removed), (0, 0));
    assert!(pruned.bytes_kept > 0);
}

#[tokio::test]
async fn one_file_under_two_urls_survives_the_eviction_of_one_and_failures_back_off() {
    let app = spawn_app_with(&[]).await;
    let data = app.data();
    let (origin, hits) = spawn_origin().await;
    let news = accounts::by_name(&data, "news").await.unwrap();
    let actor = format!("{origin}/users/ana");
    let mut form = remote_actor(&actor, None);
    form.icon_url = Some(format!("{origin}/avatar.png"));
    db::run(&data.db, move |conn| {
        let id = db::actors::insert(conn, &form)?;
        accepted_follow(conn, news.id, id)?;
        Ok(())
    })
    .await
    .unwrap();
    let create = json!({
        "id": format!("{origin}/activities/2"),
        "type": "Create",
        "actor": actor,
        "object": {
            "id": format!("{origin}/notes/2"),
            "type": "Note",
            "attributedTo": actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>The same picture twice</p>",
            "attachment": [
                { "type": "Document", "mediaType": "image/png", "url": format!("{origin}/avatar-copy.png"), "name": "copy" },
                { "type": "Document", "mediaType": "image/png", "url": format!("{origin}/flaky.png"), "name": "flaky" },
            ],
        },
    });
    let activity: InboxActivity = serde_json::from_value(create).unwrap();
    activity.verify(&data).await.unwrap();
    activity.receive(&data).await.unwrap();
    let items = app
        .http
        .get(app.url("/api/v1/timeline"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let avatar = items[0]["author"]["avatar"].as_str().unwrap().to_string();
    let copy = items[0]["attachments"][0]["media"]
        .as_str()
        .unwrap()
        .to_string();
    let flaky = items[0]["attachments"][1]["media"]
        .as_str()
        .unwrap()
        .to_string();
    let status = |path: String| {
        let app = &app;
        async move {
            app.http
                .get(app.url(&path))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };

    // A server error may pass: 502, and not asked again at once.
    assert_eq!(status(flaky.clone()).await, 502);
    let asked = hits.load(Ordering::SeqCst);
    assert_eq!(status(flaky).await, 502);
    assert_eq!(hits.load(Ordering::SeqCst), asked, "backs off");

    // Two URLs, one file: evicting the older row keeps the file the other row holds.
    assert_eq!(status(avatar.clone()).await, 200);
    assert_eq!(status(copy.clone()).await, 200);
    let one_row = db::run(&data.db, |conn| Ok(db::media::stored_bytes(conn)?))
        .await
        .unwrap()
        / 2;
    let evicted = munifed::service::media::evict_to(&data, one_row)
        .await
        .unwrap();
    assert_eq!(evicted, 1);
    let asked = hits.load(Ordering::SeqCst);
    assert_eq!(status(copy).await, 200);
    assert_eq!(status(avatar).await, 200);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        asked + 1,
        "only the evicted one is fetched again"
    );
}
