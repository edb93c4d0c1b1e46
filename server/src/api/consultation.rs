//! Consultation and deliberation (协商议事): matters raised by residents with
//! co-signers, by a grid member or by the committee; meetings with invited
//! parties and attendance; the record (minutes, resolution, votes of those
//! present, a dispute's outcome) and its follow-up items, due on the
//! working-day calendar, reported done and published. Handlers are role →
//! scope → parse → domain → store; the rules are
//! `gongzhi_domain::consultation`'s. One co-signature and one attendance per
//! resident, one planned meeting per matter: unique keys decide, not checks
//! before the insert. Disputes name their parties (personal data) and are
//! never shown to residents.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, Utc};
use gongzhi_api::consultation::*;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::consultation::{
    self as rules, AttendanceInput, AttendanceMethod, ConsultationError, DisputeOutcome, FollowUpDoneInput,
    FollowUpStatus, Invitee, MatterInput, MatterKind, MatterOrigin, MatterStatus, MeetingInput, MeetingKind,
    MeetingRecordInput, MeetingStatus, PartyKind, FIELD_KIND, FIELD_RESIDENT,
};
use gongzhi_domain::error::FieldErrorKind;
use gongzhi_domain::{DomainError, Role};

use super::participation::{path_of, reaches};
use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::consultation::{self as store, FollowUpRow, MatterRow, MeetingRow, NewMatter};
use crate::store::participation::{account_entry, resident as register_entry};
use crate::store::transition::Outcome;

/// Who reads matters: residents (their community's affairs), community
/// staff, and the street's reviewers.
pub const READERS: &[Role] = &[Role::Resident, Role::GridMember, Role::CommunityLeader, Role::Reviewer];
/// Who raises a matter.
pub const RAISERS: &[Role] = &[Role::Resident, Role::GridMember, Role::CommunityLeader];
/// Who co-signs: residents.
pub const COSIGNERS: &[Role] = &[Role::Resident];
/// Who runs meetings, records them and publishes: the community's leader.
pub const MANAGERS: &[Role] = &[Role::CommunityLeader];
/// Who signs attendances in at the door (tablet) or from the paper list.
pub const DOOR: &[Role] = &[Role::GridMember, Role::CommunityLeader];

fn conflict(e: &dyn DomainError) -> AppError {
    AppError::domain(StatusCode::CONFLICT, e)
}

fn status(m: &MatterRow) -> MatterStatus {
    MatterStatus::from_code(&m.status).unwrap_or(MatterStatus::Collecting)
}

fn kind(m: &MatterRow) -> MatterKind {
    MatterKind::from_code(&m.kind).unwrap_or(MatterKind::Affair)
}

fn date(raw: &str) -> NaiveDate {
    gongzhi_domain::due::civil_date(raw).unwrap_or_default()
}

/// Whether the account sees matter `m`: within reach, and — for a
/// resident — an affair (a dispute's parties are not other residents' business).
fn visible(user: &CurrentUser, m: &MatterRow) -> bool {
    reaches(user, &m.community_path) && (user.role != Role::Resident || kind(m) == MatterKind::Affair)
}

fn manages(user: &CurrentUser, m: &MatterRow) -> bool {
    MANAGERS.contains(&user.role) && user.sees(&path_of(&m.community_path))
}

