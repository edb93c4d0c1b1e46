//! The working-day calendar (工作日历) over HTTP.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use gongzhi_api::{DueResponse, SchedulesResponse};
use gongzhi_domain::DueQuery;
use serde::Deserialize;

use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Raw query text: parsing is the domain crate's job, so the browser and the
/// API give the same message for the same mistake.
#[derive(Deserialize)]
pub struct DueParams {
    from: Option<String>,
    working_days: Option<String>,
}

/// `GET /api/calendar/due?from=YYYY-MM-DD&working_days=N`
pub async fn due(
    State(state): State<AppState>,
    params: Result<Query<DueParams>, QueryRejection>,
) -> ApiResult<DueResponse> {
    let Query(params) =
        params.map_err(|_| AppError::new(StatusCode::BAD_REQUEST, "query_invalid", "查询参数格式不正确。"))?;
    let query =
        DueQuery::parse(params.from.as_deref(), params.working_days.as_deref()).map_err(|e| AppError::fields(&e))?;
    Ok(Json(query.evaluate(&state.calendar)?.into()))
}

/// `GET /api/calendar/schedules`
pub async fn schedules(State(state): State<AppState>) -> Json<SchedulesResponse> {
    Json(SchedulesResponse {
        known_years: state.calendar.known_years(),
        schedules: state.calendar.schedules().cloned().collect(),
    })
}
