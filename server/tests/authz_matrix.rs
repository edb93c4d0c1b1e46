//! The authorisation matrix: every API route × every role × scope.
//!
//! Each route in `routes::api_routes()` must have a row here, or the test
//! fails — a new route cannot ship without saying who may call it. For each
//! row: anonymous callers get 401 (unless public); roles not allowed get 403;
//! allowed roles get through; and for routes that address a record by id, a
//! record in the caller's own subtree is reachable while one at a sibling or a
//! parent node answers 404 (never 403, so existence is not revealed).

mod common;

use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use common::{Session, TestApp};
use gongzhi_domain::Role;
use gongzhi_server::routes::{api_routes, Access};
use serde_json::{json, Value};

/// The demo account acting for each role. Bound below the city where the
/// scope test needs siblings and parents.
const ACTORS: [(Role, &str); 10] = [
    (Role::DepartmentApplicant, "applicant"),
    (Role::Reviewer, "reviewer.dx"),
    (Role::LeadingGroupSecretary, "secretary"),
    (Role::GridMember, "gridmember"),
    (Role::CommunityLeader, "leader"),
    (Role::Finance, "finance"),
    (Role::Resident, "resident"),
    (Role::SystemAdmin, "sysadmin.dx"),
    (Role::SecurityAdmin, "secadmin"),
    (Role::AuditAdmin, "auditadmin"),
];

/// Routes for the city's own administrator only: the matrix's system
/// administrator is bound to a district, so it must be refused by level.
const CITY_ONLY: [&str; 3] = ["/seal/catalog/editions", "/seal/catalog/city-matters", "/seal/uncatalogued"];

/// What an id in a path points at, relative to the actor.
#[derive(Clone, Copy, Debug)]
enum Target {
    Account,
    OrgNode,
    Resident,
    SealRequest,
    Admission,
    Payment,
    Purchase,
    Campaign,
    Grid,
    GridEvent,
    Open311Key,
    ImportJob,
    FacilityProject,
    Community,
    Remedy,
    Round,
    Proposal,
    Delivery,
    Matter,
    Meeting,
    FollowUp,
    DisclosureItem,
    Publication,
    Question,
    Review,
    Poll,
    PropertyCompany,
    PropertyEstate,
}

struct Row {
    method: Method,
    path: &'static str,
    /// A body that passes access control but fails validation, so allowed
    /// calls are proven without changing anything.
    body: Option<Value>,
    target: Option<Target>,
}

fn row(method: Method, path: &'static str, body: Option<Value>, target: Option<Target>) -> Row {
    Row { method, path, body, target }
}

