//! Residents decide the practical projects (百姓定实事政府做): rounds,
//! proposals, screening, the vote online and on paper (double entry), the
//! published result with a recount pack, delivery and ratings. Handlers are
//! role → scope → parse → domain → store; the rules are the domain's
//! (`gongzhi_domain::{participation, ballot}`). One resident, one vote: the
//! primary key of `participation_voters` decides, never a check before the
//! insert.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, Utc};
use gongzhi_api::participation::*;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::AccessError;
use gongzhi_domain::ballot::{
    self, BallotError, BallotRules, Candidate, Channel, Margin, Mark, Rating, Tally, Verdict,
};
use gongzhi_domain::error::{Field, FieldErrorKind};
use gongzhi_domain::money::Money;
use gongzhi_domain::participation::{
    self as rules, MilestoneInput, ParticipationError, ProgressInput, ProposalChannel, ProposalInput, ProposalStatus,
    RoundInput, RoundStatus, ScreeningInput, VoterBody, FIELD_RESIDENT,
};
use gongzhi_domain::{DomainError, OrgPath, Role};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::participation::{self as store, ProposalRow, RoundRow};
use crate::store::transition::Outcome;

/// Who reads rounds: residents, community staff, reviewers, departments.
pub const READERS: &[Role] =
    &[Role::Resident, Role::GridMember, Role::CommunityLeader, Role::Reviewer, Role::DepartmentApplicant];
/// Who runs a round: the community's leader.
pub const MANAGERS: &[Role] = &[Role::CommunityLeader];
/// Who proposes: residents themselves, community staff on a resident's behalf.
pub const PROPOSERS: &[Role] = &[Role::Resident, Role::GridMember, Role::CommunityLeader];
/// Who votes online.
pub const VOTERS: &[Role] = &[Role::Resident];
/// Who enters paper ballots (two of them, one ballot each).
pub const CLERKS: &[Role] = &[Role::GridMember, Role::CommunityLeader];
/// Who reports delivery: the community's leader and the responsible department.
pub const DELIVERERS: &[Role] = &[Role::CommunityLeader, Role::DepartmentApplicant];
/// Who rates a completed project.
pub const RATERS: &[Role] = &[Role::Resident];

fn conflict(e: &dyn DomainError) -> AppError {
    AppError::domain(StatusCode::CONFLICT, e)
}

pub(crate) fn path_of(raw: &str) -> OrgPath {
    OrgPath::parse(raw).unwrap_or_else(|| OrgPath::root(0))
}

/// Whether the account reaches a record of the community at `path`: its
/// scope holds the community, or lies inside it (a grid member's grid).
pub(crate) fn reaches(user: &CurrentUser, path: &str) -> bool {
    user.sees(&path_of(path)) || user.scope.as_str().starts_with(path)
}

fn status(r: &RoundRow) -> RoundStatus {
    RoundStatus::from_code(&r.status).unwrap_or(RoundStatus::Proposing)
}

fn need(r: &RoundRow, needs: RoundStatus) -> Result<(), AppError> {
    let now = status(r);
    if now == needs {
        Ok(())
    } else {
        Err(conflict(&ParticipationError::WrongPhase { needs, now }))
    }
}

fn ballot_rules(r: &RoundRow) -> BallotRules {
    BallotRules {
        min_picks: 1,
        max_picks: r.max_picks as u32,
        budget: (r.within_budget != 0).then(|| Money::from_fen(r.budget_fen).unwrap_or_default()),
    }
}

fn margin(r: &RoundRow) -> Margin {
    Margin::Percent(r.margin_percent as u32)
}

fn candidates(proposals: &[ProposalRow]) -> Vec<&ProposalRow> {
    proposals.iter().filter(|p| p.status == ProposalStatus::Candidate.code()).collect()
}

fn ballot_candidates(proposals: &[ProposalRow]) -> Vec<Candidate> {
    candidates(proposals)
        .iter()
        .map(|p| Candidate { id: p.id, cost: Money::from_fen(p.cost_fen.unwrap_or(0)).unwrap_or_default() })
        .collect()
}

