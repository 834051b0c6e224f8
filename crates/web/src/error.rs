//! Errors as the API returns them: a status, a stable code, and a message naming the field and
//! the value.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontdesk_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response: `{"error": {"code", "message"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: invalid_json, invalid, unauthorized, forbidden, not_found,
    /// conflict, too_large, rate_limited, internal.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send an API token as `Authorization: Bearer TOKEN` (see `frontdesk token create`)",
        )
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match &e {
            StoreError::UnknownContact(_)
            | StoreError::UnknownMeeting(_)
            | StoreError::UnknownBrief(_) => ApiError::not_found(e.to_string()),
            StoreError::UnknownMember(_) | StoreError::Decide(_) | StoreError::KeyReused(_) => {
                ApiError::invalid(e.to_string())
            }
            StoreError::AlreadyAnswered { .. }
            | StoreError::AnswerBeforeContact { .. }
            | StoreError::Refused(_)
            | StoreError::PracticeChanged
            | StoreError::WouldLoseContacts { .. } => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            StoreError::NoPractice
            | StoreError::UnknownPractice { .. }
            | StoreError::WhichPractice(_) => ApiError::not_found(e.to_string()),
            StoreError::Database(_) => ApiError::internal(e.to_string()),
            StoreError::Unavailable(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                e.to_string(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(code = self.code, message = %self.message, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