fn matrix() -> Vec<Row> {
    use Method as M;
    use Target::*;
    let empty = || Some(json!({}));
    vec![
        row(M::GET, "/health", None, None),
        row(M::GET, "/openapi.json", None, None),
        row(M::GET, "/calendar/due", None, None),
        row(M::GET, "/calendar/schedules", None, None),
        // `{}` is no holiday-cn file: 422 once past access control, nothing loaded.
        row(M::POST, "/calendar/schedules", empty(), None),
        row(M::POST, "/auth/login", empty(), None),
        row(M::POST, "/auth/logout", None, None),
        row(M::GET, "/auth/me", None, None),
        row(
            M::POST,
            "/auth/password",
            Some(json!({ "current_password": "wrong", "new_password": "Another@2026" })),
            None,
        ),
        // Every role may enrol (administrators must): starting an enrolment
        // changes nothing at sign-in; a wrong code is refused (422), and a
        // session that does not wait for a code answers 409.
        row(M::POST, "/auth/totp/enrol", None, None),
        row(M::POST, "/auth/totp/confirm", Some(json!({ "code": "000000" })), None),
        row(M::POST, "/auth/totp/verify", Some(json!({ "code": "000000" })), None),
        row(M::GET, "/org/tree", None, None),
        row(M::POST, "/org/nodes", empty(), None),
        row(M::GET, "/org/nodes/{id}", None, Some(OrgNode)),
        row(M::GET, "/departments", None, None),
        row(M::POST, "/departments", empty(), None),
        row(M::GET, "/accounts", None, None),
        row(M::POST, "/accounts", empty(), None),
        row(M::GET, "/accounts/{id}", None, Some(Account)),
        row(M::POST, "/accounts/{id}/disable", None, Some(Account)),
        row(M::POST, "/accounts/{id}/enable", None, Some(Account)),
        row(M::POST, "/accounts/{id}/reset-password", empty(), Some(Account)),
        row(M::GET, "/security/policy", None, None),
        row(M::PUT, "/security/policy", empty(), None),
        row(M::GET, "/audit", None, None),
        row(M::GET, "/audit/verify", None, None),
        row(M::GET, "/audit/export", None, None),
        row(M::GET, "/audit/checkpoint", None, None),
        row(M::GET, "/residents", None, None),
        row(M::GET, "/residents/{id}", None, Some(Resident)),
        row(M::GET, "/seal/catalog", None, None),
        row(M::POST, "/seal/evaluate", empty(), None),
        row(M::GET, "/seal/requests", None, None),
        row(M::POST, "/seal/requests", empty(), None),
        row(M::GET, "/seal/requests/{id}", None, Some(SealRequest)),
        // On a refused request every action answers 409: access is proven
        // without changing anything.
        row(M::POST, "/seal/requests/{id}/review", None, Some(SealRequest)),
        row(M::POST, "/seal/requests/{id}/approve", None, Some(SealRequest)),
        row(M::POST, "/seal/requests/{id}/refuse", Some(json!({ "note": "x" })), Some(SealRequest)),
        row(M::POST, "/seal/requests/{id}/stamp", None, Some(SealRequest)),
        row(M::GET, "/seal/catalog/editions", None, None),
        row(M::POST, "/seal/catalog/editions", empty(), None),
        row(M::POST, "/seal/catalog/city-matters", empty(), None),
        row(M::GET, "/seal/uncatalogued", None, None),
        row(M::GET, "/seal/register", None, None),
        row(M::GET, "/seal/register/verify", None, None),
        row(M::GET, "/seal/register/export", None, None),
        // {seq} counts within the caller's own community: no other scope exists.
        row(M::POST, "/seal/register/{seq}/corrections", empty(), None),
        row(M::GET, "/admission/meta", None, None),
        row(M::GET, "/admission/catalog", None, None),
        row(M::GET, "/admission/applications", None, None),
        row(M::POST, "/admission/applications", empty(), None),
        row(M::POST, "/admission/paper", empty(), None),
        row(M::GET, "/admission/applications/{id}", None, Some(Admission)),
        row(M::POST, "/admission/applications/{id}/resubmit", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/withdraw", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/accept", None, Some(Admission)),
        row(M::POST, "/admission/applications/{id}/return", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/consult", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/opinions", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/solicit", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/solicited", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/send-to-group", None, Some(Admission)),
        row(M::POST, "/admission/applications/{id}/approve", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/reject", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/extend", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/deliver", None, Some(Admission)),
        row(M::POST, "/admission/applications/{id}/guides", empty(), Some(Admission)),
        row(M::POST, "/admission/applications/{id}/trainings", empty(), Some(Admission)),
        row(M::GET, "/funding/ledger", None, None),
        row(M::GET, "/funding/ledger/export", None, None),
        row(M::GET, "/funding/summary", None, None),
        row(M::GET, "/funding/summary/export", None, None),
        row(M::GET, "/funding/payments", None, None),
        row(M::POST, "/funding/payments", empty(), None),
        row(M::POST, "/funding/payments/{id}/correct", empty(), Some(Payment)),
        row(M::GET, "/consultation/matters", None, None),
        row(M::POST, "/consultation/matters", empty(), None),
        row(M::GET, "/consultation/matters/{id}", None, Some(Matter)),
        row(M::POST, "/consultation/matters/{id}/cosign", empty(), Some(Matter)),
        row(M::POST, "/consultation/matters/{id}/meetings", empty(), Some(Matter)),
        row(M::POST, "/consultation/meetings/{id}/attendance", empty(), Some(Meeting)),
        row(M::POST, "/consultation/meetings/{id}/record", empty(), Some(Meeting)),
        row(M::POST, "/consultation/follow-ups/{id}/done", empty(), Some(FollowUp)),
        row(M::POST, "/consultation/follow-ups/{id}/publish", empty(), Some(FollowUp)),
        row(M::GET, "/consultation/settings", None, None),
        row(M::PUT, "/consultation/settings", empty(), None),
        row(M::GET, "/disclosure/communities", None, None),
        row(M::GET, "/disclosure/communities/{id}", None, None),
        row(M::GET, "/disclosure/mine", None, None),
        row(M::POST, "/disclosure/directory/defaults", empty(), None),
        row(M::POST, "/disclosure/items", empty(), None),
        row(M::GET, "/disclosure/items/{id}/figures", None, Some(DisclosureItem)),
        row(M::POST, "/disclosure/publications", empty(), None),
        row(M::POST, "/disclosure/publications/{id}/questions", empty(), Some(Publication)),
        row(M::POST, "/disclosure/questions/{id}/answer", empty(), Some(Question)),
        row(M::GET, "/reviews", None, None),
        row(M::POST, "/reviews", empty(), None),
        row(M::GET, "/reviews/{id}", None, Some(Review)),
        row(M::POST, "/reviews/{id}/ballots", empty(), Some(Review)),
        row(M::POST, "/reviews/{id}/paper", empty(), Some(Review)),
        row(M::POST, "/reviews/{id}/forms", empty(), Some(Review)),
        row(M::POST, "/reviews/{id}/publish", empty(), Some(Review)),
        row(M::GET, "/polls", None, None),
        row(M::POST, "/polls", empty(), None),
        row(M::GET, "/polls/{id}", None, Some(Poll)),
        row(M::POST, "/polls/{id}/responses", empty(), Some(Poll)),
        row(M::POST, "/polls/{id}/entries", empty(), Some(Poll)),
        row(M::GET, "/polls/{id}/asked", None, Some(Poll)),
        row(M::GET, "/polls/{id}/export", None, Some(Poll)),
        row(M::POST, "/polls/{id}/close", None, Some(Poll)),
        row(M::GET, "/property/companies", None, None),
        row(M::POST, "/property/companies", empty(), None),
        row(M::GET, "/property/companies/{id}", None, Some(PropertyCompany)),
        row(M::PUT, "/property/companies/{id}", empty(), Some(PropertyCompany)),
        row(M::POST, "/property/companies/{id}/estates", empty(), Some(PropertyCompany)),
        row(M::PUT, "/property/estates/{id}", empty(), Some(PropertyEstate)),
        row(M::POST, "/property/companies/{id}/complaints", empty(), Some(PropertyCompany)),
        row(M::POST, "/property/companies/{id}/ratings", empty(), Some(PropertyCompany)),
        row(M::GET, "/purchases", None, None),
        row(M::POST, "/purchases", empty(), None),
        row(M::POST, "/purchases/{id}/acceptance", empty(), Some(Purchase)),
        row(M::GET, "/facilities", None, None),
        row(M::GET, "/facilities/export.xlsx", None, None),
        row(M::POST, "/facilities/projects", empty(), None),
        row(M::GET, "/facilities/projects/{id}", None, Some(FacilityProject)),
        row(M::POST, "/facilities/projects/{id}/sign-offs", empty(), Some(FacilityProject)),
        row(M::GET, "/facilities/communities/{id}", None, Some(Community)),
        row(M::POST, "/facilities/communities/{id}/rooms", empty(), Some(Community)),
        row(M::POST, "/facilities/communities/{id}/remedies", empty(), Some(Community)),
        // Own = a finished remedy: moving it answers 409, nothing changes.
        row(M::POST, "/facilities/remedies/{id}/advance", Some(json!({ "to": "done" })), Some(Remedy)),
        row(M::GET, "/participation/rounds", None, None),
        row(M::POST, "/participation/rounds", empty(), None),
        row(M::GET, "/participation/rounds/{id}", None, Some(Round)),
        row(M::POST, "/participation/rounds/{id}/advance", empty(), Some(Round)),
        row(M::POST, "/participation/rounds/{id}/proposals", empty(), Some(Round)),
        row(M::POST, "/participation/proposals/{id}/screen", empty(), Some(Proposal)),
        row(M::POST, "/participation/proposals/{id}/merge", empty(), Some(Proposal)),
        // Own = the round that is voting: an empty ballot is neither picks nor blank (400).
        row(M::POST, "/participation/rounds/{id}/ballots", empty(), Some(Round)),
        row(M::GET, "/participation/rounds/{id}/voters/{resident}", None, Some(Round)),
        row(M::POST, "/participation/rounds/{id}/paper", empty(), Some(Round)),
        row(M::GET, "/participation/rounds/{id}/paper", None, Some(Round)),
        row(M::GET, "/participation/rounds/{id}/recount", None, None),
        row(M::POST, "/participation/deliveries/{id}/progress", empty(), Some(Delivery)),
        row(M::POST, "/participation/deliveries/{id}/milestones", empty(), Some(Delivery)),
        row(M::POST, "/participation/deliveries/{id}/ratings", empty(), Some(Delivery)),
        row(M::GET, "/facilities/standards", None, None),
        row(M::POST, "/facilities/standards", empty(), None),
        row(M::GET, "/cleanup/entries", None, None),
        row(M::POST, "/cleanup/entries", empty(), None),
        row(M::GET, "/cleanup/campaigns", None, None),
        row(M::POST, "/cleanup/campaigns", empty(), None),
        row(M::POST, "/cleanup/campaigns/{id}/reviews", empty(), Some(Campaign)),
        row(M::POST, "/cleanup/campaigns/{id}/close", None, Some(Campaign)),
        row(M::GET, "/grids", None, None),
        row(M::GET, "/grids/locate", None, None),
        row(M::GET, "/grids/coverage", None, None),
        row(M::GET, "/grids/{id}/map", None, Some(Grid)),
        row(M::GET, "/grids/{id}/visits", None, Some(Grid)),
        row(M::POST, "/grids/import", empty(), None),
        row(M::POST, "/households/import", empty(), None),
        row(M::GET, "/households/import/jobs/{id}", None, Some(ImportJob)),
        row(M::POST, "/visits", empty(), None),
        row(M::GET, "/events/categories", None, None),
        row(M::GET, "/events/nearby", None, None),
        row(M::GET, "/events", None, None),
        row(M::POST, "/events", empty(), None),
        row(M::GET, "/events/{id}", None, Some(GridEvent)),
        row(M::POST, "/events/{id}/actions", empty(), Some(GridEvent)),
        row(M::GET, "/open311-keys", None, None),
        row(M::POST, "/open311-keys", empty(), None),
        row(M::POST, "/open311-keys/{id}/revoke", None, Some(Open311Key)),
    ]
}

/// Ids of records at the actor's own node (or below), a sibling node and the
/// parent node. `None` where the actor's place has no such node.
struct Targets {
    own: i64,
    sibling: Option<i64>,
    parent: Option<i64>,
}

async fn targets(app: &TestApp, username: &str, target: Target) -> Targets {
    let node_of = |u: &'static str| async move { app.node_id(u).await };
    match (target, username) {
        // sysadmin.dx sits at 东乡区 (DX): own = an account in DX, sibling = 资溪县, parent = city.
        (Target::Account, _) => Targets {
            own: app.account_id("gridmember.hp").await,
            sibling: Some(app.account_id("reviewer.zx").await),
            parent: Some(app.account_id("reviewer").await),
        },
        (Target::OrgNode, "reviewer.dx" | "sysadmin.dx") => Targets {
            own: node_of("DX-CD").await,
            sibling: Some(node_of("ZX").await),
            parent: Some(node_of("C").await),
        },
        (Target::OrgNode, "gridmember") => Targets {
            own: node_of("DX-CD-XF-01").await,
            sibling: Some(node_of("DX-CD-XF-02").await),
            parent: Some(node_of("DX-CD-XF").await),
        },
        (Target::OrgNode, "resident" | "leader") => Targets {
            own: node_of("DX-CD-XF-02").await,
            sibling: Some(node_of("DX-CD-HP").await),
            parent: Some(node_of("DX-CD").await),
        },
        // City-level accounts have no sibling or parent.
        (Target::OrgNode, _) => Targets { own: node_of("ZX").await, sibling: None, parent: None },
        (Target::Resident, "gridmember") => Targets {
            own: resident_in(app, "DX-CD-XF-01").await,
            sibling: Some(resident_in(app, "DX-CD-XF-02").await),
            parent: None,
        },
        // The seal belongs to the community: own = a refused request of the
        // caller's community, sibling = one of 和平社区.
        (Target::SealRequest, _) => Targets {
            own: seal_request(app, "DX-CD-XF", "refused").await,
            sibling: Some(seal_request(app, "DX-CD-HP", "submitted").await),
            parent: None,
        },
        // Admission files belong to the applying department's node.
        // reviewer.dx (东乡区): own = the district department's file,
        // sibling = none at 资溪县, parent = a city department's file.
        (Target::Admission, "reviewer.dx") => Targets {
            own: admission(app, "dx-zjj", "consulting").await,
            sibling: None,
            parent: Some(admission(app, "zjj", "deciding").await),
        },
        // The applicant (人社局): own = its department's file; sibling = another
        // department's file it was not consulted on.
        (Target::Admission, "applicant") => Targets {
            own: admission(app, "rsj", "submitted").await,
            sibling: Some(admission(app, "gaj", "registered").await),
            parent: None,
        },
        (Target::Admission, _) => Targets { own: admission(app, "zjj", "deciding").await, sibling: None, parent: None },
        // Payments are corrected by the department that paid: own = a payment
        // on the applicant's (人社局) item, sibling = one on 民政局's item.
        (Target::Payment, _) => {
            Targets { own: payment(app, "rsj").await, sibling: Some(payment(app, "mzj").await), parent: None }
        }
        // A purchase is the contracting department's: own = 人社局's, sibling = 卫健委's.
        (Target::Purchase, _) => Targets {
            own: one(
                app,
                "SELECT p.id FROM purchases p JOIN departments d ON d.id = p.department_id WHERE d.code = 'rsj'",
            )
            .await,
            sibling: Some(
                one(
                    app,
                    "SELECT p.id FROM purchases p JOIN departments d ON d.id = p.department_id WHERE d.code = 'wjw'",
                )
                .await,
            ),
            parent: None,
        },
        // reviewer.dx acts on 东乡区's campaign, not on the city's.
        (Target::Campaign, "reviewer.dx") => Targets {
            own: one(
                app,
                "SELECT c.id FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id WHERE n.code = 'DX'",
            )
            .await,
            sibling: None,
            parent: Some(
                one(
                    app,
                    "SELECT c.id FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id WHERE n.code = 'C'",
                )
                .await,
            ),
        },
        (Target::Campaign, _) => Targets {
            own: one(
                app,
                "SELECT c.id FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id WHERE n.code = 'DX'",
            )
            .await,
            sibling: None,
            parent: None,
        },
        // A grid member walks their own grid; the leader the community's;
        // reviewer.dx the district's.
        (Target::Grid, "gridmember") => {
            Targets { own: node_of("DX-CD-XF-01").await, sibling: Some(node_of("DX-CD-XF-02").await), parent: None }
        }
        (Target::Grid, "leader") => {
            Targets { own: node_of("DX-CD-XF-02").await, sibling: Some(node_of("DX-CD-HP-01").await), parent: None }
        }
        (Target::Grid, "reviewer.dx") => {
            Targets { own: node_of("DX-CD-XF-03").await, sibling: Some(node_of("ZX-HC-DM-01").await), parent: None }
        }
        (Target::Grid, _) => Targets { own: node_of("DX-CD-XF-01").await, sibling: None, parent: None },
        // Events: the community's side sees its own community's; a department
        // sees what is dispatched to it (人社局 yes, 卫健委's no).
        (Target::GridEvent, "applicant") => {
            Targets { own: event(app, "rsj").await, sibling: Some(event(app, "wjw").await), parent: None }
        }
        (Target::GridEvent, _) => Targets {
            own: event(app, "zjj").await,
            sibling: Some(
                one(
                    app,
                    "SELECT e.id FROM events e JOIN org_nodes n ON n.id = e.community_id WHERE n.code = 'DX-CD-HP'",
                )
                .await,
            ),
            parent: None,
        },
        // sysadmin.dx (东乡区) revokes a key scoped to 东乡区's 长渡镇, not one of
        // 资溪县 nor the city's.
        (Target::Open311Key, _) => Targets {
            own: open311_key(app, "DX-CD").await,
            sibling: Some(open311_key(app, "ZX").await),
            parent: Some(open311_key(app, "C").await),
        },
        // An import job is its starter's alone: own = one the actor started,
        // sibling = one the city's administrator started.
        (Target::ImportJob, _) => Targets {
            own: import_job(app, username).await,
            sibling: Some(import_job(app, "sysadmin").await),
            parent: None,
        },
        // Facilities belong to the community: reviewer.dx (东乡区) reaches
        // 幸福社区's, not 资溪县's or 高新区's; the leader 幸福社区's, not 和平社区's
        // or 长青社区's.
        (Target::FacilityProject, "reviewer.dx" | "leader") => Targets {
            own: project_in(app, "DX-CD-XF").await,
            sibling: Some(project_in(app, if username == "leader" { "DX-CD-HP" } else { "ZX-HC-DM" }).await),
            parent: None,
        },
        (Target::FacilityProject, _) => Targets { own: project_in(app, "DX-CD-XF").await, sibling: None, parent: None },
        (Target::Community, "reviewer.dx" | "leader") => Targets {
            own: node_of("DX-CD-XF").await,
            sibling: Some(node_of(if username == "leader" { "DX-CD-HP" } else { "ZX-HC-DM" }).await),
            parent: None,
        },
        (Target::Community, _) => Targets { own: node_of("DX-CD-XF").await, sibling: None, parent: None },
        (Target::Remedy, _) => Targets {
            own: remedy_in(app, "DX-CD-XF", "done").await,
            sibling: Some(remedy_in(app, if username == "leader" { "DX-CX-CQ" } else { "GX-KC-CX" }, "").await),
            parent: None,
        },
        // Practical projects belong to the community: own = 幸福社区's (the
        // round that is voting), sibling = one of 和平社区 (for 幸福社区's people)
        // or of 东门社区 (for 东乡区's reviewer).
        (Target::Round, _) => Targets {
            own: voting_round(app).await,
            sibling: sibling_round(app, username).await.map(|r| r.0),
            parent: None,
        },
        (Target::Proposal, _) => Targets {
            own: one(app, "SELECT id FROM participation_proposals WHERE status = 'submitted' ORDER BY id LIMIT 1")
                .await,
            sibling: sibling_round(app, username).await.map(|r| r.1),
            parent: None,
        },
        (Target::Delivery, _) => Targets {
            own: delivery_for(app, username).await,
            sibling: sibling_round(app, username).await.map(|r| r.2),
            parent: None,
        },
        // Consultation belongs to the community: own = 幸福社区's demo records
        // (the matter collecting co-signers, the planned talk, the late
        // follow-up), sibling = ones of 和平社区 (or 东门社区 for 东乡区's reviewer).
        (Target::Matter | Target::Meeting | Target::FollowUp, _) => {
            let own = match target {
                Target::Matter => "SELECT id FROM consultation_matters WHERE status = 'collecting' ORDER BY id LIMIT 1",
                Target::Meeting => "SELECT id FROM consultation_meetings WHERE status = 'planned' ORDER BY id LIMIT 1",
                _ => "SELECT id FROM consultation_follow_ups WHERE status = 'open' ORDER BY id LIMIT 1",
            };
            let others = match username {
                "applicant" | "secretary" | "finance" | "secadmin" | "auditadmin" | "sysadmin.dx" => None,
                "reviewer.dx" => Some(other_matter(app, "ZX-HC-DM").await),
                _ => Some(other_matter(app, "DX-CD-HP").await),
            };
            let pick = |t: (i64, i64, i64)| match target {
                Target::Matter => t.0,
                Target::Meeting => t.1,
                _ => t.2,
            };
            Targets { own: one(app, own).await, sibling: others.map(pick), parent: None }
        }
        // Disclosure belongs to the community: own = 幸福社区's demo item with
        // figures, its publication and the question waiting; sibling = ones
        // of 和平社区 (made here).
        (Target::DisclosureItem | Target::Publication | Target::Question, _) => {
            let own = match target {
                Target::DisclosureItem => "SELECT id FROM disclosure_items WHERE code = 'projects' ORDER BY id LIMIT 1",
                Target::Publication => "SELECT id FROM disclosure_publications ORDER BY id LIMIT 1",
                _ => "SELECT id FROM disclosure_questions WHERE answer IS NULL ORDER BY id LIMIT 1",
            };
            let others = match username {
                "resident" | "leader" | "gridmember" => Some(other_disclosure(app, "DX-CD-HP").await),
                _ => None,
            };
            let pick = |t: (i64, i64, i64)| match target {
                Target::DisclosureItem => t.0,
                Target::Publication => t.1,
                _ => t.2,
            };
            Targets { own: one(app, own).await, sibling: others.map(pick), parent: None }
        }
        // A review is the community's: own = 幸福社区's open demo review,
        // sibling = one of 和平社区 (or 东门社区 for 东乡区's reviewer), made here.
        (Target::Review, _) => {
            let sibling = match username {
                "applicant" | "secretary" | "finance" | "secadmin" | "auditadmin" | "sysadmin.dx" => None,
                "reviewer.dx" => Some(other_review(app, "ZX-HC-DM").await),
                _ => Some(other_review(app, "DX-CD-HP").await),
            };
            Targets {
                own: one(app, "SELECT id FROM review_reviews WHERE status = 'open' ORDER BY id LIMIT 1").await,
                sibling,
                parent: None,
            }
        }
        // A poll is the community's, as a review: own = 幸福社区's running
        // demo poll (by its title: the matrix's leader ends it), sibling = one of 和平社区 (or 东门社区), made here.
        (Target::Poll, _) => {
            let sibling = match username {
                "applicant" | "secretary" | "finance" | "secadmin" | "auditadmin" | "sysadmin.dx" => None,
                "reviewer.dx" => Some(other_poll(app, "ZX-HC-DM").await),
                _ => Some(other_poll(app, "DX-CD-HP").await),
            };
            Targets {
                own: one(app, "SELECT id FROM poll_polls WHERE title = '幸福社区停车管理民意调查'").await,
                sibling,
                parent: None,
            }
        }
        // A company (and an estate) is the community's, as a review: own =
        // 幸福社区's demo company (its estate 幸福里), sibling = one of 和平社区
        // (or 东门社区 for 东乡区's reviewer), made here.
        (Target::PropertyCompany | Target::PropertyEstate, _) => {
            let estate = matches!(target, Target::PropertyEstate);
            let sibling = match username {
                "applicant" | "secretary" | "finance" | "secadmin" | "auditadmin" | "sysadmin.dx" => None,
                "reviewer.dx" => Some(other_company(app, "ZX-HC-DM", estate).await),
                _ => Some(other_company(app, "DX-CD-HP", estate).await),
            };
            let own = if estate {
                "SELECT id FROM property_estates WHERE name = '幸福里'"
            } else {
                "SELECT id FROM property_companies WHERE name = '幸福物业服务有限公司'"
            };
            Targets { own: one(app, own).await, sibling, parent: None }
        }
        (Target::Resident, _) => Targets {
            own: resident_in(app, "DX-CD-HP-01").await,
            sibling: Some(resident_in(app, "ZX-HC-DM-01").await),
            parent: None,
        },
    }
}

/// A key issued by the city's system administrator, scoped to `node`.
async fn open311_key(app: &TestApp, node: &str) -> i64 {
    let admin = app.login("sysadmin").await;
    let body = json!({ "name": format!("矩阵测试 {node}"), "org_node_id": app.node_id(node).await });
    let r = app.post_as(&admin, "/api/open311-keys", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["key"]["id"].as_i64().unwrap()
}

/// An ended import job started by `username`.
async fn import_job(app: &TestApp, username: &str) -> i64 {
    let report = r#"{"imported":true,"encoding":"utf-8","rows":0,"created":0,"updated":0,"problems":[],"warnings":[]}"#;
    sqlx::query_scalar(
        "INSERT INTO import_jobs (kind, status, rows, report, created_by, created_at, finished_at)
         VALUES ('households', 'done', 0, $1, $2, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z') RETURNING id",
    )
    .bind(report)
    .bind(app.account_id(username).await)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

async fn seal_request(app: &TestApp, community: &str, status: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT r.id FROM seal_requests r JOIN org_nodes n ON n.id = r.community_id WHERE n.code = $1 AND r.status = $2 LIMIT 1",
    )
    .bind(community)
    .bind(status)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

async fn admission(app: &TestApp, department: &str, status: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT a.id FROM admission_applications a JOIN departments d ON d.id = a.department_id
         WHERE d.code = $1 AND a.status = $2 LIMIT 1",
    )
    .bind(department)
    .bind(status)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

/// A demo event of 幸福社区 dispatched to a department.
async fn event(app: &TestApp, department: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT e.id FROM events e JOIN departments d ON d.id = e.department_id JOIN org_nodes n ON n.id = e.community_id
         WHERE d.code = $1 AND n.code = 'DX-CD-XF' LIMIT 1",
    )
    .bind(department)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

/// A round elsewhere, for actors bound below the city (a city-level
/// account has no sibling).
async fn sibling_round(app: &TestApp, username: &str) -> Option<(i64, i64, i64)> {
    match username {
        "applicant" | "secretary" | "finance" | "secadmin" | "auditadmin" => None,
        "reviewer.dx" => Some(other_round(app, "ZX-HC-DM").await),
        _ => Some(other_round(app, "DX-CD-HP").await),
    }
}

/// 幸福社区's demo round that is voting.
async fn voting_round(app: &TestApp) -> i64 {
    one(
        app,
        "SELECT r.id FROM participation_rounds r JOIN org_nodes n ON n.id = r.community_id
         WHERE r.status = 'voting' AND n.code = 'DX-CD-XF' ORDER BY r.id LIMIT 1",
    )
    .await
}

/// A round of community `code` with an open proposal and a completed
/// delivery (made here: the demo has rounds in 幸福社区 only): their ids.
async fn other_round(app: &TestApp, code: &str) -> (i64, i64, i64) {
    let db = app.db().await;
    let by = app.account_id("sysadmin").await;
    let round: i64 = sqlx::query_scalar(
        "INSERT INTO participation_rounds (community_id, title, status, places, budget_fen, max_picks, within_budget,
            margin_percent, voters, proposals_until, voting_until, created_by, created_at)
         VALUES ($1, '矩阵测试', 'voting', 1, 100, 1, 0, 200, 'residents', '2027-01-01', '2027-02-01', $2, '2026-12-01T00:00:00Z')
         RETURNING id",
    )
    .bind(app.node_id(code).await)
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    let proposal: i64 = sqlx::query_scalar(
        "INSERT INTO participation_proposals (round_id, title, problem, place, beneficiaries, channel, created_by, created_at)
         VALUES ($1, 't', 'p', 'x', 'y', 'paper', $2, '2026-12-01T00:00:00Z') RETURNING id",
    )
    .bind(round)
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    let delivery: i64 = sqlx::query_scalar(
        "INSERT INTO participation_deliveries (round_id, proposal_id, progress, completed_on) VALUES ($1, $2, 100, '2026-11-30') RETURNING id",
    )
    .bind(round)
    .bind(proposal)
    .fetch_one(&db)
    .await
    .unwrap();
    (round, proposal, delivery)
}

/// A completed delivery of 幸福社区 the actor may report on: for a
/// department, one made its own.
async fn delivery_for(app: &TestApp, username: &str) -> i64 {
    let id =
        one(app, "SELECT v.id FROM participation_deliveries v JOIN participation_rounds r ON r.id = v.round_id JOIN org_nodes n ON n.id = r.community_id WHERE v.completed_on IS NOT NULL AND n.code = 'DX-CD-XF' ORDER BY v.id LIMIT 1").await;
    if username == "applicant" {
        sqlx::query(
            "UPDATE participation_proposals SET department_id = (SELECT id FROM departments WHERE code = 'rsj')
             WHERE id = (SELECT proposal_id FROM participation_deliveries WHERE id = $1)",
        )
        .bind(id)
        .execute(&app.db().await)
        .await
        .unwrap();
    }
    id
}

/// An affair of community `code` with a planned meeting and an open
/// follow-up (made here: the demo's are in 幸福社区): their ids.
async fn other_matter(app: &TestApp, code: &str) -> (i64, i64, i64) {
    let db = app.db().await;
    let by = app.account_id("sysadmin").await;
    let matter: i64 = sqlx::query_scalar(
        "INSERT INTO consultation_matters (community_id, kind, origin, title, description, parties, status,
            cosigners_needed, raised_by, raised_at, raised_on)
         VALUES ($1, 'affair', 'committee', '矩阵测试', 'd', '[]', 'accepted', 5, $2, '2026-12-01T00:00:00Z', '2026-12-01')
         RETURNING id",
    )
    .bind(app.node_id(code).await)
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    let meeting: i64 = sqlx::query_scalar(
        "INSERT INTO consultation_meetings (matter_id, kind, date, time, place, invited, planned_by, planned_at)
         VALUES ($1, 'council', '2026-12-20', '19:30', 'x', '[]', $2, '2026-12-01T00:00:00Z') RETURNING id",
    )
    .bind(matter)
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    let follow_up: i64 = sqlx::query_scalar(
        "INSERT INTO consultation_follow_ups (matter_id, meeting_id, task, owner, working_days, due_on)
         VALUES ($1, $2, 't', 'o', 5, '2026-12-27') RETURNING id",
    )
    .bind(matter)
    .bind(meeting)
    .fetch_one(&db)
    .await
    .unwrap();
    (matter, meeting, follow_up)
}

/// A directory item of community `code` with a publication and an
/// unanswered question (made here: the demo's are in 幸福社区): their ids.
async fn other_disclosure(app: &TestApp, code: &str) -> (i64, i64, i64) {
    let db = app.db().await;
    let by = app.account_id("sysadmin").await;
    let item: i64 = sqlx::query_scalar(
        "INSERT INTO disclosure_items (community_id, code, item, content, basis, frequency, channels, owner, since,
            added_by, added_at)
         VALUES ($1, 'projects', '民生实事', 'c', 'b', 'quarterly', 'board', 'o', '2026-01-01', $2, '2026-01-01T00:00:00Z')
         ON CONFLICT(community_id, code) DO UPDATE SET owner = excluded.owner RETURNING id",
    )
    .bind(app.node_id(code).await)
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    let publication: i64 = sqlx::query_scalar(
        "INSERT INTO disclosure_publications (item_id, period, title, body, attachments, published_on, published_by, published_at)
         VALUES ($1, '', 't', 'b', '[]', '2026-11-01', $2, '2026-11-01T00:00:00Z') RETURNING id",
    )
    .bind(item)
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    let question: i64 = sqlx::query_scalar(
        "INSERT INTO disclosure_questions (publication_id, kind, text, asked_by, asked_at, asked_on)
         VALUES ($1, 'question', 'q', $2, '2026-11-02T00:00:00Z', '2026-11-02') RETURNING id",
    )
    .bind(publication)
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    (item, publication, question)
}

/// An open review of community `code` (made here: the demo's are in 幸福社区).
async fn other_review(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO review_reviews (community_id, title, subject_kind, subject_name, report, dimensions, until,
            created_by, created_at)
         VALUES ($1, '矩阵测试', 'committee', 'x', 'r', '[\"a\"]', '2027-01-01', $2, '2026-12-01T00:00:00Z') RETURNING id",
    )
    .bind(app.node_id(code).await)
    .bind(app.account_id("sysadmin").await)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

/// A property company of community `code` (made here: the demo's are in
/// 幸福社区), or — with `estate` — an estate of one.
async fn other_company(app: &TestApp, code: &str, estate: bool) -> i64 {
    let db = app.db().await;
    let (community, by) = (app.node_id(code).await, app.account_id("sysadmin").await);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM property_companies").fetch_one(&db).await.unwrap();
    let company: i64 = sqlx::query_scalar(
        "INSERT INTO property_companies (community_id, name, credit_code, contact, phone, party_org, party_members,
            created_by, created_at, updated_by, updated_at)
         VALUES ($1, '矩阵测试', $2, 'x', '13900000000', 'none', 0, $3, '2026-12-01T00:00:00Z', $3, '2026-12-01T00:00:00Z')
         RETURNING id",
    )
    .bind(community)
    .bind(format!("matrix-{n}"))
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap();
    if !estate {
        return company;
    }
    sqlx::query_scalar(
        "INSERT INTO property_estates (company_id, community_id, name, households, served_since, owners_committee,
            created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, 1, '2026-01-01', 0, $4, '2026-12-01T00:00:00Z', $4, '2026-12-01T00:00:00Z') RETURNING id",
    )
    .bind(company)
    .bind(community)
    .bind(format!("矩阵测试-{n}"))
    .bind(by)
    .fetch_one(&db)
    .await
    .unwrap()
}