/// A round in the account's reach, or 404 (recorded).
async fn scoped_round(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<RoundRow, AppError> {
    let row = store::round(&mut *state.db.acquire().await?, id).await?;
    match row.filter(|r| reaches(user, &r.community_path)) {
        Some(r) => Ok(r),
        None => Err(user.out_of_scope(state, action, format!("participation_round:{id}")).await),
    }
}

/// The resident on the register the account is (residents only).
async fn own_resident(state: &AppState, user: &CurrentUser) -> Result<Option<i64>, AppError> {
    if user.role != Role::Resident {
        return Ok(None);
    }
    Ok(store::account_resident(&mut *state.db.acquire().await?, user.account_id).await?)
}

async fn round_view(state: &AppState, user: &CurrentUser, r: &RoundRow) -> Result<RoundView, AppError> {
    let mut conn = state.db.acquire().await?;
    let proposals = store::proposals(&mut conn, r.id).await?;
    drop(conn);
    // Only a resident who may vote in this round (on its community's register,
    // a representative in a representative round) is offered the ballot.
    let voted = match own_resident(state, user).await? {
        Some(resident) if voter(state, r, resident).await?.is_some() => {
            Some(store::has_voted(&mut *state.db.acquire().await?, r.id, resident).await?)
        }
        _ => None,
    };
    let now = status(r);
    let voters = VoterBody::from_code(&r.voters).unwrap_or(VoterBody::Residents);
    let can_manage = MANAGERS.contains(&user.role) && user.sees(&path_of(&r.community_path));
    Ok(RoundView {
        id: r.id,
        community_id: r.community_id,
        community_name: r.community_name.clone(),
        title: r.title.clone(),
        status: now.code().into(),
        status_label: now.label().into(),
        places: r.places as u32,
        budget_fen: r.budget_fen,
        max_picks: r.max_picks as u32,
        within_budget: r.within_budget != 0,
        candidates_needed: margin(r).needed(r.places as u32),
        voters: voters.code().into(),
        voters_label: voters.label().into(),
        proposals_until: r.proposals_until.parse().unwrap_or_default(),
        voting_until: r.voting_until.parse().unwrap_or_default(),
        tie_rule: "得票相同时,估算费用较低的项目在前;仍相同的,按公开抽签(以本轮公布的种子计算 SHA-256)排序。".into(),
        seed: r.seed.clone(),
        proposals: proposals.iter().filter(|p| p.status != ProposalStatus::Merged.code()).count() as u32,
        candidates: candidates(&proposals).len() as u32,
        can_manage,
        voted,
        next_label: can_manage.then(|| now.next().map(|n| n.label().to_string())).flatten(),
    })
}

/// `GET /api/participation/rounds`: the rounds of the account's community
/// (or communities in scope), newest first.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<RoundView>> {
    let user = user.require(&state, READERS, AuditAction::ParticipationRounds).await?;
    let rows = store::rounds(&mut *state.db.acquire().await?, user.scope.as_str()).await?;
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| reaches(&user, &r.community_path)) {
        out.push(round_view(&state, &user, r).await?);
    }
    Ok(Json(out))
}

/// `POST /api/participation/rounds` (community leader): opens a round of
/// proposals for the leader's community.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<RoundInput>,
) -> Result<(StatusCode, Json<RoundDetail>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::ParticipationRoundCreate).await?;
    let round = body.parse().map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let id = store::insert_round(&mut tx, user.org_node_id, &round, user.account_id, &Utc::now().to_rfc3339()).await?;
    let detail = serde_json::json!({ "title": round.title, "places": round.places, "budget_fen": round.budget.fen() });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationRoundCreate, format!("participation_round:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    let r =
        store::round(&mut *state.db.acquire().await?, id).await?.ok_or_else(|| AppError::internal("round vanished"))?;
    Ok((StatusCode::CREATED, Json(detail_view(&state, &user, &r).await?)))
}

fn proposal_view(p: &ProposalRow, all: &[ProposalRow], staff: bool) -> ProposalView {
    let status = ProposalStatus::from_code(&p.status).unwrap_or(ProposalStatus::Submitted);
    let similar = if staff && status == ProposalStatus::Submitted {
        all.iter()
            .filter(|o| {
                o.id != p.id && o.status != ProposalStatus::Merged.code() && o.status != ProposalStatus::NotTaken.code()
            })
            .filter(|o| {
                rules::similarity(&format!("{}{}", p.title, p.place), &format!("{}{}", o.title, o.place))
                    >= rules::SIMILAR
            })
            .map(|o| (o.id, o.title.clone()))
            .collect()
    } else {
        vec![]
    };
    ProposalView {
        id: p.id,
        title: p.title.clone(),
        problem: p.problem.clone(),
        place: p.place.clone(),
        beneficiaries: p.beneficiaries.clone(),
        channel_label: ProposalChannel::from_code(&p.channel).map(ProposalChannel::label).unwrap_or_default().into(),
        status: status.code().into(),
        status_label: status.label().into(),
        proposers: p.proposers as u32,
        merged_into: p.merged_into,
        feasibility: p.feasibility.clone(),
        department_name: p.department_name.clone(),
        cost_fen: p.cost_fen,
        reason: p.reason.clone(),
        similar,
    }
}