/// A matter the account sees, or 404 (recorded).
async fn scoped_matter(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<MatterRow, AppError> {
    let row = store::matter(&mut *state.db.acquire().await?, id).await?;
    match row.filter(|m| visible(user, m)) {
        Some(m) => Ok(m),
        None => Err(user.out_of_scope(state, action, format!("consultation_matter:{id}")).await),
    }
}

/// A matter the leader manages, or 404 (recorded).
async fn managed_matter(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<MatterRow, AppError> {
    let m = scoped_matter(state, user, id, action).await?;
    if manages(user, &m) {
        Ok(m)
    } else {
        Err(user.out_of_scope(state, action, format!("consultation_matter:{id}")).await)
    }
}

/// The register entry a resident's account is, on the register of the
/// community at `community_path` (else 409 `consultation_not_on_register`).
async fn own_entry(state: &AppState, user: &CurrentUser) -> Result<Option<(i64, String)>, AppError> {
    if user.role != Role::Resident {
        return Ok(None);
    }
    Ok(account_entry(&mut *state.db.acquire().await?, user.account_id).await?.map(|v| (v.id, v.path)))
}

fn late(f: &FollowUpRow, today: NaiveDate) -> bool {
    let s = FollowUpStatus::from_code(&f.status).unwrap_or(FollowUpStatus::Open);
    rules::follow_up_late(s, date(&f.due_on), today)
}

fn summary(
    m: &MatterRow,
    follow_ups: &[&FollowUpRow],
    meeting_on: Option<NaiveDate>,
    cosigned: Option<bool>,
    today: NaiveDate,
) -> MatterSummary {
    let (k, s) = (kind(m), status(m));
    MatterSummary {
        id: m.id,
        community_name: m.community_name.clone(),
        kind: k.code().into(),
        kind_label: k.label().into(),
        origin_label: MatterOrigin::from_code(&m.origin).map(MatterOrigin::label).unwrap_or_default().into(),
        title: m.title.clone(),
        status: s.code().into(),
        status_label: s.label().into(),
        cosigners: m.cosigners as u32,
        cosigners_needed: m.cosigners_needed as u32,
        raised_on: date(&m.raised_on),
        meeting_on,
        follow_ups: follow_ups.len() as u32,
        late: follow_ups.iter().filter(|f| late(f, today)).count() as u32,
        cosigned,
    }
}

/// `GET /api/consultation/matters`: the matters the account sees, newest first.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<MatterSummary>> {
    let user = user.require(&state, READERS, AuditAction::ConsultationMatters).await?;
    let today = state.today();
    let me = own_entry(&state, &user).await?;
    let mut conn = state.db.acquire().await?;
    let scope = user.scope.as_str();
    let rows = store::matters(&mut conn, scope).await?;
    let follow_ups = store::follow_ups_in(&mut conn, scope).await?;
    let planned = store::planned_in(&mut conn, scope).await?;
    let mine = match &me {
        Some((resident, _)) => store::cosigned_by(&mut conn, *resident).await?,
        None => vec![],
    };
    drop(conn);
    let out = rows
        .iter()
        .filter(|m| visible(&user, m))
        .map(|m| {
            let fs: Vec<&FollowUpRow> = follow_ups.iter().filter(|f| f.matter_id == m.id).collect();
            let on = planned.iter().find(|(id, _)| *id == m.id).map(|(_, d)| date(d));
            summary(m, &fs, on, me.as_ref().map(|_| mine.contains(&m.id)), today)
        })
        .collect();
    Ok(Json(out))
}

fn parties(raw: &str) -> Vec<String> {
    serde_json::from_str(raw).unwrap_or_default()
}

fn meeting_view(g: &MeetingRow, attendance: &[store::AttendanceRow], staff: bool) -> MeetingView {
    let s = MeetingStatus::from_code(&g.status).unwrap_or(MeetingStatus::Planned);
    let invited: Vec<Invitee> = serde_json::from_str(&g.invited).unwrap_or_default();
    let here: Vec<&store::AttendanceRow> = attendance.iter().filter(|a| a.meeting_id == g.id).collect();
    let label = |code: &str| PartyKind::from_code(code).map(PartyKind::label).unwrap_or_default().to_string();
    let votes = match (g.votes_for, g.votes_against, g.votes_abstain) {
        (Some(f), Some(a), Some(b)) => {
            let v = rules::Votes { for_: f as u32, against: a as u32, abstain: b as u32 };
            Some(VotesView {
                votes_for: v.for_,
                votes_against: v.against,
                votes_abstain: v.abstain,
                carried: v.carried(),
            })
        }
        _ => None,
    };
    MeetingView {
        id: g.id,
        kind_label: MeetingKind::from_code(&g.kind).map(MeetingKind::label).unwrap_or_default().into(),
        status: s.code().into(),
        status_label: s.label().into(),
        date: date(&g.date),
        time: g.time.clone(),
        place: g.place.clone(),
        invited: invited
            .iter()
            .map(|i| PartyView { kind: i.kind.code().into(), kind_label: i.kind.label().into(), name: i.name.clone() })
            .collect(),
        present: here.len() as u32,
        // Residents see how many came, never who.
        attendance: if staff {
            here.iter()
                .map(|a| AttendeeView {
                    name: a.name.clone(),
                    capacity_label: label(&a.capacity),
                    method_label: AttendanceMethod::from_code(&a.method)
                        .map(AttendanceMethod::label)
                        .unwrap_or_default()
                        .into(),
                })
                .collect()
        } else {
            vec![]
        },
        minutes: g.minutes.clone(),
        resolution: g.resolution.clone(),
        votes,
        outcome_label: g.outcome.as_deref().and_then(DisputeOutcome::from_code).map(|o| o.label().to_string()),
        referred_to: g.referred_to.clone(),
    }
}

async fn detail_view(state: &AppState, user: &CurrentUser, id: i64) -> Result<MatterDetail, AppError> {
    let today = state.today();
    let me = own_entry(state, user).await?;
    let mut conn = state.db.acquire().await?;
    let m = store::matter(&mut conn, id).await?.ok_or_else(|| AppError::internal("matter vanished"))?;
    let meetings = store::meetings(&mut conn, id).await?;
    let attendance = store::attendance(&mut conn, id).await?;
    let follow_ups = store::follow_ups(&mut conn, id).await?;
    let cosigned = match &me {
        Some((resident, _)) => Some(store::has_cosigned(&mut conn, id, *resident).await?),
        None => None,
    };
    drop(conn);
    let staff = user.role != Role::Resident;
    let planned = meetings.iter().find(|g| g.status == MeetingStatus::Planned.code()).map(|g| date(&g.date));
    let s = status(&m);
    let on_register = me.as_ref().is_some_and(|(_, path)| path.starts_with(&m.community_path));
    Ok(MatterDetail {
        matter: summary(&m, &follow_ups.iter().collect::<Vec<_>>(), planned, cosigned, today),
        description: m.description.clone(),
        parties: parties(&m.parties),
        meetings: meetings.iter().map(|g| meeting_view(g, &attendance, staff)).collect(),
        follow_ups: follow_ups
            .iter()
            .map(|f| {
                let fs = FollowUpStatus::from_code(&f.status).unwrap_or(FollowUpStatus::Open);
                FollowUpView {
                    id: f.id,
                    task: f.task.clone(),
                    owner: f.owner.clone(),
                    due_on: date(&f.due_on),
                    due_provisional: f.due_provisional != 0,
                    status: fs.code().into(),
                    status_label: fs.label().into(),
                    late: late(f, today),
                    note: f.note.clone(),
                    done_on: f.done_on.as_deref().map(date),
                    published_on: f.published_on.as_deref().map(date),
                }
            })
            .collect(),
        can_manage: manages(user, &m),
        can_sign_in: DOOR.contains(&user.role) && reaches(user, &m.community_path) && planned.is_some(),
        can_cosign: on_register
            && cosigned == Some(false)
            && matches!(s, MatterStatus::Collecting | MatterStatus::Accepted),
    })
}

/// `GET /api/consultation/matters/{id}`: the matter, its meetings (staff see
/// who attended), its resolution and follow-ups.
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<MatterDetail> {
    let user = user.require(&state, READERS, AuditAction::ConsultationRead).await?;
    scoped_matter(&state, &user, id, AuditAction::ConsultationRead).await?;
    Ok(Json(detail_view(&state, &user, id).await?))
}

/// `POST /api/consultation/matters`: a resident raises an affair of their
/// own community (it collects co-signers, the raiser first); a grid member
/// or the leader raises an affair or a dispute (accepted at once).
pub async fn raise(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<MatterInput>,
) -> Result<(StatusCode, Json<MatterDetail>), AppError> {
    let user = user.require(&state, RAISERS, AuditAction::ConsultationRaise).await?;
    let matter = body.parse().map_err(|e| AppError::fields(&e))?;
    let (origin, resident, at_path) = match user.role {
        Role::Resident => {
            if matter.kind != MatterKind::Affair {
                let raw = matter.kind.code().to_string();
                return Err(AppError::fields(&[FIELD_KIND.error(FieldErrorKind::UnknownOption { raw })]));
            }
            let (id, path) =
                own_entry(&state, &user).await?.ok_or_else(|| conflict(&ConsultationError::NotOnRegister))?;
            (MatterOrigin::Residents, Some(id), path)
        }
        Role::GridMember => (MatterOrigin::GridMember, None, user.scope.as_str().to_string()),
        _ => (MatterOrigin::Committee, None, user.scope.as_str().to_string()),
    };
    let mut conn = state.db.acquire().await?;
    let community = crate::store::seal::community_at(&mut conn, &at_path)
        .await?
        .ok_or(gongzhi_domain::auth::AccessError::Forbidden)?;
    let needed = store::cosigners_needed(&mut conn, community.id).await?.map_or(rules::DEFAULT_COSIGNERS, |n| n as u32);
    drop(conn);
    let now = Utc::now().to_rfc3339();
    let on = state.today();
    let status = rules::initial_status(origin, needed);
    let mut tx = state.write_tx().await?;
    let n = NewMatter {
        community: community.id,
        origin,
        status,
        cosigners_needed: needed,
        by: user.account_id,
        at: &now,
        on,
    };
    let id = store::insert_matter(&mut tx, &matter, &n).await?;
    if let Some(resident) = resident {
        store::cosign(&mut tx, id, resident, &now).await?;
    }
    // The parties of a dispute are personal data: the audit names how many.
    let detail = serde_json::json!({
        "kind": matter.kind.code(), "origin": origin.code(), "title": matter.title, "parties": matter.parties.len(),
    });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ConsultationRaise, format!("consultation_matter:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail_view(&state, &user, id).await?)))
}

/// `POST /api/consultation/matters/{id}/cosign` (resident of the community):
/// once each (409 `consultation_already_cosigned`); the co-signer who reaches
/// the community's number moves the matter to 待协商.
pub async fn cosign(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<MatterDetail> {
    let user = user.require(&state, COSIGNERS, AuditAction::ConsultationCosign).await?;
    let m = scoped_matter(&state, &user, id, AuditAction::ConsultationCosign).await?;
    let (resident, path) =
        own_entry(&state, &user).await?.ok_or_else(|| conflict(&ConsultationError::NotOnRegister))?;
    if !path.starts_with(&m.community_path) {
        return Err(conflict(&ConsultationError::NotOnRegister));
    }
    let now = status(&m);
    if !matches!(now, MatterStatus::Collecting | MatterStatus::Accepted) {
        return Err(conflict(&ConsultationError::WrongStatus { needs: MatterStatus::Collecting, now }));
    }
    let at = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    if !store::cosign(&mut tx, id, resident, &at).await? {
        return Err(conflict(&ConsultationError::AlreadyCosigned));
    }
    let count = store::cosigners(&mut tx, id).await? as u32;
    let next = rules::status_after_cosigning(now, count, m.cosigners_needed as u32);
    let detail = serde_json::json!({ "cosigners": count, "needed": m.cosigners_needed });
    // The move writes the audit entry; when no move is due, or another
    // co-signer moved the matter first, the co-signature is audited alone.
    let moved = next != now
        && match store::move_matter(
            &mut tx,
            &user.who(),
            id,
            (&[now], next),
            AuditAction::ConsultationCosign,
            detail.clone(),
        )
        .await?
        {
            Outcome::Moved { .. } => true,
            Outcome::Changed { .. } => false,
            Outcome::NotFound => return Err(AppError::internal("matter vanished")),
        };
    if !moved {
        audit::append(
            &mut tx,
            &user.who(),
            &Event::success(AuditAction::ConsultationCosign, format!("consultation_matter:{id}")).detail(detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, id).await?))
}

/// `POST /api/consultation/matters/{id}/meetings` (leader): plans a meeting
/// on an accepted matter (or a further one on a resolved matter); one
/// planned at a time (409 `consultation_meeting_planned`).
pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<MeetingInput>,
) -> Result<(StatusCode, Json<MatterDetail>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::ConsultationMeeting).await?;
    let m = managed_matter(&state, &user, id, AuditAction::ConsultationMeeting).await?;
    let meeting = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    let now = status(&m);
    if !matches!(now, MatterStatus::Accepted | MatterStatus::Resolved) {
        return Err(conflict(&ConsultationError::WrongStatus { needs: MatterStatus::Accepted, now }));
    }
    let mut tx = state.write_tx().await?;
    let Some(mid) = store::insert_meeting(&mut tx, id, &meeting, user.account_id, &Utc::now().to_rfc3339()).await?
    else {
        return Err(conflict(&ConsultationError::MeetingPlanned));
    };
    let detail = serde_json::json!({
        "matter": id, "kind": meeting.kind.code(), "date": meeting.date.to_string(), "invited": meeting.invited.len(),
    });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ConsultationMeeting, format!("consultation_meeting:{mid}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail_view(&state, &user, id).await?)))
}

/// A meeting and its matter, both within the account's reach, or 404.
async fn scoped_meeting(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<(MeetingRow, MatterRow), AppError> {
    let g = store::meeting(&mut *state.db.acquire().await?, id).await?;
    let m = match &g {
        Some(g) => store::matter(&mut *state.db.acquire().await?, g.matter_id).await?,
        None => None,
    };
    match (g, m.filter(|m| visible(user, m))) {
        (Some(g), Some(m)) => Ok((g, m)),
        _ => Err(user.out_of_scope(state, action, format!("consultation_meeting:{id}")).await),
    }
}

/// `POST /api/consultation/meetings/{id}/attendance` (community staff): signs
/// one person in to a planned meeting — a resident by their entry on the
/// community's register (once each), others by name.
pub async fn attend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AttendanceInput>,
) -> Result<(StatusCode, Json<MatterDetail>), AppError> {
    let user = user.require(&state, DOOR, AuditAction::ConsultationAttend).await?;
    let (g, m) = scoped_meeting(&state, &user, id, AuditAction::ConsultationAttend).await?;
    let mut a = body.parse().map_err(|e| AppError::fields(&e))?;
    if g.status != MeetingStatus::Planned.code() {
        return Err(conflict(&ConsultationError::MeetingHeld));
    }
    if let Some(resident) = a.resident_id {
        // A register id must be on this community's register: an id outside
        // it is answered as unknown (its existence is not revealed).
        let v = register_entry(&mut *state.db.acquire().await?, resident).await?;
        match v.filter(|v| v.path.starts_with(&m.community_path)) {
            Some(v) => a.name = v.name,
            None => {
                let raw = resident.to_string();
                return Err(AppError::unprocessable(&[FIELD_RESIDENT.error(FieldErrorKind::UnknownOption { raw })]));
            }
        }
    }
    let mut tx = state.write_tx().await?;
    if !store::attend(&mut tx, id, &a, user.account_id, &Utc::now().to_rfc3339()).await? {
        return Err(conflict(&ConsultationError::AlreadyAttending));
    }
    let detail =
        serde_json::json!({ "capacity": a.capacity.code(), "method": a.method.code(), "resident": a.resident_id });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ConsultationAttend, format!("consultation_meeting:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail_view(&state, &user, m.id).await?)))
}

/// `POST /api/consultation/meetings/{id}/record` (leader): the minutes, the
/// resolution, the votes of those present, a dispute's outcome, and the
/// follow-up items (due so many working days after the meeting). The
/// meeting moves to held and the matter to 落实中 (or, with nothing left to
/// follow up, 已办结公开), all in one transaction, only if unchanged.
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<MeetingRecordInput>,
) -> ApiResult<MatterDetail> {
    let user = user.require(&state, MANAGERS, AuditAction::ConsultationRecord).await?;
    let (g, m) = scoped_meeting(&state, &user, id, AuditAction::ConsultationRecord).await?;
    if !manages(&user, &m) {
        return Err(user
            .out_of_scope(&state, AuditAction::ConsultationRecord, format!("consultation_meeting:{id}"))
            .await);
    }
    let present = store::present(&mut *state.db.acquire().await?, id).await? as u32;
    let record = body.parse(kind(&m), present).map_err(|e| AppError::fields(&e))?;
    if g.status != MeetingStatus::Planned.code() {
        return Err(conflict(&ConsultationError::MeetingHeld));
    }
    let held_on = date(&g.date);
    let calendar = state.calendar();
    let dues = record
        .follow_ups
        .iter()
        .map(|f| calendar.calendar.reckon(|c| f.due(held_on, c)))
        .collect::<Result<Vec<_>, _>>()?;
    let at = Utc::now().to_rfc3339();
    let from = status(&m);
    let to = if record.follow_ups.is_empty() { MatterStatus::Closed } else { MatterStatus::Resolved };
    let mut tx = state.write_tx().await?;
    let detail = serde_json::json!({
        "matter": m.id, "follow_ups": record.follow_ups.len(),
        "votes": record.votes.map(|v| [v.for_, v.against, v.abstain]),
        "outcome": record.outcome.as_ref().map(|(o, _)| o.code()),
    });
    match store::record_meeting(&mut tx, &user.who(), id, &record, (user.account_id, &at), detail.clone()).await? {
        Outcome::Moved { .. } => {}
        _ => return Err(conflict(&ConsultationError::MeetingHeld)),
    }
    for (f, due) in record.follow_ups.iter().zip(&dues) {
        let provisional = !due.provisional_years.is_empty();
        store::insert_follow_up(&mut tx, (m.id, id), f, (&due.value.to_string(), provisional)).await?;
    }
    if from != to {
        let allowed: &[MatterStatus] = &[MatterStatus::Accepted, MatterStatus::Resolved];
        match store::move_matter(&mut tx, &user.who(), m.id, (allowed, to), AuditAction::ConsultationRecord, detail)
            .await?
        {
            Outcome::Moved { .. } => {}
            Outcome::Changed { now } => {
                return Err(conflict(&ConsultationError::WrongStatus { needs: MatterStatus::Accepted, now }))
            }
            Outcome::NotFound => return Err(AppError::internal("matter vanished")),
        }
    }
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, m.id).await?))
}

