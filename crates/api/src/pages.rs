//! **Every page of the browser app in one table**, the way
//! `server/src/routes.rs` is for the API: its path, the bundle that carries it
//! (each page is a lazy route there, its own wasm chunk) and the menu entry
//! that opens it. The rest is derived from it:
//! - the server sends the tablet bundle's `index.html` for the tablet's paths
//!   and the residents' bundle's for theirs ([`bundle_of`]), the office one
//!   for every other page;
//! - the service worker's list of street paths (`scripts/build-app.sh` asks
//!   `gongzhi-pages field-prefixes`);
//! - the navigation: a menu slug's title and path ([`section`]), where a
//!   capability's pages start ([`capability_path`]);
//! - the routes in `app/src/app.rs`, `field.rs` and `resident.rs`: Leptos needs them
//!   written as `<Route path=path!(…)>`, so a test here reads the three files and
//!   fails when they differ from this table.

/// The bundle that carries a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// The office bundle (`app/src/app.rs`, served from `/`).
    Office,
    /// The tablet bundle (`app/src/field.rs`, served from `/field/`, kept
    /// offline by the service worker): the street pages.
    Field,
    /// The residents' bundle (`app/src/resident.rs`, served from
    /// `/resident/`): the pages residents open on a phone, and the staff
    /// pages of the same work (a route type costs its bundle's every first
    /// load, and the office's `/` has no room left; a resident never loads
    /// the office's pages).
    Resident,
    /// Every bundle carries it (sign-in, the password page): the server sends
    /// the office bundle; the tablet's own copy opens it offline, and a
    /// resident signs in without loading another bundle.
    Every,
}

impl Bundle {
    /// The bundles a build makes, each with its own route file.
    pub const BUILT: [Bundle; 3] = [Bundle::Office, Bundle::Field, Bundle::Resident];

    /// Whether this bundle carries a page of `page`'s bundle.
    pub fn carries(self, page: Bundle) -> bool {
        page == self || page == Bundle::Every
    }
}

/// One page.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    /// The route, as `leptos_router`'s `path!` writes it (`:id` a parameter).
    pub path: &'static str,
    pub bundle: Bundle,
    /// The lazy route type in the bundle's route file (`lazy_pages!`).
    pub route: &'static str,
    /// The menu entry (a role's menu slug, `gongzhi_domain::org::Role`) that
    /// opens this page.
    pub menu: Menu,
}

/// How the navigation reaches a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// From other pages only.
    None,
    /// The first page of a capability of the work plan ([`CAPABILITIES`]).
    Capability(&'static str),
    /// A work section of running the system: (slug, title).
    Section(&'static str, &'static str),
}

const fn page(path: &'static str, bundle: Bundle, route: &'static str) -> Page {
    Page { path, bundle, route, menu: Menu::None }
}

const fn capability(path: &'static str, bundle: Bundle, route: &'static str, slug: &'static str) -> Page {
    Page { path, bundle, route, menu: Menu::Capability(slug) }
}

const fn menu(
    path: &'static str,
    bundle: Bundle,
    route: &'static str,
    slug: &'static str,
    title: &'static str,
) -> Page {
    Page { path, bundle, route, menu: Menu::Section(slug, title) }
}

use Bundle::{Every, Field, Office, Resident};

