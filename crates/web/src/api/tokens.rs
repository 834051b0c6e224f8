//! A member's API tokens over the API.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// An API token (the secret only when it is created).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenObject {
    pub id: i64,
    pub created: String,
    pub revoked: Option<String>,
    /// The secret, shown once when created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// The token's member's API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", responses((status = 200, body = Vec<TokenObject>)), security(("token" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<TokenObject>>, ApiError> {
    let list = state
        .db(move |store| Ok(store.tokens(user.practice, &user.member)?))
        .await?;
    Ok(Json(
        list.into_iter()
            .map(|t| TokenObject {
                id: t.id,
                created: t.created.to_string(),
                revoked: t.revoked.map(|r| r.to_string()),
                token: None,
            })
            .collect(),
    ))
}

/// Creates another token for the same member.
#[utoipa::path(post, path = "/api/v1/tokens", responses((status = 201, body = TokenObject)), security(("token" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<(StatusCode, Json<TokenObject>), ApiError> {
    let token = crate::auth::new_token();
    let hash = crate::auth::secret_hash(&token);
    let now = state.now();
    let id = state
        .db(move |store| Ok(store.create_token(user.practice, &user.member, &hash, now)?))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenObject {
            id,
            created: now.to_string(),
            revoked: None,
            token: Some(token),
        }),
    ))
}

/// Revokes one of the member's tokens (it may be the one in use).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}",
    params(("id" = i64, Path, description = "The token's number")),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let now = state.now();
    let done = state
        .db(move |store| Ok(store.revoke_token(user.practice, &user.member, id, now)?))
        .await?;
    if done {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no live token {id} of yours")))
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(list_tokens, create_token, revoke_token),
    components(schemas(TokenObject))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", axum::routing::delete(revoke_token))
}
