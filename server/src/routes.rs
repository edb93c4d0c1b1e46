//! Every API route in one table. The router, the OpenAPI check and (later)
//! the authorisation matrix are all driven from [`api_routes`], so a route
//! cannot exist without being listed.

use std::path::Path;

use axum::http::Method;
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::api::{
    accounts, admission, audit, auth, calendar, cleanup, consultation, disclosure, events, facilities, funding, grid,
    grid_import, open311, open311_keys, org, participation, poll, property, purchase, residents, review, seal,
    seal_catalog, security, system, visits,
};
use crate::headers::SecurityHeaders;
use crate::spa;
use crate::state::AppState;

/// Who may call a route. The handler enforces it; this label is what the
/// authorisation test matrix and the OpenAPI document are checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No session needed.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Signed-in accounts of these roles.
    Roles(&'static [gongzhi_domain::Role]),
}

/// One API route: method, path under `/api`, who may call it, handler.
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> ApiRoute {
    ApiRoute { method, path, access, handler }
}

/// All API routes.
pub fn api_routes() -> Vec<ApiRoute> {
    use gongzhi_domain::admission::AdmissionAction::*;
    use gongzhi_domain::Role::*;
    use Access::*;
    vec![
        route(Method::GET, "/health", Public, get(system::health)),
        route(Method::GET, "/openapi.json", Public, get(system::openapi)),
        route(Method::GET, "/calendar/due", Public, get(calendar::due)),
        route(Method::GET, "/calendar/schedules", Public, get(calendar::schedules)),
        route(
            Method::POST,
            "/calendar/schedules",
            Roles(calendar::UPLOADERS),
            post(calendar::upload).layer(axum::extract::DefaultBodyLimit::max(1024 * 1024)),
        ),
        route(Method::POST, "/auth/login", Public, post(auth::login)),
        route(Method::POST, "/auth/logout", SignedIn, post(auth::logout)),
        route(Method::GET, "/auth/me", SignedIn, get(auth::me)),
        route(Method::POST, "/auth/password", SignedIn, post(auth::change_password)),
        route(Method::POST, "/auth/totp/enrol", SignedIn, post(crate::auth::totp::enrol)),
        route(Method::POST, "/auth/totp/confirm", SignedIn, post(crate::auth::totp::confirm)),
        route(Method::POST, "/auth/totp/verify", SignedIn, post(crate::auth::totp::verify)),
        route(Method::GET, "/org/tree", SignedIn, get(org::tree)),
        route(Method::POST, "/org/nodes", Roles(&[SystemAdmin]), post(org::create_node)),
        route(Method::GET, "/org/nodes/{id}", SignedIn, get(org::node)),
        route(Method::GET, "/departments", SignedIn, get(org::departments)),
        route(Method::POST, "/departments", Roles(&[SystemAdmin]), post(org::create_department)),
        route(Method::GET, "/accounts", Roles(&[SystemAdmin]), get(accounts::list)),
        route(Method::POST, "/accounts", Roles(&[SystemAdmin]), post(accounts::create)),
        route(Method::GET, "/accounts/{id}", Roles(&[SystemAdmin]), get(accounts::get)),
        route(Method::POST, "/accounts/{id}/disable", Roles(&[SystemAdmin]), post(accounts::disable)),
        route(Method::POST, "/accounts/{id}/enable", Roles(&[SystemAdmin]), post(accounts::enable)),
        route(Method::POST, "/accounts/{id}/reset-password", Roles(&[SystemAdmin]), post(accounts::reset_password)),
        route(Method::GET, "/security/policy", Roles(&[SecurityAdmin]), get(security::get)),
        route(Method::PUT, "/security/policy", Roles(&[SecurityAdmin]), put(security::put)),
        route(Method::GET, "/audit", Roles(&[AuditAdmin]), get(audit::list)),
        route(Method::GET, "/audit/verify", Roles(&[AuditAdmin]), get(audit::verify)),
        route(Method::GET, "/audit/export", Roles(&[AuditAdmin]), get(audit::export)),
        route(Method::GET, "/audit/checkpoint", Roles(&[AuditAdmin]), get(audit::checkpoint)),
        route(Method::GET, "/residents", Roles(&[GridMember, Reviewer]), get(residents::list)),
        route(Method::GET, "/residents/{id}", Roles(&[GridMember, Reviewer]), get(residents::get)),
        route(Method::GET, "/seal/catalog", Public, get(seal::catalog)),
        route(Method::POST, "/seal/evaluate", Public, post(seal::evaluate)),
        route(Method::GET, "/seal/catalog/editions", Roles(seal_catalog::KEEPERS), get(seal_catalog::list)),
        route(
            Method::POST,
            "/seal/catalog/editions",
            Roles(seal_catalog::KEEPERS),
            post(seal_catalog::load)
                .layer(axum::extract::DefaultBodyLimit::max(gongzhi_domain::seal::MAX_LAYER_BYTES + 1024)),
        ),
        route(
            Method::POST,
            "/seal/catalog/city-matters",
            Roles(seal_catalog::KEEPERS),
            post(seal_catalog::city_matter),
        ),
        route(Method::GET, "/seal/uncatalogued", Roles(seal_catalog::KEEPERS), get(seal_catalog::uncatalogued)),
        route(Method::GET, "/seal/requests", Roles(&[GridMember, CommunityLeader]), get(seal::list)),
        route(Method::POST, "/seal/requests", Roles(&[GridMember]), post(seal::create)),
        route(Method::GET, "/seal/requests/{id}", Roles(&[GridMember, CommunityLeader]), get(seal::get)),
        route(Method::POST, "/seal/requests/{id}/review", Roles(&[GridMember]), post(seal::review)),
        route(Method::POST, "/seal/requests/{id}/approve", Roles(&[CommunityLeader]), post(seal::approve)),
        route(Method::POST, "/seal/requests/{id}/refuse", Roles(&[GridMember, CommunityLeader]), post(seal::refuse)),
        route(Method::POST, "/seal/requests/{id}/stamp", Roles(&[GridMember]), post(seal::stamp)),
        route(Method::GET, "/seal/register", Roles(&[GridMember, CommunityLeader]), get(seal::register)),
        route(Method::GET, "/seal/register/verify", Roles(&[GridMember, CommunityLeader]), get(seal::verify_register)),
        route(Method::GET, "/seal/register/export", Roles(&[GridMember, CommunityLeader]), get(seal::export_register)),
        route(Method::POST, "/seal/register/{seq}/corrections", Roles(&[CommunityLeader]), post(seal::correct)),
        route(Method::GET, "/admission/meta", Roles(admission::READERS), get(admission::after::meta)),
        route(Method::GET, "/admission/catalog", Public, get(admission::after::catalog)),
        route(Method::GET, "/admission/applications", Roles(admission::READERS), get(admission::files::list)),
        route(Method::POST, "/admission/applications", Roles(Submit.roles()), post(admission::files::create)),
        route(Method::POST, "/admission/paper", Roles(Accept.roles()), post(admission::files::paper)),
        route(Method::GET, "/admission/applications/{id}", Roles(admission::READERS), get(admission::files::get)),
        route(
            Method::POST,
            "/admission/applications/{id}/resubmit",
            Roles(Resubmit.roles()),
            post(admission::files::resubmit),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/withdraw",
            Roles(Withdraw.roles()),
            post(admission::files::withdraw),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/accept",
            Roles(Accept.roles()),
            post(admission::review::accept),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/return",
            Roles(Return.roles()),
            post(admission::review::return_for_completion),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/consult",
            Roles(Consult.roles()),
            post(admission::review::consult),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/opinions",
            Roles(RecordOpinion.roles()),
            post(admission::review::opinion),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/solicit",
            Roles(Solicit.roles()),
            post(admission::review::solicit),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/solicited",
            Roles(RecordSolicited.roles()),
            post(admission::review::solicited),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/send-to-group",
            Roles(SendToGroup.roles()),
            post(admission::review::send_to_group),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/approve",
            Roles(Approve.roles()),
            post(admission::review::approve),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/reject",
            Roles(Reject.roles()),
            post(admission::review::reject),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/extend",
            Roles(Extend.roles()),
            post(admission::review::extend),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/deliver",
            Roles(Deliver.roles()),
            post(admission::review::deliver),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/guides",
            Roles(Submit.roles()),
            post(admission::after::add_guide),
        ),
        route(
            Method::POST,
            "/admission/applications/{id}/trainings",
            Roles(Submit.roles()),
            post(admission::after::add_training),
        ),
        route(Method::GET, "/funding/ledger", Roles(funding::READERS), get(funding::list)),
        route(Method::GET, "/funding/ledger/export", Roles(funding::READERS), get(funding::export)),
        route(Method::GET, "/funding/summary", Roles(funding::WATCHERS), get(funding::summary)),
        route(Method::GET, "/funding/summary/export", Roles(funding::WATCHERS), get(funding::export_summary)),
        route(Method::GET, "/funding/payments", Roles(funding::READERS), get(funding::payments)),
        route(Method::POST, "/funding/payments", Roles(funding::PAYERS), post(funding::record)),
        route(Method::POST, "/funding/payments/{id}/correct", Roles(funding::PAYERS), post(funding::correct)),
        route(Method::GET, "/facilities", Roles(facilities::READERS), get(facilities::dashboard)),
        route(Method::GET, "/facilities/export.xlsx", Roles(facilities::READERS), get(facilities::export)),
        route(Method::POST, "/facilities/projects", Roles(facilities::REGISTRARS), post(facilities::create_project)),
        route(Method::GET, "/facilities/projects/{id}", Roles(facilities::READERS), get(facilities::get_project)),
        route(Method::POST, "/facilities/projects/{id}/sign-offs", Roles(facilities::READERS), post(facilities::sign)),
        route(Method::GET, "/facilities/communities/{id}", Roles(facilities::READERS), get(facilities::get_community)),
        route(
            Method::POST,
            "/facilities/communities/{id}/rooms",
            Roles(facilities::KEEPERS),
            post(facilities::add_room),
        ),
        route(
            Method::POST,
            "/facilities/communities/{id}/remedies",
            Roles(facilities::KEEPERS),
            post(facilities::add_remedy),
        ),
        route(
            Method::POST,
            "/facilities/remedies/{id}/advance",
            Roles(facilities::KEEPERS),
            post(facilities::advance_remedy),
        ),
        route(Method::GET, "/facilities/standards", Roles(facilities::STANDARD_READERS), get(facilities::standards)),
        route(
            Method::POST,
            "/facilities/standards",
            Roles(facilities::STANDARD_KEEPERS),
            post(facilities::add_standard),
        ),
        route(Method::GET, "/participation/rounds", Roles(participation::READERS), get(participation::list)),
        route(Method::POST, "/participation/rounds", Roles(participation::MANAGERS), post(participation::create)),
        route(Method::GET, "/participation/rounds/{id}", Roles(participation::READERS), get(participation::get)),
        route(
            Method::POST,
            "/participation/rounds/{id}/advance",
            Roles(participation::MANAGERS),
            post(participation::advance),
        ),
        route(
            Method::POST,
            "/participation/rounds/{id}/proposals",
            Roles(participation::PROPOSERS),
            post(participation::propose),
        ),
        route(
            Method::POST,
            "/participation/proposals/{id}/screen",
            Roles(participation::MANAGERS),
            post(participation::screen),
        ),
        route(
            Method::POST,
            "/participation/proposals/{id}/merge",
            Roles(participation::MANAGERS),
            post(participation::merge),
        ),
        route(
            Method::POST,
            "/participation/rounds/{id}/ballots",
            Roles(participation::VOTERS),
            post(participation::vote),
        ),
        route(
            Method::GET,
            "/participation/rounds/{id}/voters/{resident}",
            Roles(participation::CLERKS),
            get(participation::lookup),
        ),
        route(
            Method::POST,
            "/participation/rounds/{id}/paper",
            Roles(participation::CLERKS),
            post(participation::paper),
        ),
        route(
            Method::GET,
            "/participation/rounds/{id}/paper",
            Roles(participation::CLERKS),
            get(participation::paper_list),
        ),
        route(Method::GET, "/participation/rounds/{id}/recount", Public, get(participation::recount)),
        route(
            Method::POST,
            "/participation/deliveries/{id}/progress",
            Roles(participation::DELIVERERS),
            post(participation::progress),
        ),
        route(
            Method::POST,
            "/participation/deliveries/{id}/milestones",
            Roles(participation::DELIVERERS),
            post(participation::milestone),
        ),
        route(
            Method::POST,
            "/participation/deliveries/{id}/ratings",
            Roles(participation::RATERS),
            post(participation::rate),
        ),
        route(Method::GET, "/consultation/matters", Roles(consultation::READERS), get(consultation::list)),
        route(Method::POST, "/consultation/matters", Roles(consultation::RAISERS), post(consultation::raise)),
        route(Method::GET, "/consultation/matters/{id}", Roles(consultation::READERS), get(consultation::get)),
        route(
            Method::POST,
            "/consultation/matters/{id}/cosign",
            Roles(consultation::COSIGNERS),
            post(consultation::cosign),
        ),
        route(
            Method::POST,
            "/consultation/matters/{id}/meetings",
            Roles(consultation::MANAGERS),
            post(consultation::plan),
        ),
        route(
            Method::POST,
            "/consultation/meetings/{id}/attendance",
            Roles(consultation::DOOR),
            post(consultation::attend),
        ),
        route(
            Method::POST,
            "/consultation/meetings/{id}/record",
            Roles(consultation::MANAGERS),
            post(consultation::record),
        ),
        route(
            Method::POST,
            "/consultation/follow-ups/{id}/done",
            Roles(consultation::MANAGERS),
            post(consultation::done),
        ),
        route(
            Method::POST,
            "/consultation/follow-ups/{id}/publish",
            Roles(consultation::MANAGERS),
            post(consultation::publish),
        ),
        route(Method::GET, "/consultation/settings", Roles(consultation::MANAGERS), get(consultation::settings)),
        route(Method::PUT, "/consultation/settings", Roles(consultation::MANAGERS), put(consultation::set_settings)),
        route(Method::GET, "/disclosure/communities", Public, get(disclosure::communities)),
        route(Method::GET, "/disclosure/communities/{id}", Public, get(disclosure::get)),
        route(Method::GET, "/disclosure/mine", Roles(disclosure::MEMBERS), get(disclosure::mine)),
        route(Method::POST, "/disclosure/directory/defaults", Roles(disclosure::MANAGERS), post(disclosure::adopt)),
        route(Method::POST, "/disclosure/items", Roles(disclosure::MANAGERS), post(disclosure::add_item)),
        route(Method::GET, "/disclosure/items/{id}/figures", Roles(disclosure::MANAGERS), get(disclosure::figures)),
        route(Method::POST, "/disclosure/publications", Roles(disclosure::MANAGERS), post(disclosure::publish)),
        route(
            Method::POST,
            "/disclosure/publications/{id}/questions",
            Roles(disclosure::ASKERS),
            post(disclosure::ask),
        ),
        route(Method::POST, "/disclosure/questions/{id}/answer", Roles(disclosure::MANAGERS), post(disclosure::answer)),
        route(Method::GET, "/reviews", Roles(review::READERS), get(review::list)),
        route(Method::POST, "/reviews", Roles(review::MANAGERS), post(review::create)),
        route(Method::GET, "/reviews/{id}", Roles(review::READERS), get(review::get)),
        route(Method::POST, "/reviews/{id}/ballots", Roles(review::RATERS), post(review::rate)),
        route(Method::POST, "/reviews/{id}/paper", Roles(review::CLERKS), post(review::paper)),
        route(Method::POST, "/reviews/{id}/forms", Roles(review::MANAGERS), post(review::count_forms)),
        route(Method::POST, "/reviews/{id}/publish", Roles(review::MANAGERS), post(review::publish)),
        route(Method::GET, "/polls", Roles(poll::READERS), get(poll::list)),
        route(Method::POST, "/polls", Roles(poll::MANAGERS), post(poll::create)),
        route(Method::GET, "/polls/{id}", Roles(poll::READERS), get(poll::get)),
        route(Method::POST, "/polls/{id}/responses", Roles(poll::ANSWERERS), post(poll::answer)),
        route(Method::POST, "/polls/{id}/entries", Roles(poll::CLERKS), post(poll::enter)),
        route(Method::GET, "/polls/{id}/asked", Roles(poll::CLERKS), get(poll::asked)),
        route(Method::POST, "/polls/{id}/close", Roles(poll::MANAGERS), post(poll::close)),
        route(Method::GET, "/polls/{id}/export", Roles(poll::STAFF), get(poll::export)),
        route(Method::GET, "/property/companies", Roles(property::READERS), get(property::list)),
        route(
            Method::POST,
            "/property/companies",
            Roles(property::MANAGERS),
            post(property::create).layer(property_limit()),
        ),
        route(Method::GET, "/property/companies/{id}", Roles(property::READERS), get(property::get)),
        route(
            Method::PUT,
            "/property/companies/{id}",
            Roles(property::MANAGERS),
            put(property::update).layer(property_limit()),
        ),
        route(
            Method::POST,
            "/property/companies/{id}/estates",
            Roles(property::MANAGERS),
            post(property::add_estate).layer(property_limit()),
        ),
        route(
            Method::PUT,
            "/property/estates/{id}",
            Roles(property::MANAGERS),
            put(property::update_estate).layer(property_limit()),
        ),
        route(
            Method::POST,
            "/property/companies/{id}/complaints",
            Roles(property::LINKERS),
            post(property::link_complaint).layer(property_limit()),
        ),
        route(
            Method::POST,
            "/property/companies/{id}/ratings",
            Roles(property::MANAGERS),
            post(property::open_rating).layer(property_limit()),
        ),
        route(Method::GET, "/purchases", Public, get(purchase::list)),
        route(Method::POST, "/purchases", Roles(purchase::BUYERS), post(purchase::create)),
        route(Method::POST, "/purchases/{id}/acceptance", Roles(purchase::BUYERS), post(purchase::accept)),
        route(Method::GET, "/cleanup/entries", Roles(cleanup::READERS), get(cleanup::entries)),
        route(Method::POST, "/cleanup/entries", Roles(cleanup::READERS), post(cleanup::add_entry)),
        route(Method::GET, "/cleanup/campaigns", Roles(cleanup::READERS), get(cleanup::campaigns)),
        route(Method::POST, "/cleanup/campaigns", Roles(cleanup::REVIEWERS), post(cleanup::start)),
        route(Method::POST, "/cleanup/campaigns/{id}/reviews", Roles(cleanup::REVIEWERS), post(cleanup::review)),
        route(Method::POST, "/cleanup/campaigns/{id}/close", Roles(cleanup::REVIEWERS), post(cleanup::close)),
        route(Method::GET, "/grids", Roles(grid::READERS), get(grid::list)),
        route(Method::GET, "/grids/locate", Roles(grid::READERS), get(grid::locate)),
        route(
            Method::GET,
            "/grids/coverage",
            Roles(&[GridMember, CommunityLeader, Reviewer, SystemAdmin]),
            get(grid::coverage),
        ),
        route(Method::GET, "/grids/{id}/map", Roles(grid::READERS), get(grid::map)),
        route(Method::GET, "/grids/{id}/visits", Roles(grid::READERS), get(visits::recent)),
        route(
            Method::POST,
            "/grids/import",
            Roles(grid_import::IMPORTERS),
            post(grid_import::boundaries).layer(import_limit()),
        ),
        route(
            Method::POST,
            "/households/import",
            Roles(grid_import::IMPORTERS),
            post(grid_import::households).layer(import_limit()),
        ),
        route(
            Method::GET,
            "/households/import/jobs/{id}",
            Roles(grid_import::IMPORTERS),
            get(grid_import::household_job),
        ),
        route(Method::POST, "/visits", Roles(visits::RECORDERS), post(visits::create)),
        route(Method::GET, "/events/categories", SignedIn, get(events::categories)),
        route(Method::GET, "/events/nearby", Roles(events::REPORTERS), get(events::nearby)),
        route(Method::GET, "/events", Roles(events::READERS), get(events::list)),
        route(Method::POST, "/events", Roles(events::REPORTERS), post(events::create)),
        route(Method::GET, "/events/{id}", Roles(events::READERS), get(events::get)),
        route(Method::POST, "/events/{id}/actions", Roles(events::READERS), post(events::act)),
        route(Method::GET, "/open311-keys", Roles(open311_keys::ADMINS), get(open311_keys::list)),
        route(Method::POST, "/open311-keys", Roles(open311_keys::ADMINS), post(open311_keys::issue)),
        route(Method::POST, "/open311-keys/{id}/revoke", Roles(open311_keys::ADMINS), post(open311_keys::revoke)),
    ]
}

