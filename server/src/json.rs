//! JSON request bodies whose rejections speak the API's language: a stable
//! code and a Chinese message, like every other error (axum's own rejection
//! is English plain text).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use gongzhi_domain::RequestError;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// Like `axum::Json`, with rejections as [`AppError`].
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(RequestError::ContentTypeInvalid.into()),
            Err(e) => {
                tracing::debug!(error = %e, "rejected request body");
                Err(RequestError::BodyInvalid.into())
            }
        }
    }
}
