//! Residents decide the practical projects (百姓定实事) as stored: rounds,
//! proposals and their proposers, who voted (one row per resident per round:
//! the primary key decides) apart from what was voted (ballots with a random
//! key, no resident, no time), paper double entries, deliveries, ratings.

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::ballot::{Channel, Verdict};
use gongzhi_domain::participation::{Proposal, Round, RoundStatus, Screening};
use sqlx::AnyConnection;

use super::transition::{self, Outcome, Set, Table, Transition};
use crate::audit::Who;

/// Rounds move proposing → screening → voting → counted.
pub const ROUNDS: Table<RoundStatus> = Table::new("participation_rounds", "participation_round", None);

/// A round with its community.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub community_path: String,
    pub title: String,
    pub status: String,
    pub places: i64,
    pub budget_fen: i64,
    pub max_picks: i64,
    pub within_budget: i64,
    pub margin_percent: i64,
    pub voters: String,
    pub proposals_until: String,
    pub voting_until: String,
    pub seed: Option<String>,
    pub result: Option<String>,
}

const ROUND: &str =
    "SELECT r.id, r.community_id, c.name AS community_name, c.path AS community_path, r.title, r.status,
        r.places, r.budget_fen, r.max_picks, r.within_budget, r.margin_percent, r.voters, r.proposals_until,
        r.voting_until, r.seed, r.result
     FROM participation_rounds r JOIN org_nodes c ON c.id = r.community_id";

/// The rounds of the communities in `scope` (or the one it lies in), newest first.
pub async fn rounds(conn: &mut AnyConnection, scope: &str) -> Result<Vec<RoundRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ROUND} WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY r.id DESC"))
        .bind(scope)
        .fetch_all(conn)
        .await
}

/// Round `id`.
pub async fn round(conn: &mut AnyConnection, id: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ROUND} WHERE r.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a round of `community`; its id.
pub async fn insert_round(
    conn: &mut AnyConnection,
    community: i64,
    r: &Round,
    by: i64,
    at: &str,
) -> Result<i64, sqlx::Error> {
    let margin = match r.margin {
        gongzhi_domain::ballot::Margin::Percent(p) => i64::from(p),
        gongzhi_domain::ballot::Margin::AtLeastMore(_) => 101,
    };
    sqlx::query_scalar(
        "INSERT INTO participation_rounds (community_id, title, places, budget_fen, max_picks, within_budget,
            margin_percent, voters, proposals_until, voting_until, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(community)
    .bind(&r.title)
    .bind(i64::from(r.places))
    .bind(r.budget.fen())
    .bind(i64::from(r.rules.max_picks))
    .bind(i64::from(r.rules.budget.is_some()))
    .bind(margin)
    .bind(r.voters.code())
    .bind(r.proposals_until.to_string())
    .bind(r.voting_until.to_string())
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// Moves round `id` from `from` to `to` with its audit entry, setting the
/// seed (opening the vote) or the result (counting), only if unchanged.
pub async fn advance_round(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    (from, to): (RoundStatus, RoundStatus),
    seed: Option<&str>,
    result: Option<&str>,
    detail: serde_json::Value,
) -> Result<Outcome<RoundStatus>, sqlx::Error> {
    let t = Transition {
        table: &ROUNDS,
        id,
        from: &[from],
        to,
        set: vec![Set::if_given("seed", seed), Set::if_given("result", result)],
        step: vec![],
        action: AuditAction::ParticipationAdvance,
        detail,
    };
    transition::apply(conn, who, t).await
}

/// A proposal with its department's name and its proposers' count.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProposalRow {
    pub id: i64,
    pub round_id: i64,
    pub title: String,
    pub problem: String,
    pub place: String,
    pub beneficiaries: String,
    pub channel: String,
    pub status: String,
    pub merged_into: Option<i64>,
    pub feasibility: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub cost_fen: Option<i64>,
    pub reason: Option<String>,
    pub proposers: i64,
}

const PROPOSAL: &str = "SELECT p.id, p.round_id, p.title, p.problem, p.place, p.beneficiaries, p.channel, p.status,
        p.merged_into, p.feasibility, p.department_id, d.name AS department_name, p.cost_fen, p.reason,
        (SELECT COUNT(*) FROM participation_proposers x WHERE x.proposal_id = p.id) AS proposers
     FROM participation_proposals p LEFT JOIN departments d ON d.id = p.department_id";

/// The proposals of round `id`, in order of arrival.
pub async fn proposals(conn: &mut AnyConnection, round: i64) -> Result<Vec<ProposalRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PROPOSAL} WHERE p.round_id = $1 ORDER BY p.id")).bind(round).fetch_all(conn).await
}