/// An open poll of community `code` (made here: the demo's are in 幸福社区).
async fn other_poll(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO poll_polls (community_id, title, intro, audience, questions, until, created_by, created_at)
         VALUES ($1, '矩阵测试', '', '{\"kind\":\"community\"}', '[]', '2027-01-01', $2, '2026-12-01T00:00:00Z')
         RETURNING id",
    )
    .bind(app.node_id(code).await)
    .bind(app.account_id("sysadmin").await)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

/// A demo project of community `code`.
async fn project_in(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT p.id FROM facility_projects p JOIN org_nodes n ON n.id = p.community_id WHERE n.code = $1 LIMIT 1",
    )
    .bind(code)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

/// A demo remedy of community `code` (of `status`, or any when empty).
async fn remedy_in(app: &TestApp, code: &str, status: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT r.id FROM facility_remedies r JOIN org_nodes n ON n.id = r.community_id
         WHERE n.code = $1 AND (r.status = $2 OR $2 = '') LIMIT 1",
    )
    .bind(code)
    .bind(status)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

async fn one(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db().await).await.unwrap()
}

async fn payment(app: &TestApp, department: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT p.id FROM funding_payments p JOIN admission_applications a ON a.id = p.application_id
         JOIN departments d ON d.id = a.department_id WHERE d.code = $1 LIMIT 1",
    )
    .bind(department)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