pub const PAGES: &[Page] = &[
    page("/", Office, "Home"),
    menu("/calendar", Office, "Calendar", "calendar", "工作日计算"),
    page("/login", Every, "Login"),
    page("/password", Every, "Password"),
    menu("/accounts", Office, "Accounts", "accounts", "账号管理"),
    menu("/org", Office, "Org", "org", "组织架构"),
    menu("/security", Office, "Security", "security", "安全策略"),
    menu("/audit", Office, "Audit", "audit", "审计日志"),
    // The city's administrator keeps it in the office; the seal's street
    // pages read what it holds (an office route costs the office pages less
    // than a tablet route costs the grid walk: measured).
    menu("/seal-catalog", Office, "SealCatalog", "seal-catalog", "证明事项目录"),
    menu("/open311-keys", Office, "ApiKeys", "open311-keys", "外部系统接口"),
    capability("/admission", Office, "Admission", "admission"),
    // One route type for the form, the file and its print (as for the
    // facilities pages below): each route type costs every first load.
    page("/admission/new", Office, "AdmissionPages"),
    page("/admission/paper", Office, "AdmissionPages"),
    page("/admission/catalog", Office, "AdmissionCatalog"),
    page("/admission/:id", Office, "AdmissionPages"),
    page("/admission/:id/edit", Office, "AdmissionPages"),
    page("/admission/:id/print", Office, "AdmissionPages"),
    capability("/funding", Office, "Funding", "funding"),
    menu("/cleanup", Office, "Cleanup", "cleanup", "清理减负"),
    menu("/purchases", Office, "Purchases", "purchases", "购买服务"),
    // One route type for the five facilities pages: each route type costs
    // every first load (about 0.35 KB br of router code in the main module
    // and the loader's entry, measured), and / had 0.7 KB left.
    capability("/facilities", Office, "Facilities", "facilities"),
    page("/facilities/new", Office, "Facilities"),
    page("/facilities/projects/:id", Office, "Facilities"),
    page("/facilities/communities/:id", Office, "Facilities"),
    menu("/facilities/standards", Office, "Facilities", "facility-standards", "设施配置标准"),
    page("/m/:slug", Office, "Capability"),
    capability("/seal", Field, "Seal", "seal"),
    page("/seal/register", Field, "SealRegister"),
    page("/seal/requests/:id", Field, "SealRequest"),
    menu("/residents", Field, "Residents", "residents", "居民信息"),
    capability("/grid", Field, "GridList", "grid"),
    menu("/grid/import", Field, "GridImport", "grid-import", "网格数据导入"),
    page("/grid/:id", Field, "GridWalk"),
    menu("/events", Field, "Events", "events", "事件处置"),
    page("/events/:id", Field, "Event"),
    // The residents' pages: a route type each for the pages a resident opens
    // (the first load of each carries only its own code); the staff pages of
    // a round share one (`ParticipationStaffPages` picks the page by path).
    capability("/participation", Resident, "Participation", "participation"),
    page("/participation/rounds/:id", Resident, "ParticipationRound"),
    page("/participation/rounds/:id/propose", Resident, "ParticipationPropose"),
    page("/participation/rounds/:id/ballot", Resident, "ParticipationBallot"),
    page("/participation/new", Resident, "ParticipationStaff"),
    page("/participation/rounds/:id/screening", Resident, "ParticipationStaff"),
    page("/participation/rounds/:id/paper", Resident, "ParticipationStaff"),
    page("/participation/rounds/:id/delivery", Resident, "ParticipationStaff"),
    // 居民自治 — 协商议事, 居务公开 (a community's board, open without
    // signing in) and 民主评议: one route type for all their pages
    // (`SelfGovernmentPages` picks the page by path): each route type costs
    // every first load of the residents' bundle.
    capability("/self-government", Resident, "SelfGovernment", "self-government"),
    page("/self-government/new", Resident, "SelfGovernment"),
    page("/self-government/matters/:id", Resident, "SelfGovernment"),
    page("/self-government/disclosure", Resident, "SelfGovernment"),
    page("/self-government/disclosure/:id", Resident, "SelfGovernment"),
    page("/self-government/reviews", Resident, "SelfGovernment"),
    page("/self-government/reviews/new", Resident, "SelfGovernment"),
    page("/self-government/reviews/:id", Resident, "SelfGovernment"),
    page("/self-government/property", Resident, "SelfGovernment"),
    page("/self-government/property/new", Resident, "SelfGovernment"),
    page("/self-government/property/:id", Resident, "SelfGovernment"),
];

/// The pages whose first visit has a budget (`scripts/bundle-size.sh`): the
/// office's home, the reviewer's queue, the grid walk, a resident's round
/// list and round (what a poster's QR code opens). Code that
/// several pages share is grouped by the first page of [`split_order`] that
/// uses it, so these load their own chunk and one shared chunk each.
pub const FIRST_LOADS: &[&str] = &["/", "/admission", "/grid/:id", "/participation", "/participation/rounds/:id"];

/// The order in which `wasm-split-cli --shared-order` groups a bundle's
/// shared code (`tools/wasm-split-cli/GONGZHI.md`): the bundle's pages of
/// [`FIRST_LOADS`]; the splitter puts the others after them, from the page
/// that reaches the least code to the one that reaches the most. Each is the
/// prefix of the page's split name (`GridWalk` → `__grid_walk_view_`).
pub fn split_order(bundle: Bundle) -> Vec<String> {
    FIRST_LOADS
        .iter()
        .filter_map(|path| PAGES.iter().find(|p| p.path == *path && bundle.carries(p.bundle)))
        .map(|p| format!("__{}_view_", snake(p.route)))
        .collect()
}