/// Proposal `id`.
pub async fn proposal(conn: &mut AnyConnection, id: i64) -> Result<Option<ProposalRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PROPOSAL} WHERE p.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a proposal of `round` and its first proposer; its id.
pub async fn insert_proposal(
    conn: &mut AnyConnection,
    round: i64,
    p: &Proposal,
    resident: i64,
    by: i64,
    at: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO participation_proposals (round_id, title, problem, place, beneficiaries, channel, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(round)
    .bind(&p.title)
    .bind(&p.problem)
    .bind(&p.place)
    .bind(&p.beneficiaries)
    .bind(p.channel.code())
    .bind(by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO participation_proposers (proposal_id, resident_id, channel, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(resident)
    .bind(p.channel.code())
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Records the screening of a still-open proposal; `false` when it was
/// screened or merged meanwhile.
pub async fn screen(conn: &mut AnyConnection, id: i64, s: &Screening) -> Result<bool, sqlx::Error> {
    let (status, feasibility, department, cost, reason) = match s {
        Screening::Candidate { feasibility, department_id, cost } => {
            ("candidate", feasibility, Some(*department_id), Some(cost.fen()), None)
        }
        Screening::NotTaken { feasibility, reason } => ("not_taken", feasibility, None, None, Some(reason.as_str())),
    };
    let done = sqlx::query(
        "UPDATE participation_proposals SET status = $1, feasibility = $2, department_id = $3, cost_fen = $4, reason = $5
         WHERE id = $6 AND status = 'submitted'",
    )
    .bind(status)
    .bind(feasibility)
    .bind(department)
    .bind(cost)
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Merges open proposal `id` into `into`, moving its proposers over (a
/// resident behind both counts once); `false` when `id` was closed meanwhile.
pub async fn merge(conn: &mut AnyConnection, id: i64, into: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE participation_proposals SET status = 'merged', merged_into = $1 WHERE id = $2 AND status = 'submitted'",
    )
    .bind(into)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO participation_proposers (proposal_id, resident_id, channel, recorded_by, recorded_at)
         SELECT $1, resident_id, channel, recorded_by, recorded_at FROM participation_proposers WHERE proposal_id = $2
         ON CONFLICT DO NOTHING",
    )
    .bind(into)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(true)
}

/// A resident on the register, with their grid and community path.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VoterRow {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub grid_id: i64,
    pub path: String,
    pub representative: i64,
}

/// Resident `id` of the register.
pub async fn resident(conn: &mut AnyConnection, id: i64) -> Result<Option<VoterRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.name, r.address, r.org_node_id AS grid_id, n.path, r.representative
         FROM residents r JOIN org_nodes n ON n.id = r.org_node_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The register entry an account is (residents' accounts only).
pub async fn account_resident(conn: &mut AnyConnection, account: i64) -> Result<Option<i64>, sqlx::Error> {
    let id: Option<Option<i64>> =
        sqlx::query_scalar("SELECT resident_id FROM accounts WHERE id = $1").bind(account).fetch_optional(conn).await?;
    Ok(id.flatten())
}

/// The register entry an account is, with its grid's path (residents'
/// accounts only; `None` for an account not on the register).
pub async fn account_entry(conn: &mut AnyConnection, account: i64) -> Result<Option<VoterRow>, sqlx::Error> {
    match account_resident(&mut *conn, account).await? {
        Some(id) => resident(conn, id).await,
        None => Ok(None),
    }
}

/// Whether resident `resident` has voted in `round` (any channel).
pub async fn has_voted(conn: &mut AnyConnection, round: i64, resident: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM participation_voters WHERE round_id = $1 AND resident_id = $2")
            .bind(round)
            .bind(resident)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// Casts one ballot: the voter row (the primary key refuses a second vote by
/// the same resident in the round, whatever the channel) and, apart, the
/// ballot under a random key. `false` when the resident had voted.
#[allow(clippy::too_many_arguments)]
pub async fn cast(
    conn: &mut AnyConnection,
    round: i64,
    resident: i64,
    grid: i64,
    channel: Channel,
    verdict: &Verdict,
    by: i64,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO participation_voters (round_id, resident_id, channel, grid_id, recorded_by, voted_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(round)
    .bind(resident)
    .bind(channel.code())
    .bind(grid)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() != 1 {
        return Ok(false);
    }
    let mut key = [0u8; 16];
    getrandom::fill(&mut key).map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
    let key: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let verdict = serde_json::to_string(verdict).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("INSERT INTO participation_ballots (key, round_id, channel, verdict) VALUES ($1, $2, $3, $4)")
        .bind(key)
        .bind(round)
        .bind(channel.code())
        .bind(verdict)
        .execute(conn)
        .await?;
    Ok(true)
}

/// The ballots of round `id` as stored (channel, verdict JSON), by random key:
/// no resident, no order of casting.
pub async fn ballots(conn: &mut AnyConnection, round: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT channel, verdict FROM participation_ballots WHERE round_id = $1 ORDER BY key")
        .bind(round)
        .fetch_all(conn)
        .await
}

/// Turnout by grid: (grid name, voted, eligible) for the round's community.
pub async fn turnout(
    conn: &mut AnyConnection,
    round: i64,
    community_path: &str,
    representatives_only: bool,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.name,
                (SELECT COUNT(*) FROM participation_voters v WHERE v.round_id = $1 AND v.grid_id = g.id),
                (SELECT COUNT(*) FROM residents r WHERE r.org_node_id = g.id AND (r.representative = 1 OR $3 = 0))
         FROM org_nodes g WHERE g.level = 'grid' AND g.path LIKE $2 || '%' ORDER BY g.code",
    )
    .bind(round)
    .bind(community_path)
    .bind(i64::from(representatives_only))
    .fetch_all(conn)
    .await
}

/// A paper entry as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaperRow {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub mark: String,
    pub entered_by: i64,
    pub entered_by_name: String,
    pub status: String,
}

const PAPER: &str = "SELECT e.id, e.resident_id, r.name AS resident_name, e.mark, e.entered_by,
        a.display_name AS entered_by_name, e.status
     FROM participation_paper_entries e JOIN residents r ON r.id = e.resident_id JOIN accounts a ON a.id = e.entered_by";

/// The paper entry for `resident` in `round`, if any.
pub async fn paper_entry(conn: &mut AnyConnection, round: i64, resident: i64) -> Result<Option<PaperRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PAPER} WHERE e.round_id = $1 AND e.resident_id = $2"))
        .bind(round)
        .bind(resident)
        .fetch_optional(conn)
        .await
}

/// The paper entries still waiting or in dispute, for the clerks' list.
pub async fn open_paper_entries(conn: &mut AnyConnection, round: i64) -> Result<Vec<PaperRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PAPER} WHERE e.round_id = $1 AND e.status <> 'matched' ORDER BY e.id"))
        .bind(round)
        .fetch_all(conn)
        .await
}

