//! The JSON API, by resource. Every request carries a member's API token; everything it
//! names is looked up inside that member's practice, so another practice's numbers are simply
//! not found. The OpenAPI document is generated from the handlers (utoipa).

pub mod agenda;
pub mod billing;
pub mod briefs;
pub mod clients;
pub mod contacts;
pub mod deliverables;
pub mod feeds;
pub mod outbox;
pub mod practice;
pub mod promises;
pub mod risk;
pub mod tokens;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_core::{Client, Handle, Practice};
use frontdesk_store::Principal;
use utoipa::OpenApi;

use crate::error::ApiError;
use crate::state::AppState;

/// A member's API token, checked.
pub struct ApiUser(pub Principal);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string())
            .ok_or_else(ApiError::unauthorized)?;
        let principal = state
            .db(move |store| Ok(AppState::token_principal(store, &token)?))
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "this API token is unknown or revoked",
                )
            })?;
        Ok(ApiUser(principal))
    }
}

/// A JSON body whose problems (not JSON, unknown or missing fields, wrong types, too large)
/// are API errors.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::BytesRejection(e)) => Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the request body is too large: {e}"),
            )),
            Err(e) => Err(ApiError::new(e.status(), "invalid_json", e.body_text())),
        }
    }
}

pub(crate) async fn practice_of(
    state: &AppState,
    user: &frontdesk_store::Principal,
) -> Result<std::sync::Arc<Practice>, ApiError> {
    let s = state.clone();
    let id = user.practice;
    state.db(move |store| Ok(s.practice(store, id)?)).await
}

pub(crate) fn find<'p>(
    practice: &'p Practice,
    who: &Handle,
    handle: &str,
) -> Result<&'p Client, ApiError> {
    practice
        .clients_of(who)
        .find(|c| c.handle.as_str() == handle)
        .ok_or_else(|| ApiError::not_found(format!("no client {handle:?}")))
}

/// The OpenAPI document's head; [`document`] merges every resource's paths into it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "frontdesk",
        description = "The desk over HTTP: record contacts, read decisions, answer them."
    ),
    components(schemas(crate::error::ErrorBody))
)]
pub struct ApiDoc;

/// The bearer-token scheme, and a 401 on every operation that needs a token: said once here
/// rather than on each handler, so none can miss it.
struct TokenAuth;

impl utoipa::Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        let unauthorized = ResponseBuilder::new()
            .description("No valid API token (code unauthorized)")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    op.responses
                        .responses
                        .entry("401".to_string())
                        .or_insert_with(|| unauthorized.clone().into());
                }
            }
        }
    }
}

/// The whole OpenAPI document, as `GET /api/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    use utoipa::Modify;
    let mut doc = ApiDoc::openapi();
    doc.merge(contacts::Doc::openapi());
    doc.merge(clients::Doc::openapi());
    doc.merge(practice::Doc::openapi());
    doc.merge(agenda::Doc::openapi());
    doc.merge(tokens::Doc::openapi());
    doc.merge(outbox::Doc::openapi());
    doc.merge(briefs::Doc::openapi());
    doc.merge(feeds::Doc::openapi());
    doc.merge(risk::Doc::openapi());
    doc.merge(promises::Doc::openapi());
    doc.merge(deliverables::Doc::openapi());
    doc.merge(billing::Doc::openapi());
    TokenAuth.modify(&mut doc);
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(contacts::routes())
        .merge(clients::routes())
        .merge(practice::routes())
        .merge(agenda::routes())
        .merge(tokens::routes())
        .merge(outbox::routes())
        .merge(briefs::routes())
        .merge(feeds::routes())
        .merge(risk::routes())
        .merge(promises::routes())
        .merge(deliverables::routes())
        .merge(billing::routes())
        .route("/api/openapi.json", get(|| async { Json(document()) }))
}
