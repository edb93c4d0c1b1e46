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

/// Like [`JsonBody`] for actions whose body is optional: no body at all is
/// `T::default()`; a body must be JSON (with its content type) as usual.
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let has_type = req.headers().contains_key(axum::http::header::CONTENT_TYPE);
        let bytes =
            axum::body::Bytes::from_request(req, state).await.map_err(|_| AppError::from(RequestError::BodyInvalid))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        if !has_type {
            return Err(RequestError::ContentTypeInvalid.into());
        }
        serde_json::from_slice(&bytes).map(Self).map_err(|_| RequestError::BodyInvalid.into())
    }
}