async fn resident_in(app: &TestApp, grid_code: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes n ON n.id = r.org_node_id WHERE n.code = $1 LIMIT 1",
    )
    .bind(grid_code)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

fn allowed(access: Access, role: Role) -> bool {
    match access {
        Access::Public | Access::SignedIn => true,
        Access::Roles(roles) => roles.contains(&role),
    }
}

fn passed_access(status: StatusCode) -> bool {
    !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
        && !status.is_server_error()
}

#[tokio::test]
async fn every_route_by_every_role_and_scope() {
    let app = TestApp::new().await;
    let mut sessions: HashMap<Role, Session> = HashMap::new();
    for (role, username) in ACTORS {
        sessions.insert(role, app.login(username).await);
    }
    let matrix = matrix();
    let xf_resident = resident_in(&app, "DX-CD-XF-02").await.to_string();
    let mut checked = 0;
    for route in api_routes() {
        let row = matrix
            .iter()
            .find(|r| r.method == route.method && r.path == route.path)
            .unwrap_or_else(|| panic!("{} {} is not in the authorisation matrix", route.method, route.path));

        // Anonymous.
        if route.access != Access::Public {
            let uri = format!("/api{}", row.path.replace("{id}", "1").replace("{seq}", "1").replace("{resident}", "1"));
            let r = app.send(row.method.clone(), &uri, row.body.clone(), None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "anonymous {} {uri}: {}", row.method, r.body);
        }

        for (role, username) in ACTORS {
            let session = if row.path == "/auth/logout" {
                // Logging out would end the shared session: use a fresh one.
                app.login(username).await
            } else {
                sessions[&role].clone()
            };
            let scopes = match row.target {
                Some(t) => {
                    let t = targets(&app, username, t).await;
                    vec![("own", Some(t.own)), ("sibling", t.sibling), ("parent", t.parent)]
                }
                None => vec![("none", Some(0))],
            };
            for (scope, id) in scopes {
                let Some(id) = id else { continue };
                let uri = format!(
                    "/api{}",
                    row.path.replace("{id}", &id.to_string()).replace("{seq}", "1").replace("{resident}", &xf_resident)
                );
                let r = app.send(row.method.clone(), &uri, row.body.clone(), Some(&session)).await;
                let ctx = format!("{role:?} ({username}) {} {uri} [{scope}]: {} {}", row.method, r.status, r.body);
                if route.access == Access::Public {
                    // (Login with an empty body answers 401 login_failed: that is
                    // the credentials speaking, not access control.)
                    assert!(!r.status.is_server_error(), "{ctx}");
                } else if !allowed(route.access, role) {
                    assert_eq!(r.status, StatusCode::FORBIDDEN, "{ctx}");
                    assert_eq!(r.body["code"], "forbidden", "{ctx}");
                } else if CITY_ONLY.contains(&row.path) {
                    // The district's administrator is refused by level; the city's passes.
                    assert_eq!(r.status, StatusCode::FORBIDDEN, "{ctx}");
                    assert_eq!(r.body["code"], "seal_catalog_city_only", "{ctx}");
                    let city = app.login("sysadmin").await;
                    let r = app.send(row.method.clone(), &uri, row.body.clone(), Some(&city)).await;
                    assert!(passed_access(r.status), "sysadmin (city) {} {uri}: {} {}", row.method, r.status, r.body);
                } else if matches!(scope, "sibling" | "parent") {
                    assert_eq!(r.status, StatusCode::NOT_FOUND, "{ctx}");
                    assert_eq!(r.body["code"], "not_found", "{ctx}");
                } else {
                    assert!(passed_access(r.status), "{ctx}");
                }
                checked += 1;
            }
        }
        // Undo the one state change the matrix makes on purpose.
        if row.path == "/accounts/{id}/disable" {
            let id = app.account_id("gridmember.hp").await;
            let r = app.post_as(&sessions[&Role::SystemAdmin], &format!("/api/accounts/{id}/enable"), json!({})).await;
            assert_eq!(r.status, StatusCode::OK);
        }
    }
    assert!(checked > 250, "only {checked} cases checked");
}

