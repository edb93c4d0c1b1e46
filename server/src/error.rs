//! HTTP answers for errors: a status and an [`ApiError`] body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gongzhi_api::ApiError;
use gongzhi_domain::auth::{AccessError, LoginError};
use gongzhi_domain::{CalendarError, ConflictError, DomainError, FieldError, RequestError};

/// An error on its way to the client.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub body: ApiError,
}

impl AppError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { status, body: ApiError::new(code, message) }
    }

    /// Input that failed to parse: 400 with every field problem.
    pub fn fields(errors: &[FieldError]) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: ApiError::from_fields(errors).unwrap_or_else(|| ApiError::from_domain(&RequestError::BadRequest)),
        }
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(%err, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "服务器内部错误,请稍后重试。")
    }
}

impl From<CalendarError> for AppError {
    fn from(e: CalendarError) -> Self {
        // Well-formed input the calendar cannot answer: 422.
        let mut body = ApiError::from_domain(&e);
        if let CalendarError::YearUnknown { year } = e {
            body.year = Some(year);
        }
        Self { status: StatusCode::UNPROCESSABLE_ENTITY, body }
    }
}

impl AppError {
    /// A domain error with an explicit status.
    pub fn domain(status: StatusCode, e: &dyn DomainError) -> Self {
        Self { status, body: ApiError::from_domain(e) }
    }

    /// Input that is well-formed but breaks a rule: 422 with every problem.
    pub fn unprocessable(errors: &[FieldError]) -> Self {
        Self { status: StatusCode::UNPROCESSABLE_ENTITY, ..Self::fields(errors) }
    }
}

impl From<ConflictError> for AppError {
    fn from(e: ConflictError) -> Self {
        Self::domain(StatusCode::CONFLICT, &e)
    }
}

impl From<RequestError> for AppError {
    fn from(e: RequestError) -> Self {
        let status = match e {
            RequestError::RouteNotFound => StatusCode::NOT_FOUND,
            RequestError::ContentTypeInvalid => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RequestError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            RequestError::Http { status } => StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
            _ => StatusCode::BAD_REQUEST,
        };
        Self::domain(status, &e)
    }
}

impl From<AccessError> for AppError {
    fn from(e: AccessError) -> Self {
        let status = match e {
            AccessError::NotLoggedIn | AccessError::SessionExpired => StatusCode::UNAUTHORIZED,
            AccessError::CsrfMissing | AccessError::Forbidden | AccessError::PasswordChangeRequired => {
                StatusCode::FORBIDDEN
            }
            AccessError::NotFound => StatusCode::NOT_FOUND,
        };
        Self::domain(status, &e)
    }
}

impl From<LoginError> for AppError {
    fn from(e: LoginError) -> Self {
        let status = match e {
            LoginError::BadCredentials => StatusCode::UNAUTHORIZED,
            LoginError::Locked { .. } => StatusCode::LOCKED,
            LoginError::Disabled => StatusCode::FORBIDDEN,
            LoginError::TooManyAttempts { .. } | LoginError::ServerBusy => StatusCode::TOO_MANY_REQUESTS,
        };
        Self::domain(status, &e)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        Self::internal(format!("{e:#}"))
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

pub type ApiResult<T> = Result<Json<T>, AppError>;