fn tally_of(r: &RoundRow) -> Option<Tally> {
    r.result.as_deref().and_then(|t| serde_json::from_str(t).ok())
}

async fn detail_view(state: &AppState, user: &CurrentUser, r: &RoundRow) -> Result<RoundDetail, AppError> {
    let round = round_view(state, user, r).await?;
    let today = state.today();
    let mut conn = state.db.acquire().await?;
    let proposals = store::proposals(&mut conn, r.id).await?;
    let staff = user.role != Role::Resident;
    let candidate_views = candidates(&proposals)
        .iter()
        .map(|p| CandidateView {
            id: p.id,
            title: p.title.clone(),
            problem: p.problem.clone(),
            place: p.place.clone(),
            cost_fen: p.cost_fen.unwrap_or(0),
            department_name: p.department_name.clone().unwrap_or_default(),
        })
        .collect();
    let result = match tally_of(r) {
        Some(tally) => {
            let by_grid =
                store::turnout(&mut conn, r.id, &r.community_path, r.voters == VoterBody::Representatives.code())
                    .await?
                    .into_iter()
                    .map(|(grid_name, voted, eligible)| GridTurnout {
                        grid_name,
                        voted: voted as u32,
                        eligible: eligible as u32,
                    })
                    .collect::<Vec<_>>();
            let lines = tally
                .candidates
                .iter()
                .filter_map(|c| {
                    let p = proposals.iter().find(|p| p.id == c.id)?;
                    Some(ResultLine {
                        id: c.id,
                        title: p.title.clone(),
                        cost_fen: p.cost_fen.unwrap_or(0),
                        votes: c.votes,
                        rank: c.rank,
                        chosen: c.chosen,
                        tie_decided: c.tie_decided,
                    })
                })
                .collect();
            Some(ResultView {
                lines,
                eligible: by_grid.iter().map(|g| g.eligible).sum(),
                by_grid,
                tally,
                seed: r.seed.clone().unwrap_or_default(),
            })
        }
        None => None,
    };
    let deliveries = store::deliveries(&mut conn, r.id).await?;
    let milestones = store::milestones(&mut conn, r.id).await?;
    let updates = store::updates(&mut conn, r.id).await?;
    let ratings = store::ratings(&mut conn, r.id).await?;
    drop(conn);
    let me = own_resident(state, user).await?;
    let deliveries = deliveries
        .iter()
        .map(|d| {
            let mine: Vec<Rating> =
                ratings.iter().filter(|x| x.0 == d.id).filter_map(|x| Rating::from_code(&x.2)).collect();
            DeliveryView {
                id: d.id,
                title: d.title.clone(),
                department_name: d.department_name.clone().unwrap_or_default(),
                cost_fen: d.cost_fen.unwrap_or(0),
                progress: d.progress as u32,
                completed_on: d.completed_on.as_deref().and_then(|x| x.parse().ok()),
                milestones: milestones
                    .iter()
                    .filter(|m| m.delivery_id == d.id)
                    .map(|m| {
                        let due_on: NaiveDate = m.due_on.parse().unwrap_or_default();
                        MilestoneView {
                            id: m.id,
                            name: m.name.clone(),
                            due_on,
                            done_on: m.done_on.as_deref().and_then(|x| x.parse().ok()),
                            late: m.done_on.is_none() && d.completed_on.is_none() && today > due_on,
                        }
                    })
                    .collect(),
                updates: updates
                    .iter()
                    .filter(|u| u.delivery_id == d.id)
                    .map(|u| UpdateView {
                        at: u.at.clone(),
                        on: gongzhi_domain::time::parse_utc(&u.at)
                            .map(gongzhi_domain::time::shanghai_date)
                            .unwrap_or(today),
                        progress: u.progress as u32,
                        note: u.note.clone(),
                        by: u.by_name.clone(),
                    })
                    .collect(),
                ratings: ballot::rate(mine),
                my_rating: me.and_then(|me| ratings.iter().find(|x| x.0 == d.id && x.1 == me).map(|x| x.2.clone())),
                can_update: can_deliver(user, d.department_id, &r.community_path),
            }
        })
        .collect();
    Ok(RoundDetail {
        round,
        proposals: proposals.iter().map(|p| proposal_view(p, &proposals, staff)).collect(),
        candidates: candidate_views,
        result,
        deliveries,
    })
}