#[tokio::test]
async fn refusals_are_audited() {
    let app = TestApp::new().await;
    let finance = app.login("finance").await;
    assert_eq!(app.get_as(&finance, "/api/accounts").await.status, StatusCode::FORBIDDEN);
    let reviewer = app.login("reviewer.dx").await;
    let zx_resident = resident_in(&app, "ZX-HC-DM-01").await;
    assert_eq!(app.get_as(&reviewer, &format!("/api/residents/{zx_resident}")).await.status, StatusCode::NOT_FOUND);
    let denied: Vec<(String, String, String)> =
        sqlx::query_as("SELECT actor, action, detail FROM audit_log WHERE outcome = 'denied' ORDER BY seq")
            .fetch_all(&app.db().await)
            .await
            .unwrap();
    assert_eq!(denied.len(), 2);
    assert_eq!((denied[0].0.as_str(), denied[0].1.as_str()), ("finance", "account.list"));
    assert!(denied[0].2.contains("role"));
    assert_eq!((denied[1].0.as_str(), denied[1].1.as_str()), ("reviewer.dx", "resident.read"));
    assert!(denied[1].2.contains("scope"));
}

#[tokio::test]
async fn lists_show_only_the_callers_subtree() {
    let app = TestApp::new().await;
    let sys_dx = app.login("sysadmin.dx").await;
    let accounts = app.get_as(&sys_dx, "/api/accounts").await.body;
    let names: Vec<&str> = accounts.as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert!(names.contains(&"gridmember") && names.contains(&"reviewer.dx"));
    assert!(!names.contains(&"reviewer.zx") && !names.contains(&"sysadmin"), "{names:?}");

    let grid = app.login("gridmember").await;
    let tree = app.get_as(&grid, "/api/org/tree").await.body;
    assert_eq!(tree.as_array().unwrap().len(), 1, "a grid member sees only their grid");
    let residents = app.get_as(&grid, "/api/residents").await.body;
    assert!(residents.as_array().unwrap().iter().all(|r| r["org_node_name"] == "幸福社区第一网格"));

    let reviewer_dx = app.login("reviewer.dx").await;
    let residents = app.get_as(&reviewer_dx, "/api/residents").await.body;
    assert!(residents.as_array().unwrap().iter().all(|r| !r["org_node_name"].as_str().unwrap().starts_with("东门")));
    assert!(!residents.as_array().unwrap().is_empty());
}

