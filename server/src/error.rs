//! HTTP answers for errors: a status and an [`ApiError`] body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gongzhi_api::ApiError;
use gongzhi_domain::{CalendarError, FieldError};

/// An error on its way to the client.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub body: ApiError,
}

impl AppError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { status, body: ApiError::new(code, message) }
    }

    /// Input that failed to parse: 400 with every field problem.
    pub fn fields(errors: &[FieldError]) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: ApiError::from_fields(errors).unwrap_or_else(|| ApiError::new("bad_request", "请求内容不正确。")),
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
