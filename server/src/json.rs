//! JSON request bodies whose rejections speak the API's language: a stable
//! code and a Chinese message, like every other error (axum's own rejection
//! is English plain text).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// Like `axum::Json`, with rejections as [`AppError`].
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "content_type_invalid",
                "请求内容须为 JSON(Content-Type: application/json)。",
            )),
            Err(e) => {
                tracing::debug!(error = %e, "rejected request body");
                Err(AppError::new(StatusCode::BAD_REQUEST, "body_invalid", "请求内容格式不正确,无法识别。"))
            }
        }
    }
}