/// `GridWalk` → `grid_walk`: how `lazy_pages!` names a page's split.
fn snake(route: &str) -> String {
    let mut out = String::new();
    for (i, c) in route.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Menu entries that open a section of a page rather than a page of their own.
pub const MENU_ANCHORS: &[(&str, &str, &str)] = &[("holidays", "节假日安排", "/calendar#holidays")];

/// The first path segments a bundle owns (`/grid`, `/events`, … for the
/// tablet): every page under them is that bundle's, and an unknown one is its
/// "not found".
pub fn prefixes(bundle: Bundle) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = PAGES
        .iter()
        .filter(|p| p.bundle == bundle && bundle != Every)
        .map(|p| match p.path[1..].find('/') {
            Some(end) => &p.path[..end + 1],
            None => p.path,
        })
        .collect();
    out.dedup();
    out
}

/// The tablet bundle's prefixes, for its service worker.
pub fn field_prefixes() -> Vec<&'static str> {
    prefixes(Field)
}

/// The first path segments of the tablet's and the residents' bundles, as a
/// constant (the test below derives it from [`PAGES`]): every bundle's main
/// module asks [`bundle_of`], and scanning the page table there costs bytes
/// on every first load.
const OWNED: &[(&str, Bundle)] = &[
    ("/seal", Field),
    ("/residents", Field),
    ("/grid", Field),
    ("/events", Field),
    ("/participation", Resident),
    ("/self-government", Resident),
];