/// Stores a first entry; `false` when the resident has one already.
pub async fn insert_paper_entry(
    conn: &mut AnyConnection,
    round: i64,
    resident: i64,
    mark: &str,
    by: i64,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO participation_paper_entries (round_id, resident_id, mark, entered_by, entered_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(round)
    .bind(resident)
    .bind(mark)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A second entry that matched: the entry is closed and its marks cleared
/// (the ballot now lives apart, unlinked).
pub async fn match_paper_entry(conn: &mut AnyConnection, id: i64, by: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participation_paper_entries SET status = 'matched', mark = '', second_by = $1 WHERE id = $2")
        .bind(by)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A second entry that differs: listed as a mismatch, and the latest entry
/// becomes the one the next clerk's entry must match (so a wrong first entry
/// can be put right after the clerks look at the paper).
pub async fn mismatch_paper_entry(conn: &mut AnyConnection, id: i64, mark: &str, by: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participation_paper_entries SET status = 'mismatch', mark = $1, entered_by = $2 WHERE id = $3")
        .bind(mark)
        .bind(by)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A delivery with its proposal's title, department and cost.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub round_id: i64,
    pub title: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub cost_fen: Option<i64>,
    pub progress: i64,
    pub completed_on: Option<String>,
}

const DELIVERY: &str = "SELECT v.id, v.round_id, p.title, p.department_id, d.name AS department_name, p.cost_fen,
        v.progress, v.completed_on
     FROM participation_deliveries v JOIN participation_proposals p ON p.id = v.proposal_id
     LEFT JOIN departments d ON d.id = p.department_id";

/// The deliveries of round `id`.
pub async fn deliveries(conn: &mut AnyConnection, round: i64) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!("{DELIVERY} WHERE v.round_id = $1 ORDER BY v.id")).bind(round).fetch_all(conn).await
}

/// Delivery `id`.
pub async fn delivery(conn: &mut AnyConnection, id: i64) -> Result<Option<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!("{DELIVERY} WHERE v.id = $1")).bind(id).fetch_optional(conn).await
}

