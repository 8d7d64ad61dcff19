//! Public HTML pages and operational endpoints.

pub mod admin;
pub mod embed;
pub mod feeds;
pub mod ical;
pub mod language;
pub mod media;
pub mod metrics;
pub mod pages;
pub mod seo;
pub mod site;
pub mod timeline;