fn can_deliver(user: &CurrentUser, department: Option<i64>, community_path: &str) -> bool {
    match user.role {
        Role::CommunityLeader => user.sees(&path_of(community_path)),
        Role::DepartmentApplicant => department.is_some() && user.department_id == department,
        _ => false,
    }
}

/// `GET /api/participation/rounds/{id}`: the round, its proposals and their
/// outcomes, the candidates, the result and the deliveries.
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<RoundDetail> {
    let user = user.require(&state, READERS, AuditAction::ParticipationRead).await?;
    let r = scoped_round(&state, &user, id, AuditAction::ParticipationRead).await?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}

/// `POST /api/participation/rounds/{id}/advance` (leader): to the named next
/// status. Opening the vote checks the list holds more candidates than
/// places (差额) and fixes the draw's seed; closing it counts the ballots and
/// makes the chosen projects delivery items.
pub async fn advance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AdvanceTo>,
) -> ApiResult<RoundDetail> {
    const FIELD_TO: Field = Field::new("to", "推进到的阶段");
    let user = user.require(&state, MANAGERS, AuditAction::ParticipationAdvance).await?;
    let r = scoped_round(&state, &user, id, AuditAction::ParticipationAdvance).await?;
    let to = RoundStatus::parse(FIELD_TO, &body.to).map_err(|e| AppError::fields(&[e]))?;
    let from = status(&r);
    if from.next() != Some(to) {
        return Err(conflict(&ParticipationError::WrongPhase { needs: prev(to), now: from }));
    }
    let mut tx = state.write_tx().await?;
    let proposals = store::proposals(&mut tx, id).await?;
    let list = ballot_candidates(&proposals);
    let (mut seed, mut result, mut chosen) = (None, None, vec![]);
    match to {
        RoundStatus::Voting => {
            margin(&r).check(r.places as u32, list.len() as u32).map_err(|e| conflict(&e))?;
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).map_err(AppError::internal)?;
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            seed = Some(format!("{}-{hex}", state.today()));
        }
        RoundStatus::Counted => {
            let ballots = anon_ballots(store::ballots(&mut tx, id).await?);
            let tie = rules::tie_break(r.seed.as_deref().unwrap_or_default());
            let tally = ballot::count(&ballots, &list, r.places as u32, &tie);
            chosen = tally.candidates.iter().filter(|c| c.chosen).map(|c| c.id).collect();
            result = Some(serde_json::to_string(&tally).map_err(AppError::internal)?);
        }
        _ => {}
    }
    let detail = serde_json::json!({ "from": from.code(), "to": to.code(), "seed": seed, "chosen": chosen });
    match store::advance_round(&mut tx, &user.who(), id, (from, to), seed.as_deref(), result.as_deref(), detail).await?
    {
        Outcome::Moved { .. } => {}
        _ => return Err(conflict(&ParticipationError::WrongPhase { needs: from, now: to })),
    }
    store::insert_deliveries(&mut tx, id, &chosen).await?;
    tx.commit().await?;
    let r =
        store::round(&mut *state.db.acquire().await?, id).await?.ok_or_else(|| AppError::internal("round vanished"))?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}

fn prev(s: RoundStatus) -> RoundStatus {
    RoundStatus::ALL.iter().copied().find(|p| p.next() == Some(s)).unwrap_or(s)
}

fn anon_ballots(rows: Vec<(String, String)>) -> Vec<ballot::AnonBallot> {
    rows.into_iter()
        .filter_map(|(channel, verdict)| {
            Some(ballot::AnonBallot {
                channel: Channel::from_code(&channel)?,
                verdict: serde_json::from_str(&verdict).ok()?,
            })
        })
        .collect()
}