/// Makes each chosen proposal a delivery item.
pub async fn insert_deliveries(conn: &mut AnyConnection, round: i64, chosen: &[i64]) -> Result<(), sqlx::Error> {
    for p in chosen {
        sqlx::query("INSERT INTO participation_deliveries (round_id, proposal_id) VALUES ($1, $2)")
            .bind(round)
            .bind(p)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A milestone.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MilestoneRow {
    pub id: i64,
    pub delivery_id: i64,
    pub name: String,
    pub due_on: String,
    pub done_on: Option<String>,
}

/// The milestones of the deliveries of round `id`.
pub async fn milestones(conn: &mut AnyConnection, round: i64) -> Result<Vec<MilestoneRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.delivery_id, m.name, m.due_on, m.done_on FROM participation_milestones m
         JOIN participation_deliveries v ON v.id = m.delivery_id WHERE v.round_id = $1 ORDER BY m.due_on, m.id",
    )
    .bind(round)
    .fetch_all(conn)
    .await
}

/// Stores a milestone.
pub async fn insert_milestone(
    conn: &mut AnyConnection,
    delivery: i64,
    name: &str,
    due_on: &str,
    done_on: Option<&str>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participation_milestones (delivery_id, name, due_on, done_on) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(delivery)
    .bind(name)
    .bind(due_on)
    .bind(done_on)
    .fetch_one(conn)
    .await
}

/// An update on the public timeline.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpdateRow {
    pub delivery_id: i64,
    pub progress: i64,
    pub note: String,
    pub by_name: String,
    pub at: String,
}

/// The updates of the deliveries of round `id`, oldest first.
pub async fn updates(conn: &mut AnyConnection, round: i64) -> Result<Vec<UpdateRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.delivery_id, u.progress, u.note, a.display_name AS by_name, u.at FROM participation_updates u
         JOIN participation_deliveries v ON v.id = u.delivery_id JOIN accounts a ON a.id = u.by_account
         WHERE v.round_id = $1 ORDER BY u.id",
    )
    .bind(round)
    .fetch_all(conn)
    .await
}

/// Records progress (never backwards: the condition decides between two at
/// once) and its timeline entry; completes the delivery at 100 %. `false`
/// when the progress moved past `progress` meanwhile.
pub async fn record_progress(
    conn: &mut AnyConnection,
    delivery: i64,
    progress: u32,
    note: &str,
    by: i64,
    at: &str,
    today: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE participation_deliveries SET progress = $1,
            completed_on = CASE WHEN $1 = 100 THEN COALESCE(completed_on, $2) ELSE completed_on END
         WHERE id = $3 AND progress <= $1",
    )
    .bind(i64::from(progress))
    .bind(today)
    .bind(delivery)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO participation_updates (delivery_id, progress, note, by_account, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(delivery)
    .bind(i64::from(progress))
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(true)
}

/// Every rating of the deliveries of round `id`: (delivery, resident, rating).
pub async fn ratings(conn: &mut AnyConnection, round: i64) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT x.delivery_id, x.resident_id, x.rating FROM participation_ratings x
         JOIN participation_deliveries v ON v.id = x.delivery_id WHERE v.round_id = $1",
    )
    .bind(round)
    .fetch_all(conn)
    .await
}

/// Stores a rating; `false` when the resident rated this project already.
pub async fn rate(
    conn: &mut AnyConnection,
    delivery: i64,
    resident: i64,
    rating: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO participation_ratings (delivery_id, resident_id, rating, rated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(delivery)
    .bind(resident)
    .bind(rating)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
