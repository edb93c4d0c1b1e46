//! 事项准入: the reviewers' queue, the applicant's files, one file with its
//! steps, the form, the printable 审批表 and the public catalogue.
//!
//! - [`form`]: the application form (new, paper, resubmission).
//! - [`file`]: one file: facts, opinions, timeline and the caller's next steps.
//! - [`actions`]: the small forms of each step.
//! - [`print`]: the A4 approval form.
//! - [`catalog`]: 准入事项清单 per community (public).

mod actions;
mod catalog;
mod file;
mod form;
mod print;

use gongzhi_api::{AdmissionMeta, AdmissionSummary};
use gongzhi_domain::admission::clock::DUE_FILTERS;
use gongzhi_domain::admission::AdmissionStatus;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::calendar::ScheduleReminder;
use crate::services::session::use_session;

pub use catalog::AdmissionCatalogPage;
pub use file::AdmissionFilePage;
pub use print::AdmissionPrintPage;

/// The form (new, paper, resubmission), one file and its print behind one
/// lazy route (`app.rs`): the path picks the page. Each path is its own
/// `<Route>`, so a view is made for one of them and stays on it (only an
/// `:id` changes under it): the path is read once.
#[component]
pub fn AdmissionPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    match path.trim_end_matches('/').strip_prefix("/admission").unwrap_or_default() {
        "/new" => view! { <NewAdmissionPage /> }.into_any(),
        "/paper" => view! { <PaperAdmissionPage /> }.into_any(),
        p if p.ends_with("/edit") => view! { <ResubmitAdmissionPage /> }.into_any(),
        p if p.ends_with("/print") => view! { <AdmissionPrintPage /> }.into_any(),
        _ => view! { <AdmissionFilePage /> }.into_any(),
    }
}

/// The badge modifier for a file's traffic light.
pub(crate) fn light_badge(light: &str) -> &'static str {
    match light {
        "green" => "ok",
        "amber" => "warn",
        "red" => "off",
        _ => "none",
    }
}

/// Lines of a one-per-line list joined with 、, or 无 when there are none.
pub(crate) fn listed(text: &str) -> String {
    let items: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if items.is_empty() {
        "无".into()
    } else {
        items.join("、")
    }
}

/// The traffic light of a file as a table cell.
fn light_cell(s: &AdmissionSummary) -> Cell {
    let kind = light_badge(&s.light);
    // Files whose clock is not running say so in their status column.
    let label = if s.due_state.is_some() { s.due_label.clone() } else { "—".into() };
    Cell::Badge(kind, label)
}

/// The due date, marked when extended or provisional (暂定).
fn due_cell(s: &AdmissionSummary) -> Cell {
    let due = s.due.map(|d| d.to_string()).unwrap_or_default();
    if !s.extended && s.provisional_note.is_none() {
        return Cell::Mono(due);
    }
    let note = s.provisional_note.clone();
    let extended = s.extended;
    Cell::View(
        view! {
            <div class="item-cell">
                <span class="mono">{due}</span>
                {extended.then(|| view! { <small>"已延期"</small> })}
                {note.map(|n| view! { <span class="badge badge-warn" title=n data-testid="provisional">"暂定"</span> })}
            </div>
        }
        .into_any(),
    )
}

/// The item's name as the link to its file, with number, path and flags below.
fn item_cell(s: &AdmissionSummary) -> Cell {
    let href = format!("/admission/{}", s.id);
    let name = s.item_name.clone();
    let mut meta = format!("{} · {}", s.file_no, s.path_label);
    if s.paper {
        meta.push_str(" · 纸质");
    }
    let flagged = s.flags > 0;
    Cell::View(
        view! {
            <div class="item-cell">
                <A href=href>{name}</A>
                <small class="mono">{meta}</small>
                {flagged.then(|| view! { <span class="badge badge-warn">"⚠ 负面清单"</span> })}
            </div>
        }
        .into_any(),
    )
}

/// Loads the forms' metadata, then renders `body` with it.
fn with_meta<V: IntoView + 'static>(body: impl Fn(AdmissionMeta) -> V + Send + Sync + 'static) -> impl IntoView {
    let meta = LocalResource::new(|| async { api::get::<AdmissionMeta>("/api/admission/meta").await });
    move || {
        meta.get()
            .map(|r| match r {
                Ok(m) => body(m).into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            })
            .unwrap_or_else(loading)
    }
}

#[component]
pub fn AdmissionPage() -> impl IntoView {
    view! {
        <RequireMenu slug="admission">
            <Queue />
        </RequireMenu>
    }
}