/// A follow-up and its matter, managed by the leader, or 404.
async fn managed_follow_up(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<(FollowUpRow, MatterRow), AppError> {
    let f = store::follow_up(&mut *state.db.acquire().await?, id).await?;
    let m = match &f {
        Some(f) => store::matter(&mut *state.db.acquire().await?, f.matter_id).await?,
        None => None,
    };
    match (f, m.filter(|m| visible(user, m) && manages(user, m))) {
        (Some(f), Some(m)) => Ok((f, m)),
        _ => Err(user.out_of_scope(state, action, format!("consultation_follow_up:{id}")).await),
    }
}

async fn move_follow_up(
    state: &AppState,
    user: &CurrentUser,
    (f, m): (FollowUpRow, MatterRow),
    (from, to): (FollowUpStatus, FollowUpStatus),
    note: Option<String>,
) -> Result<MatterDetail, AppError> {
    let id = f.id;
    let now = FollowUpStatus::from_code(&f.status).unwrap_or(FollowUpStatus::Open);
    if now != from {
        return Err(conflict(&ConsultationError::FollowUpWrongStatus { needs: from, now }));
    }
    let on = state.today().to_string();
    let mut tx = state.write_tx().await?;
    match store::move_follow_up(&mut tx, &user.who(), id, (from, to), (&on, user.account_id, note.as_deref())).await? {
        Outcome::Moved { .. } => {}
        Outcome::Changed { now } => return Err(conflict(&ConsultationError::FollowUpWrongStatus { needs: from, now })),
        Outcome::NotFound => return Err(AppError::internal("follow-up vanished")),
    }
    // The last item published closes the matter (only from 落实中, only once).
    if to == FollowUpStatus::Published {
        let all = store::follow_ups(&mut tx, m.id).await?;
        if all.iter().all(|x| x.status == FollowUpStatus::Published.code()) {
            let detail = serde_json::json!({ "follow_ups": all.len() });
            let _ = store::move_matter(
                &mut tx,
                &user.who(),
                m.id,
                (&[MatterStatus::Resolved], MatterStatus::Closed),
                AuditAction::ConsultationPublish,
                detail,
            )
            .await?;
        }
    }
    tx.commit().await?;
    detail_view(state, user, m.id).await
}

/// `POST /api/consultation/follow-ups/{id}/done` (leader): reported done
/// with how it was done (what residents will read once published).
pub async fn done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<FollowUpDoneInput>,
) -> ApiResult<MatterDetail> {
    let user = user.require(&state, MANAGERS, AuditAction::ConsultationFollowUpDone).await?;
    let item = managed_follow_up(&state, &user, id, AuditAction::ConsultationFollowUpDone).await?;
    let note = body.parse().map_err(|e| AppError::fields(&e))?;
    let detail = move_follow_up(&state, &user, item, (FollowUpStatus::Open, FollowUpStatus::Done), Some(note)).await?;
    Ok(Json(detail))
}