/// Where the Open311 GeoReport v2 interface is mounted.
pub const OPEN311_PREFIX: &str = "/open311/v2";

/// The Open311 GeoReport v2 routes, under [`OPEN311_PREFIX`]. All are
/// public as far as sessions go: reads need nothing, a post needs an API key
/// (checked by the handler, not a session role). `{file}` is the id (or
/// code, or token) with its `.json` or `.xml` ending.
pub fn open311_routes() -> Vec<ApiRoute> {
    use Access::*;
    vec![
        route(Method::GET, "/services.json", Public, get(open311::services_json)),
        route(Method::GET, "/services.xml", Public, get(open311::services_xml)),
        route(Method::GET, "/services/{file}", Public, get(open311::service)),
        route(Method::GET, "/requests.json", Public, get(open311::requests_json)),
        route(Method::POST, "/requests.json", Public, post(open311::post_json)),
        route(Method::GET, "/requests.xml", Public, get(open311::requests_xml)),
        route(Method::POST, "/requests.xml", Public, post(open311::post_xml)),
        route(Method::GET, "/requests/{file}", Public, get(open311::request)),
        route(Method::GET, "/tokens/{file}", Public, get(open311::token)),
    ]
}

/// The property forms are small: a rating's report (10,000 characters) is the largest.
fn property_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(64 * 1024)
}

/// Imports may be larger than the default body limit.
fn import_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(grid_import::MAX_IMPORT_BYTES + 1024)
}

/// Every API answer names the calendar in force (`X-Gongzhi-Calendar`), so a
/// browser holding another version fetches the schedules again.
async fn calendar_version(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    if let Ok(value) = axum::http::HeaderValue::from_str(&state.calendar().version) {
        response.headers_mut().insert(gongzhi_api::CALENDAR_VERSION_HEADER, value);
    }
    response
}

/// The whole application: `/api/*` and the browser app for everything else.
pub fn router(state: AppState, dist_dir: &Path) -> Router {
    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |r, route| r.route(route.path, route.handler))
        .fallback(system::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), calendar_version));
    let open311 = open311_routes()
        .into_iter()
        .fold(Router::new(), |r, route| r.route(route.path, route.handler))
        .fallback(open311::not_found);
    let headers = SecurityHeaders::new(&spa::inline_script_hashes(dist_dir), state.secure_cookies);
    Router::new()
        .nest("/api", api)
        .nest(OPEN311_PREFIX, open311)
        .fallback_service(spa::service(dist_dir))
        .layer(axum::middleware::from_fn(move |req, next| headers.clone().apply(req, next)))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