#[component]
fn Queue() -> impl IntoView {
    let session = use_session();
    let role = session.info().map(|i| i.account.role).unwrap_or_default();
    let applicant = role == "department_applicant";
    let reviewer = role == "reviewer";
    let status = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let departments = LocalResource::new(|| async {
        api::get::<AdmissionMeta>("/api/admission/meta").await.map(|m| m.departments).unwrap_or_default()
    });
    let list = LocalResource::new(move || {
        let query = api::query_string(&[
            ("status", status.get()),
            ("due", due.get()),
            ("department", department.get()),
            ("q", q.get()),
        ]);
        // The server pages the queue (50 by default); this page reads the
        // most one answer holds.
        async move { api::get::<Vec<AdmissionSummary>>(&format!("/api/admission/applications?per_page=500&{query}")).await }
    });
    crate::components::keys::list_keys("admission-queue", "f-q");
    let title = if applicant { "本部门准入申请" } else { "准入审批工作台" };
    let lead = if applicant {
        "本部门提交的申请、被商请提出意见的申请及其进度。审批结果原则上在受理后 15 个工作日内反馈。"
    } else {
        "按截止日期排序:红色为已超期,黄色为 3 个工作日内到期。受理日不计入,节假日和调休按国务院安排。"
    };
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{title}</h1>
                <div class="actions">
                    {applicant.then(|| view! { <A href="/admission/new" attr:class="btn btn-primary">"新建准入申请"</A> })}
                    {reviewer.then(|| view! { <A href="/admission/paper" attr:class="btn">"登记纸质申请"</A> })}
                    <A href="/admission/catalog" attr:class="btn">"准入事项清单"</A>
                </div>
            </div>
            <p class="lead">{lead}</p>
            {(!applicant).then(|| view! { <ScheduleReminder /> })}
            <p class="hint keys-hint">"键盘操作:/ 搜索;J、K 或 ↓、↑ 选择;Enter 打开。"</p>
            <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="f-status">"状态"</label>
                    <select id="f-status" on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        {AdmissionStatus::ALL.iter().skip(1).map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-due">"时限"</label>
                    <select id="f-due" on:change=move |ev| due.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        {DUE_FILTERS.iter().map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-department">"申请部门"</label>
                    <select id="f-department" on:change=move |ev| department.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        {move || departments.get().unwrap_or_default().into_iter().map(|(c, n)| view! { <option value=c>{n}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-q">"事项名称或编号"</label>
                    <input id="f-q" type="search" on:change=move |ev| q.set(event_target_value(&ev)) />
                </div>
            </form>
            {move || list.get().map(|r| match r {
                Ok(rows) => {
                    let rows = rows.iter().map(|s| vec![
                        light_cell(s),
                        item_cell(s),
                        s.department_name.clone().into(),
                        Cell::Badge("none", s.status_label.clone()),
                        Cell::Mono(s.accepted_on.map(|d| d.to_string()).unwrap_or_default()),
                        due_cell(s),
                    ]).collect();
                    view! {
                        <DataTable testid="admission-queue" rows empty="没有符合条件的申请。"
                            headers=&["时限", "事项", "申请部门", "状态", "受理日期", "截止日期"] />
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
    }
}

#[component]
pub fn NewAdmissionPage() -> impl IntoView {
    view! {
        <RequireMenu slug="admission">
            <p class="breadcrumb"><A href="/admission">"事项准入"</A>" / 新建申请"</p>
            {with_meta(|meta| view! { <form::ApplicationForm meta mode=form::FormMode::New /> })}
        </RequireMenu>
    }
}

#[component]
pub fn PaperAdmissionPage() -> impl IntoView {
    view! {
        <RequireMenu slug="admission">
            <p class="breadcrumb"><A href="/admission">"事项准入"</A>" / 登记纸质申请"</p>
            {with_meta(|meta| view! { <form::ApplicationForm meta mode=form::FormMode::Paper /> })}
        </RequireMenu>
    }
}

#[component]
pub fn ResubmitAdmissionPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let file = LocalResource::new(move || async move {
        api::get::<gongzhi_api::AdmissionFile>(&format!("/api/admission/applications/{id}")).await
    });
    view! {
        <RequireMenu slug="admission">
            <p class="breadcrumb"><A href="/admission">"事项准入"</A>" / 补正"</p>
            {move || file.get().map(|f| match f {
                Ok(f) => {
                    let initial = f.form.clone();
                    let reason = f.return_reason.clone().unwrap_or_default();
                    view! {
                        <div class="alert alert-warn" role="status">{format!("退回补正的内容:{reason}")}</div>
                        {with_meta(move |meta| view! { <form::ApplicationForm meta mode=form::FormMode::Resubmit(id) initial=initial.clone() /> })}
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </RequireMenu>
    }
}
