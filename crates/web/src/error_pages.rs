//! Errors on the browser's routes as pages in the layout, in the reader's language, never the
//! API's JSON: a form that fails ends on a page that says what went wrong and links back.

use std::sync::{Arc, Mutex};

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use frontdesk_core::Language;
use maud::html;

use crate::i18n::T;
use crate::layout::page;
use crate::state::unpoisoned;

/// Where a page's signed-in reader's language is left for this layer (by `PageUser`).
#[derive(Clone, Default)]
pub(crate) struct ReaderLanguage(pub Arc<Mutex<Option<Language>>>);

/// The largest error body read back to turn into a page.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Turns a JSON error of a page or form route into an HTML page.
pub(crate) async fn as_pages(mut req: Request, next: Next) -> Response {
    let reader = ReaderLanguage::default();
    req.extensions_mut().insert(reader.clone());
    let headers = req.headers().clone();
    let response = next.run(req).await;
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(response.status().is_client_error() || response.status().is_server_error()) || !json {
        return response;
    }
    let status = response.status();
    let body = to_bytes(response.into_body(), MAX_ERROR_BODY)
        .await
        .unwrap_or_default();
    let (code, message) = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .map(|v| {
            (
                v["error"]["code"]
                    .as_str()
                    .unwrap_or("internal")
                    .to_string(),
                v["error"]["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .unwrap_or_else(|| ("internal".to_string(), String::new()));
    let language = *unpoisoned(reader.0.lock());
    let t = T(language.unwrap_or_else(|| crate::i18n::language(&headers, None)));
    let title = t.get(&format!("problem-{code}"));
    let back = back_link(&headers);
    let mut r = page(
        t,
        &title,
        None,
        html! {
            h1 { (title) }
            @if !message.is_empty() { p.error { (message) } }
            p { a href=(back) { (t.get("problem-back")) } }
        },
    )
    .into_response();
    *r.status_mut() = status;
    r
}

/// Back to the page the form was on, when it is one of this site's; else the inbox.
fn back_link(headers: &HeaderMap) -> String {
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/inbox".to_string())
}