/// The dimension the matrix above lacked: the *target* account's role. Every
/// account route that acts on an account by id, taken by the city's system
/// administrator (who sees every account), on one account of each role: the
/// three administrators' accounts are refused (403), every other role's is
/// reached.
#[tokio::test]
async fn account_routes_by_the_target_accounts_role() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let account_routes: Vec<&'static str> = api_routes()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path.starts_with("/accounts/{id}/"))
        .map(|r| r.path)
        .collect();
    assert_eq!(account_routes.len(), 3, "{account_routes:?}");
    let mut checked = 0;
    for (role, username) in ACTORS {
        let target = if role == Role::SystemAdmin { "sysadmin" } else { username };
        let id = app.account_id(target).await;
        for path in &account_routes {
            // Bodies that would be refused by validation if access passed: nothing changes.
            let body = if path.ends_with("reset-password") { json!({ "password": "x" }) } else { json!({}) };
            let uri = format!("/api{}", path.replace("{id}", &id.to_string()));
            let r = app.post_as(&admin, &uri, body).await;
            if role.is_admin() {
                assert_eq!(
                    (r.status, r.body["code"].as_str()),
                    (StatusCode::FORBIDDEN, Some("admin_account_protected")),
                    "{uri} on {target}"
                );
            } else {
                assert!(
                    ![StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&r.status),
                    "{uri} on {target}: {}",
                    r.status
                );
            }
            checked += 1;
        }
        // Put back what enable/disable changed.
        if !role.is_admin() {
            app.post_as(&admin, &format!("/api/accounts/{id}/enable"), json!({})).await;
        }
    }
    assert_eq!(checked, 30);
}