/// `POST /api/participation/rounds/{id}/proposals`: a resident's own
/// proposal, or one a community worker records on a resident's behalf (with
/// its channel), while the round takes proposals.
pub async fn propose(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ProposalInput>,
) -> Result<(StatusCode, Json<RoundDetail>), AppError> {
    let user = user.require(&state, PROPOSERS, AuditAction::ParticipationPropose).await?;
    let r = scoped_round(&state, &user, id, AuditAction::ParticipationPropose).await?;
    let mut proposal = body.parse().map_err(|e| AppError::fields(&e))?;
    // A resident proposes for themselves, online; staff for someone else.
    if user.role == Role::Resident {
        proposal.channel = ProposalChannel::Online;
    } else if proposal.channel == ProposalChannel::Online {
        let raw = "online".to_string();
        return Err(AppError::fields(&[rules::FIELD_CHANNEL.error(FieldErrorKind::UnknownOption { raw })]));
    }
    need(&r, RoundStatus::Proposing)?;
    let resident = match (user.role, proposal.resident_id) {
        (Role::Resident, _) => {
            own_resident(&state, &user).await?.ok_or_else(|| conflict(&ParticipationError::NotAVoter))?
        }
        (_, Some(resident)) => {
            let row = store::resident(&mut *state.db.acquire().await?, resident).await?;
            match row.filter(|v| v.path.starts_with(&r.community_path)) {
                Some(v) => v.id,
                None => {
                    let raw = resident.to_string();
                    return Err(AppError::unprocessable(
                        &[FIELD_RESIDENT.error(FieldErrorKind::UnknownOption { raw })],
                    ));
                }
            }
        }
        (_, None) => return Err(AccessError::Forbidden.into()),
    };
    let mut tx = state.write_tx().await?;
    let pid =
        store::insert_proposal(&mut tx, id, &proposal, resident, user.account_id, &Utc::now().to_rfc3339()).await?;
    let detail = serde_json::json!({ "round": id, "title": proposal.title, "channel": proposal.channel.code() });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationPropose, format!("participation_proposal:{pid}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail_view(&state, &user, &r).await?)))
}

/// A proposal of a round the leader manages, or 404.
async fn managed_proposal(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<(ProposalRow, RoundRow), AppError> {
    let p = store::proposal(&mut *state.db.acquire().await?, id).await?;
    let Some(p) = p else {
        return Err(user.out_of_scope(state, action, format!("participation_proposal:{id}")).await);
    };
    let r = store::round(&mut *state.db.acquire().await?, p.round_id).await?;
    match r.filter(|r| user.sees(&path_of(&r.community_path))) {
        Some(r) => Ok((p, r)),
        None => Err(user.out_of_scope(state, action, format!("participation_proposal:{id}")).await),
    }
}

/// `POST /api/participation/proposals/{id}/screen` (leader): feasibility and
/// cost with the responsible department, or the public reason it is not
/// taken, during screening.
pub async fn screen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ScreeningInput>,
) -> ApiResult<RoundDetail> {
    let user = user.require(&state, MANAGERS, AuditAction::ParticipationScreen).await?;
    let (_, r) = managed_proposal(&state, &user, id, AuditAction::ParticipationScreen).await?;
    let screening = body.parse().map_err(|e| AppError::fields(&e))?;
    need(&r, RoundStatus::Screening)?;
    if let rules::Screening::Candidate { department_id, .. } = &screening {
        let departments = crate::store::org::departments(&mut *state.db.acquire().await?).await?;
        if !departments.iter().any(|d| d.id == *department_id) {
            let raw = department_id.to_string();
            return Err(AppError::unprocessable(&[
                rules::FIELD_DEPARTMENT.error(FieldErrorKind::UnknownOption { raw })
            ]));
        }
    }
    let mut tx = state.write_tx().await?;
    if !store::screen(&mut tx, id, &screening).await? {
        return Err(conflict(&ParticipationError::ProposalClosed));
    }
    let detail = match &screening {
        rules::Screening::Candidate { cost, department_id, .. } => {
            serde_json::json!({ "decision": "candidate", "cost_fen": cost.fen(), "department": department_id })
        }
        rules::Screening::NotTaken { reason, .. } => serde_json::json!({ "decision": "not_taken", "reason": reason }),
    };
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationScreen, format!("participation_proposal:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}

/// `POST /api/participation/proposals/{id}/merge` (leader): folds an open
/// proposal into another of the same round, keeping every proposer.
pub async fn merge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<MergeInto>,
) -> ApiResult<RoundDetail> {
    const FIELD_INTO: Field = Field::new("into", "合并到的提议");
    let user = user.require(&state, MANAGERS, AuditAction::ParticipationMerge).await?;
    let (_, r) = managed_proposal(&state, &user, id, AuditAction::ParticipationMerge).await?;
    let into = FIELD_INTO.required_id(&body.into).map_err(|e| AppError::fields(&[e]))?;
    let target = store::proposal(&mut *state.db.acquire().await?, into).await?;
    if !target.is_some_and(|t| t.round_id == r.id && t.id != id && t.status != ProposalStatus::Merged.code()) {
        let raw = into.to_string();
        return Err(AppError::unprocessable(&[FIELD_INTO.error(FieldErrorKind::UnknownOption { raw })]));
    }
    let mut tx = state.write_tx().await?;
    if !store::merge(&mut tx, id, into).await? {
        return Err(conflict(&ParticipationError::ProposalClosed));
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationMerge, format!("participation_proposal:{id}"))
            .detail(serde_json::json!({ "into": into })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}

/// Whether `resident` may vote in round `r`: on the register of its
/// community, and a representative in a representative round. Their grid.
async fn voter(state: &AppState, r: &RoundRow, resident: i64) -> Result<Option<i64>, AppError> {
    let v = store::resident(&mut *state.db.acquire().await?, resident).await?;
    Ok(v.filter(|v| v.path.starts_with(&r.community_path))
        .filter(|v| r.voters != VoterBody::Representatives.code() || v.representative != 0)
        .map(|v| v.grid_id))
}

/// `POST /api/participation/rounds/{id}/ballots` (resident): the resident's
/// own ballot, online. A ballot that breaks the rules is refused, not cast;
/// a second vote (online or on paper) answers 409 `ballot_already_voted`.
pub async fn vote(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CastBallot>,
) -> ApiResult<RoundDetail> {
    let user = user.require(&state, VOTERS, AuditAction::ParticipationVote).await?;
    let r = scoped_round(&state, &user, id, AuditAction::ParticipationVote).await?;
    need(&r, RoundStatus::Voting)?;
    let resident = own_resident(&state, &user).await?.ok_or_else(|| conflict(&ParticipationError::NotAVoter))?;
    let grid = voter(&state, &r, resident).await?.ok_or_else(|| conflict(&ParticipationError::NotAVoter))?;
    let proposals = store::proposals(&mut *state.db.acquire().await?, id).await?;
    let mark = if body.blank { Mark::Blank } else { Mark::Picks(body.picks.clone()) };
    let verdict = ballot_rules(&r).judge(&mark, &ballot_candidates(&proposals));
    if let Verdict::Void { reason } = &verdict {
        return Err(AppError::domain(StatusCode::BAD_REQUEST, reason));
    }
    if body.blank != matches!(verdict, Verdict::Blank) && !body.blank {
        // An empty pick list is a blank ballot only when asked for as one.
        return Err(AppError::domain(StatusCode::BAD_REQUEST, &BallotError::TooFewPicks { min: 1 }));
    }
    let mut tx = state.write_tx().await?;
    if !store::cast(&mut tx, id, resident, grid, Channel::Online, &verdict, user.account_id, &Utc::now().to_rfc3339())
        .await?
    {
        return Err(conflict(&BallotError::AlreadyVoted));
    }
    // The audit entry says who voted, never what.
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationVote, format!("participation_round:{id}"))
            .detail(serde_json::json!({ "channel": "online" })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}

/// `GET /api/participation/rounds/{id}/voters/{resident}` (clerk): whether a
/// resident of the register may vote and has voted (the clerk sees 已投票).
pub async fn lookup(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, resident)): Path<(i64, i64)>,
) -> ApiResult<VoterLookup> {
    let user = user.require(&state, CLERKS, AuditAction::ParticipationVoterLookup).await?;
    let r = scoped_round(&state, &user, id, AuditAction::ParticipationVoterLookup).await?;
    let row = store::resident(&mut *state.db.acquire().await?, resident).await?;
    let Some(v) = row.filter(|v| v.path.starts_with(&r.community_path)) else {
        return Err(user
            .out_of_scope(&state, AuditAction::ParticipationVoterLookup, format!("resident:{resident}"))
            .await);
    };
    let voted = store::has_voted(&mut *state.db.acquire().await?, id, v.id).await?;
    Ok(Json(VoterLookup {
        resident_id: v.id,
        name: gongzhi_domain::pii::masked_name(&v.name),
        address: v.address.clone(),
        voted,
        eligible: voter(&state, &r, v.id).await?.is_some(),
    }))
}

/// `POST /api/participation/rounds/{id}/paper` (clerk): one entry of a paper
/// ballot. The first entry waits; a second by another clerk that matches it
/// casts the ballot (void when marked unreadable or breaking the rules); one
/// that differs is listed as a mismatch and casts nothing — the next entry,
/// by a clerk other than the last, must then match the latest. A resident who
/// voted online cannot be entered (409 `ballot_already_voted`).
pub async fn paper(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PaperEntry>,
) -> ApiResult<PaperEntryOutcome> {
    let user = user.require(&state, CLERKS, AuditAction::ParticipationPaper).await?;
    let r = scoped_round(&state, &user, id, AuditAction::ParticipationPaper).await?;
    let resident = FIELD_RESIDENT.required_id(&body.resident_id).map_err(|e| AppError::fields(&[e]))?;
    need(&r, RoundStatus::Voting)?;
    let Some(grid) = voter(&state, &r, resident).await? else {
        return Err(conflict(&ParticipationError::NotAVoter));
    };
    let mut sorted = body.picks.clone();
    sorted.sort_unstable();
    let mark = serde_json::json!({ "picks": sorted, "blank": body.blank, "unreadable": body.unreadable }).to_string();
    let at = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    if store::has_voted(&mut tx, id, resident).await? {
        return Err(conflict(&BallotError::AlreadyVoted));
    }
    let outcome = match store::paper_entry(&mut tx, id, resident).await? {
        None => {
            if !store::insert_paper_entry(&mut tx, id, resident, &mark, user.account_id, &at).await? {
                return Err(conflict(&BallotError::AlreadyVoted));
            }
            PaperEntryOutcome {
                outcome: "first".into(),
                message: "已录入第一遍,请另一位工作人员再录入一遍核对。".into(),
            }
        }
        Some(first) if first.status == "matched" => return Err(conflict(&BallotError::AlreadyVoted)),
        Some(first) if first.entered_by == user.account_id => return Err(conflict(&ParticipationError::SameClerk)),
        Some(first) if first.mark != mark => {
            store::mismatch_paper_entry(&mut tx, first.id, &mark, user.account_id).await?;
            audit::append(
                &mut tx,
                &user.who(),
                &Event::new(
                    AuditAction::ParticipationPaper,
                    format!("participation_round:{id}"),
                    audit::Outcome::Failure,
                )
                .detail(serde_json::json!({ "resident": resident, "reason": "mismatch" })),
            )
            .await?;
            tx.commit().await?;
            return Err(conflict(&BallotError::EntriesDiffer));
        }
        Some(first) => {
            let proposals = store::proposals(&mut tx, id).await?;
            let verdict = if body.unreadable {
                Verdict::Void { reason: BallotError::Unreadable }
            } else {
                let mark =
                    if body.blank || body.picks.is_empty() { Mark::Blank } else { Mark::Picks(body.picks.clone()) };
                ballot_rules(&r).judge(&mark, &ballot_candidates(&proposals))
            };
            if !store::cast(&mut tx, id, resident, grid, Channel::Paper, &verdict, user.account_id, &at).await? {
                return Err(conflict(&BallotError::AlreadyVoted));
            }
            store::match_paper_entry(&mut tx, first.id, user.account_id).await?;
            let counted = match verdict {
                Verdict::Valid { .. } => "有效票",
                Verdict::Blank => "弃权票",
                Verdict::Void { .. } => "废票",
            };
            PaperEntryOutcome { outcome: "cast".into(), message: format!("两次录入一致,已计入({counted})。") }
        }
    };
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationPaper, format!("participation_round:{id}"))
            .detail(serde_json::json!({ "resident": resident, "entry": outcome.outcome })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(outcome))
}

