//! The capabilities of the work plan (SPEC §1–7), as the navigation shows them.

/// One section of the system.
pub struct Capability {
    pub slug: &'static str,
    pub title: &'static str,
    /// Where it comes from in the municipal work plan.
    pub basis: &'static str,
    pub summary: &'static str,
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

pub fn find(slug: &str) -> Option<&'static Capability> {
    CAPABILITIES.iter().find(|c| c.slug == slug)
}

/// Work sections that are not capabilities of the plan but of running the
/// system: (slug, title, path).
pub const ADMIN_SECTIONS: &[(&str, &str, &str)] = &[
    ("cleanup", "清理减负", "/cleanup"),
    ("purchases", "购买服务", "/purchases"),
    ("residents", "居民信息", "/residents"),
    ("events", "事件处置", "/events"),
    ("grid-import", "网格数据导入", "/grid/import"),
    ("holidays", "节假日安排", "/calendar#holidays"),
    ("accounts", "账号管理", "/accounts"),
    ("org", "组织架构", "/org"),
    ("security", "安全策略", "/security"),
    ("audit", "审计日志", "/audit"),
    ("calendar", "工作日计算", "/calendar"),
];

/// Capabilities whose pages are built: (slug, path). The others show their
/// "being built" page under `/m/<slug>`.
const BUILT: &[(&str, &str)] =
    &[("admission", "/admission"), ("funding", "/funding"), ("grid", "/grid"), ("seal", "/seal")];

/// Where a capability's pages start.
pub fn capability_path(slug: &str) -> String {
    BUILT.iter().find(|(s, _)| *s == slug).map(|(_, p)| p.to_string()).unwrap_or_else(|| format!("/m/{slug}"))
}

/// Title and path of a section by slug, for the navigation.
pub fn section(slug: &str) -> Option<(&'static str, String)> {
    find(slug)
        .map(|c| (c.title, capability_path(c.slug)))
        .or_else(|| ADMIN_SECTIONS.iter().find(|(s, _, _)| *s == slug).map(|(_, t, p)| (*t, p.to_string())))
}
