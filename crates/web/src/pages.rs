//! The server-rendered pages, put together: every page module and the static files. Forms
//! carry a CSRF token; the pages need no JavaScript, and `static/app.js` only refreshes the
//! inbox when something arrives.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

async fn static_file(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "app.js" => (
            include_str!("../static/app.js"),
            "text/javascript; charset=utf-8",
        ),
        "app.css" => (include_str!("../static/app.css"), "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        body,
    )
        .into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/{name}", get(static_file))
        .merge(crate::signin::routes())
        .merge(crate::inbox_page::routes())
        .merge(crate::clients::routes())
        .merge(crate::dashboard::routes())
        .merge(crate::settings::routes())
        .merge(crate::team_page::routes())
        .merge(crate::agenda_page::routes())
        .merge(crate::briefs_page::routes())
        .layer(axum::middleware::from_fn(crate::error_pages::as_pages))
}