/// `GET /api/participation/rounds/{id}/paper` (clerk): paper ballots waiting
/// for their second entry, and mismatches to check against the paper.
pub async fn paper_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Vec<PaperPending>> {
    let user = user.require(&state, CLERKS, AuditAction::ParticipationPaper).await?;
    let r = scoped_round(&state, &user, id, AuditAction::ParticipationPaper).await?;
    let rows = store::open_paper_entries(&mut *state.db.acquire().await?, r.id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|e| PaperPending {
                resident_id: e.resident_id,
                resident_name: gongzhi_domain::pii::masked_name(&e.resident_name),
                status_label: if e.status == "mismatch" { "两次录入不一致" } else { "待第二人录入" }.into(),
                status: e.status,
                entered_by: e.entered_by_name,
            })
            .collect(),
    ))
}

/// `GET /api/participation/rounds/{id}/recount` (public, once counted): the
/// anonymised ballots, the candidates with their costs and the published
/// rules — a recount with `gongzhi_domain::ballot::count` reproduces the
/// result.
pub async fn recount(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<RecountPack> {
    let r = store::round(&mut *state.db.acquire().await?, id).await?;
    let Some((r, published)) = r.and_then(|r| tally_of(&r).map(|t| (r, t))) else {
        return Err(AccessError::NotFound.into());
    };
    let mut conn = state.db.acquire().await?;
    let proposals = store::proposals(&mut conn, id).await?;
    let ballots = anon_ballots(store::ballots(&mut conn, id).await?);
    Ok(Json(RecountPack {
        round_id: id,
        places: r.places as u32,
        rules: ballot_rules(&r),
        tie_break: rules::tie_break(r.seed.as_deref().unwrap_or_default()),
        candidates: ballot_candidates(&proposals),
        ballots,
        published,
    }))
}

/// A delivery the account may report on, with its round, or 404.
async fn deliverable(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<(store::DeliveryRow, RoundRow), AppError> {
    let d = store::delivery(&mut *state.db.acquire().await?, id).await?;
    let r = match &d {
        Some(d) => store::round(&mut *state.db.acquire().await?, d.round_id).await?,
        None => None,
    };
    match (d, r) {
        (Some(d), Some(r)) if can_deliver(user, d.department_id, &r.community_path) => Ok((d, r)),
        _ => Err(user.out_of_scope(state, action, format!("participation_delivery:{id}")).await),
    }
}

/// `POST /api/participation/deliveries/{id}/progress` (leader or the
/// responsible department): progress, never backwards, with what happened,
/// on the public timeline.
pub async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ProgressInput>,
) -> ApiResult<RoundDetail> {
    let user = user.require(&state, DELIVERERS, AuditAction::ParticipationProgress).await?;
    let (d, r) = deliverable(&state, &user, id, AuditAction::ParticipationProgress).await?;
    let (progress, note) = body.parse(d.progress as u32).map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let today = state.today().to_string();
    if !store::record_progress(&mut tx, id, progress, &note, user.account_id, &Utc::now().to_rfc3339(), &today).await? {
        return Err(conflict(&gongzhi_domain::ConflictError::ParticipationProgressMoved));
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationProgress, format!("participation_delivery:{id}"))
            .detail(serde_json::json!({ "progress": progress, "note": note })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}

/// `POST /api/participation/deliveries/{id}/milestones`: a planned milestone.
pub async fn milestone(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<MilestoneInput>,
) -> ApiResult<RoundDetail> {
    let user = user.require(&state, DELIVERERS, AuditAction::ParticipationMilestone).await?;
    let (_, r) = deliverable(&state, &user, id, AuditAction::ParticipationMilestone).await?;
    let (name, due) = body.parse().map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let mid = store::insert_milestone(&mut tx, id, &name, &due.to_string(), None).await?;
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationMilestone, format!("participation_milestone:{mid}"))
            .detail(serde_json::json!({ "name": name, "due_on": due })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}

/// `POST /api/participation/deliveries/{id}/ratings` (resident of the
/// community): 满意 / 基本满意 / 不满意 once the project is complete; one per
/// resident (the primary key decides).
pub async fn rate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RateProject>,
) -> ApiResult<RoundDetail> {
    const FIELD_RATING: Field = Field::new("rating", "评价");
    let user = user.require(&state, RATERS, AuditAction::ParticipationRate).await?;
    let d = store::delivery(&mut *state.db.acquire().await?, id).await?;
    let r = match &d {
        Some(d) => store::round(&mut *state.db.acquire().await?, d.round_id).await?,
        None => None,
    };
    let (Some(d), Some(r)) = (d, r.filter(|r| reaches(&user, &r.community_path))) else {
        return Err(user
            .out_of_scope(&state, AuditAction::ParticipationRate, format!("participation_delivery:{id}"))
            .await);
    };
    let rating = Rating::from_code(body.rating.trim()).ok_or_else(|| {
        let kind = if body.rating.trim().is_empty() {
            FieldErrorKind::Required
        } else {
            FieldErrorKind::UnknownOption { raw: body.rating.trim().to_string() }
        };
        AppError::fields(&[FIELD_RATING.error(kind)])
    })?;
    if d.completed_on.is_none() {
        return Err(conflict(&ParticipationError::NotCompleted));
    }
    let resident = own_resident(&state, &user).await?.ok_or_else(|| conflict(&ParticipationError::NotAVoter))?;
    if voter(&state, &RoundRow { voters: VoterBody::Residents.code().into(), ..r.clone() }, resident).await?.is_none() {
        return Err(conflict(&ParticipationError::NotAVoter));
    }
    let mut tx = state.write_tx().await?;
    if !store::rate(&mut tx, id, resident, rating.code(), &Utc::now().to_rfc3339()).await? {
        return Err(conflict(&ParticipationError::AlreadyRated));
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ParticipationRate, format!("participation_delivery:{id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(detail_view(&state, &user, &r).await?))
}