/// `POST /api/consultation/follow-ups/{id}/publish` (leader): published to
/// the residents; the last one closes the matter.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<MatterDetail> {
    let user = user.require(&state, MANAGERS, AuditAction::ConsultationPublish).await?;
    let item = managed_follow_up(&state, &user, id, AuditAction::ConsultationPublish).await?;
    Ok(Json(move_follow_up(&state, &user, item, (FollowUpStatus::Done, FollowUpStatus::Published), None).await?))
}

async fn leader_community(state: &AppState, user: &CurrentUser) -> Result<crate::store::seal::CommunityRow, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(crate::store::seal::community_at(&mut conn, user.scope.as_str())
        .await?
        .ok_or(gongzhi_domain::auth::AccessError::Forbidden)?)
}

/// `GET /api/consultation/settings` (leader): the community's co-signers' number.
pub async fn settings(State(state): State<AppState>, user: CurrentUser) -> ApiResult<ConsultationSettings> {
    let user = user.require(&state, MANAGERS, AuditAction::ConsultationSettings).await?;
    let c = leader_community(&state, &user).await?;
    let n = store::cosigners_needed(&mut *state.db.acquire().await?, c.id).await?;
    Ok(Json(ConsultationSettings {
        community_name: c.name,
        cosigners_needed: n.map_or(rules::DEFAULT_COSIGNERS, |n| n as u32),
    }))
}

/// `PUT /api/consultation/settings` (leader): sets the number for matters
/// raised from now on (a matter keeps the number it was raised with).
pub async fn set_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<SettingsInput>,
) -> ApiResult<ConsultationSettings> {
    let user = user.require(&state, MANAGERS, AuditAction::ConsultationSettings).await?;
    let n = rules::parse_cosigners(&body.cosigners_needed).map_err(|e| AppError::fields(&[e]))?;
    let c = leader_community(&state, &user).await?;
    let mut tx = state.write_tx().await?;
    store::set_cosigners_needed(&mut tx, c.id, n).await?;
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ConsultationSettings, format!("org_node:{}", c.id))
            .detail(serde_json::json!({ "cosigners_needed": n })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(ConsultationSettings { community_name: c.name, cosigners_needed: n }))
}
