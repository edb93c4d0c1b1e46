//! The printable 《xx市职能部门工作进入城市社区准入审批表》: the paper form's
//! layout on A4, filled from the file, with spaces for signatures and seals.

use gongzhi_api::AdmissionFile;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;

#[component]
pub fn AdmissionPrintPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let file = LocalResource::new(move || async move {
        api::get::<AdmissionFile>(&format!("/api/admission/applications/{id}")).await
    });
    view! {
        <RequireMenu slug="admission">
            <div class="no-print print-bar">
                <A href=format!("/admission/{id}") attr:class="btn">"返回案卷"</A>
                <button class="btn btn-primary" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); }>"打印"</button>
            </div>
            {move || file.get().map(|f| match f {
                Ok(f) => view! { <ApprovalForm file=f /> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </RequireMenu>
    }
}

#[component]
fn ApprovalForm(file: AdmissionFile) -> impl IntoView {
    let s = &file.summary;
    let f = &file.form;
    let scope = if f.community_scope == "all" {
        format!("全部社区(共 {} 个)", file.community_count)
    } else {
        file.community_names.join("、")
    };
    let path = if s.path == "exempt" {
        format!("免审备案(依据文件:{})", f.basis_doc_no)
    } else {
        "准入审批".to_string()
    };
    let opinions: Vec<String> = file
        .consultations
        .iter()
        .map(|c| {
            format!(
                "{}:{}。{}",
                c.department_name,
                c.stance_label.clone().unwrap_or_else(|| "待反馈".into()),
                c.text.clone().unwrap_or_default()
            )
        })
        .collect();
    let solicited: Vec<String> = file.solicited.iter().map(|o| format!("{}:{}", o.source, o.text)).collect();
    let accepted = s
        .accepted_on
        .map(|d| format!("已于 {d} 受理;办理时限至 {}。", s.due.map(|d| d.to_string()).unwrap_or_else(|| "—".into())))
        .unwrap_or_else(|| "尚未受理。".into());
    let decision = file
        .decision
        .clone()
        .map(|d| format!("经{}({})审定:{}。{}", d.meeting, d.decided_on, s.status_label, d.note))
        .unwrap_or_default();
    let extension = file
        .extension
        .clone()
        .map(|e| format!("延长办理期限 {} 个工作日。理由:{};批准人:{}。", e.days, e.reason, e.approver))
        .unwrap_or_default();
    view! {
        <article class="print-doc approval-form" data-testid="approval-form">
            <h2 class="form-title">"职能部门工作进入城市社区准入审批表"</h2>
            <p class="form-meta"><span>{format!("编号:{}", s.file_no)}</span><span>{format!("填表日期:{}", s.submitted_on)}</span></p>
            <table class="paper-table">
                <tbody>
                    <tr><th>"申请单位"</th><td>{f.applicant_unit.clone()}</td><th>"联系人"</th><td>{f.contact_name.clone()}</td><th>"联系电话"</th><td>{f.contact_phone.clone()}</td></tr>
                    <tr><th>"事项名称"</th><td colspan="5">{f.item_name.clone()}</td></tr>
                    <tr class="tall"><th>"事项内容"</th><td colspan="5">{f.item_content.clone()}</td></tr>
                    <tr><th>"法律或政策依据"</th><td colspan="5">{f.basis.clone()}</td></tr>
                    <tr><th>"准入方式"</th><td colspan="5">{path}</td></tr>
                    <tr><th>"实施范围"</th><td colspan="5">{scope}</td></tr>
                    <tr><th>"开始日期"</th><td>{f.start_date.clone()}</td><th>"实施期限"</th><td>{format!("{} 个月", f.duration_months)}</td><th>"每月工作量"</th><td>{format!("{} 小时/社区", f.workload_hours)}</td></tr>
                    <tr><th>"配套经费"</th><td colspan="5">{file.funding_label.clone()}{(!f.no_cost_reason.is_empty()).then(|| format!("(理由:{})", f.no_cost_reason))}</td></tr>
                    <tr><th>"指导培训专人"</th><td colspan="5">{format!("{} {}", f.trainer_name, f.trainer_phone)}</td></tr>
                    <tr><th>"需建立的台账、牌子、机构"</th><td colspan="5">{format!("台账:{};牌子:{};机构:{}", super::listed(&f.ledgers), super::listed(&f.plaques), super::listed(&f.bodies))}</td></tr>
                    <tr class="tall"><th>"申请单位意见"</th><td colspan="5"><div class="sign">"(盖章)　　　年　　月　　日"</div></td></tr>
                    <tr class="tall"><th>"组织、民政部门受理意见"</th><td colspan="5">{accepted}<div class="sign">"(盖章)　　　年　　月　　日"</div></td></tr>
                    <tr class="tall"><th>"相关部门意见"</th><td colspan="5">{opinions.into_iter().map(|o| view! { <p>{o}</p> }).collect_view()}</td></tr>
                    <tr class="tall"><th>"征求意见情况"</th><td colspan="5">{file.solicit_scope.clone().map(|sc| view! { <p>{format!("征求范围:{sc}")}</p> })}{solicited.into_iter().map(|o| view! { <p>{o}</p> }).collect_view()}</td></tr>
                    <tr class="tall"><th>"社区治理工作领导小组审定意见"</th><td colspan="5">{decision}<div class="sign">"(盖章)　　　年　　月　　日"</div></td></tr>
                    <tr><th>"备注"</th><td colspan="5">{extension}</td></tr>
                </tbody>
            </table>
            <p class="form-foot">"注:审批结果原则上在受理后 15 个工作日内反馈申请单位;事项进驻社区后,职能部门须派专人对社区工作者进行指导和培训,并按“权随责走、费随事转、事费配套”原则将经费及时足额拨付社区。"</p>
        </article>
    }
}