/// The bundle the server sends for `path`: the tablet's or the residents'
/// for the paths under their prefixes, the office's for every other.
pub fn bundle_of(path: &str) -> Bundle {
    OWNED
        .iter()
        .find(|(p, _)| path.strip_prefix(*p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
        .map_or(Office, |(_, b)| *b)
}

/// Where a capability's pages start; one without pages shows its "being
/// built" page under `/m/<slug>`.
pub fn capability_path(slug: &str) -> String {
    PAGES
        .iter()
        .find(|p| matches!(p.menu, Menu::Capability(s) if s == slug))
        .map(|p| p.path.to_string())
        .unwrap_or_else(|| format!("/m/{slug}"))
}

/// Where a role starts after signing in: a resident at the rounds of
/// 百姓定实事 (the residents' bundle), everyone else at the home page.
pub fn landing(role: &str) -> String {
    if role == gongzhi_domain::org::Role::Resident.code() {
        capability_path("participation")
    } else {
        "/".to_string()
    }
}

/// Title and path of a menu slug, for the navigation.
pub fn section(slug: &str) -> Option<(&'static str, String)> {
    MENU.iter().find(|(s, _, _)| *s == slug).map(|(_, title, path)| (*title, path.to_string()))
}

/// Every menu entry as (slug, title, path), a constant: the navigation of
/// every bundle's main module reads it, and [`PAGES`] and [`CAPABILITIES`]
/// (with their summaries) would otherwise be carried by every first load.
/// The test `the_menu_follows_the_tables` derives it from those tables.
pub const MENU: &[(&str, &str, &str)] = &[
    ("admission", "事项准入", "/admission"),
    ("funding", "经费保障", "/funding"),
    ("facilities", "社区设施", "/facilities"),
    ("grid", "全要素网格", "/grid"),
    ("seal", "社区印章", "/seal"),
    ("participation", "百姓定实事", "/participation"),
    ("self-government", "居民自治", "/self-government"),
    ("calendar", "工作日计算", "/calendar"),
    ("accounts", "账号管理", "/accounts"),
    ("org", "组织架构", "/org"),
    ("security", "安全策略", "/security"),
    ("audit", "审计日志", "/audit"),
    ("seal-catalog", "证明事项目录", "/seal-catalog"),
    ("open311-keys", "外部系统接口", "/open311-keys"),
    ("cleanup", "清理减负", "/cleanup"),
    ("purchases", "购买服务", "/purchases"),
    ("facility-standards", "设施配置标准", "/facilities/standards"),
    ("residents", "居民信息", "/residents"),
    ("grid-import", "网格数据导入", "/grid/import"),
    ("events", "事件处置", "/events"),
    ("holidays", "节假日安排", "/calendar#holidays"),
];

/// One capability of the work plan (SPEC §1–7), as the navigation shows it.
#[derive(Debug)]
pub struct Capability {
    pub slug: &'static str,
    pub title: &'static str,
    /// Where it comes from in the municipal work plan.
    pub basis: &'static str,
    pub summary: &'static str,
}

pub fn find_capability(slug: &str) -> Option<&'static Capability> {
    CAPABILITIES.iter().find(|c| c.slug == slug)
}

pub const CAPABILITIES: &[Capability] = &[
    Capability {
        slug: "admission",
        title: "事项准入",
        basis: "工作方案 二(一)1",
        summary: "职能部门工作事项进入社区的准入审批与备案,15 个工作日内反馈结果。",
    },
    Capability {
        slug: "funding",
        title: "经费保障",
        basis: "权随责走、费随事转、事费配套",
        summary: "准入事项的经费计划、拨付登记与及时足额情况。",
    },
    Capability {
        slug: "facilities",
        title: "社区设施",
        basis: "工作方案 二(一)2",
        summary: "社区服务用房规划、建设、验收、移交“四同步”与达标情况。",
    },
    Capability {
        slug: "grid",
        title: "全要素网格",
        basis: "工作方案 二(二)3",
        summary: "多网合一的网格、走访任务与事件闭环,平板离线可用。",
    },
    Capability {
        slug: "seal",
        title: "社区印章",
        basis: "工作方案 二(二)4",
        summary: "证明事项依法审核与不可篡改的用印登记。",
    },
    Capability {
        slug: "participation",
        title: "百姓定实事",
        basis: "工作方案 二(二)3",
        summary: "居民提议、投票决定民生实事项目,进度公开。",
    },
    Capability {
        slug: "self-government",
        title: "居民自治",
        basis: "工作方案 二(二)4",
        summary: "协商议事、民意调查、居务公开、民主评议与事务听证。",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_order_names_the_budgeted_pages_of_each_bundle() {
        assert_eq!(split_order(Bundle::Field), ["__grid_walk_view_"]);
        assert_eq!(split_order(Bundle::Office), ["__home_view_", "__admission_view_"]);
        assert_eq!(split_order(Bundle::Resident), ["__participation_view_", "__participation_round_view_"]);
        // Each prefix names one page's split: none starts another's name.
        let names: Vec<String> = PAGES.iter().map(|p| format!("__{}_view_", snake(p.route))).collect();
        for prefix in Bundle::BUILT.iter().flat_map(|b| split_order(*b)) {
            assert_eq!(names.iter().filter(|n| n.starts_with(prefix.as_str())).count(), 1, "{prefix}");
        }
    }

    #[test]
    fn field_paths_are_whole_segments() {
        assert_eq!(field_prefixes(), ["/seal", "/residents", "/grid", "/events"]);
        let field = |path: &str| bundle_of(path) == Field;
        assert!(field("/seal") && field("/seal/requests/3") && field("/residents"));
        assert!(field("/grid/12") && field("/events/3"));
        assert!(!field("/sealed") && !field("/") && !field("/admission"));
        assert!(!field("/login") && !field("/password"));
        assert_eq!(prefixes(Resident), ["/participation", "/self-government"]);
        let derived: Vec<(&str, Bundle)> =
            [Field, Resident].into_iter().flat_map(|b| prefixes(b).into_iter().map(move |p| (p, b))).collect();
        assert_eq!(OWNED, derived.as_slice(), "OWNED differs from the page table");
        assert_eq!(bundle_of("/participation/rounds/3/ballot"), Resident);
        assert_eq!(bundle_of("/participations"), Office);
        assert_eq!(bundle_of("/self-government"), Resident);
        assert_eq!(bundle_of("/self-government/matters/1"), Resident);
        assert_eq!(bundle_of("/self-governments"), Office);
        assert_eq!(bundle_of("/m/self-government"), Office);
        assert_eq!(bundle_of("/login"), Office);
        assert_eq!(bundle_of("/grid/3"), Field);
        assert_eq!(bundle_of("/self-government/disclosure"), Resident);
        assert_eq!(bundle_of("/self-government/disclosure/7"), Resident);
        assert_eq!(bundle_of("/self-government/reviews/3"), Resident);
        assert_eq!(bundle_of("/m/self-government"), Office);
        assert_eq!(bundle_of("/self-governments"), Office);
    }

    #[test]
    fn paths_route_types_and_menus_are_unique() {
        for (i, a) in PAGES.iter().enumerate() {
            for b in &PAGES[i + 1..] {
                assert_ne!(a.path, b.path);
                // Pages may share a route type only within one first segment
                // (the facilities pages: one chunk, one router entry).
                let segment = |p: &str| p[1..].split('/').next().unwrap_or("").to_string();
                assert!(
                    a.route != b.route || a.bundle != b.bundle || segment(a.path) == segment(b.path),
                    "{} twice",
                    a.route
                );
                if a.menu != Menu::None {
                    assert_ne!(a.menu, b.menu, "{:?} twice", a.menu);
                }
            }
        }
    }

    /// Every menu slug a role can have opens a page or a section of one.
    #[test]
    fn capabilities_open_their_pages() {
        assert_eq!(capability_path("grid"), "/grid");
        assert_eq!(capability_path("admission"), "/admission");
        assert_eq!(capability_path("facilities"), "/facilities");
        assert_eq!(section("facility-standards"), Some(("设施配置标准", "/facilities/standards".to_string())));
        assert_eq!(capability_path("participation"), "/participation");
        assert_eq!(capability_path("self-government"), "/self-government");
        assert_eq!(section("self-government"), Some(("居民自治", "/self-government".to_string())));
        assert_eq!(section("cleanup"), Some(("清理减负", "/cleanup".to_string())));
        assert_eq!(section("holidays"), Some(("节假日安排", "/calendar#holidays".to_string())));
        assert_eq!(section("nonsense"), None);
        assert_eq!(landing("resident"), "/participation");
        assert_eq!(landing("reviewer"), "/");
    }

    #[test]
    fn every_role_menu_has_a_page() {
        use gongzhi_domain::org::Role;
        for role in Role::ALL {
            for slug in role.menus() {
                assert!(section(slug).is_some(), "{role:?}'s menu {slug} opens nothing");
            }
        }
    }

    /// The menu constant is what the tables say: each capability's first
    /// page (or its "being built" page), each work section, each anchor.
    #[test]
    fn the_menu_follows_the_tables() {
        let mut want: Vec<(String, String, String)> =
            CAPABILITIES.iter().map(|c| (c.slug.to_string(), c.title.to_string(), capability_path(c.slug))).collect();
        for p in PAGES {
            if let Menu::Section(slug, title) = p.menu {
                want.push((slug.into(), title.into(), p.path.into()));
            }
        }
        for (slug, title, path) in MENU_ANCHORS {
            want.push((slug.to_string(), title.to_string(), path.to_string()));
        }
        let found: Vec<(String, String, String)> =
            MENU.iter().map(|(s, t, p)| (s.to_string(), t.to_string(), p.to_string())).collect();
        assert_eq!(found, want);
        // Every slug a role's menu names has its entry.
        for role in gongzhi_domain::org::Role::ALL {
            for slug in role.menus() {
                assert!(section(slug).is_some(), "{slug}");
            }
        }
    }

    /// The bundles' route files carry exactly this table's pages, each as the
    /// named lazy route.
    #[test]
    fn route_files_follow_the_table() {
        for (file, bundle) in [("app.rs", Office), ("field.rs", Field), ("resident.rs", Resident)] {
            let path = format!("{}/../../app/src/{file}", env!("CARGO_MANIFEST_DIR"));
            let source = std::fs::read_to_string(&path).unwrap();
            let mut found: Vec<(String, String)> = source
                .split("<Route path=path!(\"")
                .skip(1)
                .map(|rest| {
                    let (path, rest) = rest.split_once('"').unwrap();
                    let route = rest.split_once("Lazy::<").unwrap().1.split_once('>').unwrap().0;
                    (path.to_string(), route.to_string())
                })
                .collect();
            let mut want: Vec<(String, String)> = PAGES
                .iter()
                .filter(|p| bundle.carries(p.bundle))
                .map(|p| (p.path.to_string(), p.route.to_string()))
                .collect();
            // A wildcard route (`/x/*rest`) stands for every page of the
            // table under `/x` with its route type (one route entry instead of
            // several).
            for (wild, route) in found.clone().iter().filter(|(p, _)| p.ends_with("/*rest")) {
                let prefix = wild.trim_end_matches("/*rest");
                let under = |p: &str| p == prefix || p.starts_with(&format!("{prefix}/"));
                assert!(want.iter().any(|(p, r)| under(p) && r == route), "{wild} serves no page of the table");
                want.retain(|(p, r)| !(under(p) && r == route));
                found.retain(|(p, _)| p != wild);
            }
            found.sort();
            want.sort();
            assert_eq!(found, want, "{file} differs from PAGES");
        }
    }
}
