//! `/facilities/projects/:id`: a project's file — its rooms against the
//! standard, its flags, and the four steps as a timeline with their
//! sign-offs. The signer of a sign-off that may be made now signs it here;
//! one that must wait reads why.

use gongzhi_api::facilities::{ProjectFile, SignOffView, StepView};
use gongzhi_api::ApiError;
use gongzhi_domain::facilities::project::SignOffInput;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{flag_badge, num};
use crate::components::form::FormErrors;
use crate::components::form::Input;
use crate::components::guard::RequireMenu;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::calendar::today_in_shanghai;

/// The four steps down a line (inline: no new rule in the shared stylesheet).
const TIMELINE: &str = "list-style:none;margin:0;padding:0 0 0 1rem;border-left:4px solid #6b7280";

type Current = RwSignal<Option<Result<ProjectFile, ApiError>>>;

#[component]
pub fn FacilityProjectPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let registered = use_query_map().read_untracked().get("registered").is_some();
    let current: Current = RwSignal::new(None);
    // The sign-off just made (its kind), to confirm it where it was made.
    let signed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let id = id();
        leptos::task::spawn_local(async move {
            current.set(Some(api::get(&format!("/api/facilities/projects/{id}")).await));
        });
    });
    view! {
        <RequireMenu slug="facilities">
            <p class="breadcrumb"><A href="/facilities">"社区设施"</A>" / 项目档案"</p>
            {move || match current.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Err(e)) => view! { <section class="panel"><h1>"项目档案"</h1><p class="form-error" role="alert">{e.message}</p></section> }.into_any(),
                Some(Ok(file)) => view! { <FileView file current signed registered /> }.into_any(),
            }}
        </RequireMenu>
    }
}

fn beijing(rfc3339: &str) -> String {
    gongzhi_domain::time::parse_utc(rfc3339).map(gongzhi_domain::time::shanghai_datetime).unwrap_or_default()
}

fn opt_area(a: Option<gongzhi_domain::facilities::Area>) -> Cell {
    a.map(|a| num(a.to_string())).unwrap_or_else(|| Cell::Text("尚未建成".into()))
}

#[component]
fn FileView(file: ProjectFile, current: Current, signed: RwSignal<Option<String>>, registered: bool) -> impl IntoView {
    let s = file.summary.clone();
    let areas = vec![
        vec![
            Cell::Text("社区综合服务用房".into()),
            num(file.required_service.to_string()),
            num(file.planned_service.to_string()),
            opt_area(file.built_service),
        ],
        vec![
            Cell::Text("养老服务用房".into()),
            num(file.required_elderly.to_string()),
            num(file.planned_elderly.to_string()),
            opt_area(file.built_elderly),
        ],
    ];
    let status = match (&s.step, s.late) {
        (None, _) => ("ok", s.step_label.clone()),
        (Some(_), true) => ("off", format!("{}环节(逾期)", s.step_label)),
        (Some(_), false) => ("none", format!("{}环节", s.step_label)),
    };
    let siting = format!("{} 层,{}", file.floor, if file.own_entrance { "有独立出入口" } else { "无独立出入口" });
    let share = file.housing_share_pct.map(|p| format!("建成时住宅已交付 {p}%"));
    // The open step is 进行中; the ones after it 未开始.
    let open = s.step.clone();
    let id = s.id;
    let steps = file
        .steps
        .into_iter()
        .map(|st| {
            let state = if st.done_on.is_some() {
                "done"
            } else if open.as_deref() == Some(st.step.as_str()) {
                "open"
            } else {
                "later"
            };
            view! { <Step st state id current signed /> }
        })
        .collect_view();
    view! {
        {registered.then(|| view! {
            <p class="alert alert-ok" role="status" data-testid="project-registered">
                {format!("已登记 {}。请各部门按计划办理四个环节的签字。", s.name)}
            </p>
        })}
        <section class="panel">
            <div class="panel-head">
                <h1>{s.name.clone()}</h1>
                <span class=format!("badge badge-{}", status.0) data-testid="project-step">{status.1}</span>
            </div>
            <dl class="facts">
                <dt>"建设单位"</dt><dd>{s.developer.clone()}</dd>
                <dt>"所在社区"</dt><dd><A href=format!("/facilities/communities/{}", s.community_id)>{format!("{} · {}", file.street_name, s.community_name)}</A></dd>
                <dt>"规划户数"</dt><dd>{format!("{} 户,分 {} 期", s.households, file.phases)}</dd>
                <dt>"用房位置"</dt><dd>{siting}{share.map(|t| format!(";{t}"))}</dd>
                <dt>"配置标准"</dt><dd>{file.standard_version.clone()}</dd>
                <dt>"登记"</dt><dd>{format!("{} · {}", file.registered_by, beijing(&file.registered_at))}</dd>
            </dl>
            <DataTable testid="project-areas" rows=areas headers=&["用房", "标准要求", "规划配建", "建成"] />
            {(!s.flags.is_empty()).then(|| view! {
                <h2 class="sub">"提示"</h2>
                <div class="actions" data-testid="project-flags">{s.flags.iter().map(flag_badge).collect_view()}</div>
            })}
        </section>
        <section class="panel">
            <h2>"四同步进度"</h2>
            <ol class="steps" style=TIMELINE data-testid="project-steps">{steps}</ol>
        </section>
    }
}

#[component]
fn Step(
    st: StepView,
    state: &'static str,
    id: i64,
    current: Current,
    signed: RwSignal<Option<String>>,
) -> impl IntoView {
    let (badge, text) = match (state, st.done_on) {
        (_, Some(d)) => ("ok", format!("已于 {d} 完成")),
        ("open", None) => ("warn", "进行中".to_string()),
        _ => ("none", "未开始".to_string()),
    };
    let sign_offs = st.sign_offs.into_iter().map(|so| view! { <SignOff so id current signed /> }).collect_view();
    view! {
        <li class="step" data-testid=format!("step-{}", st.step)>
            <h3>{format!("{}:计划 {} 完成", st.label, st.planned)}" "<span class=format!("badge badge-{badge}")>{text}</span></h3>
            <div class="steps" style="width:100%">{sign_offs}</div>
        </li>
    }
}

#[component]
fn SignOff(so: SignOffView, id: i64, current: Current, signed: RwSignal<Option<String>>) -> impl IntoView {
    let kind = so.kind.clone();
    let just = signed.get_untracked().as_deref() == Some(kind.as_str());
    let body = match (&so.signed, so.can_sign, &so.blocked) {
        (Some(s), _, _) => view! {
            <p>{format!("{}({})于 {} 签字", s.by, s.unit, s.signed_on)}<br />{format!("依据:{}", s.evidence)}</p>
        }
        .into_any(),
        (None, true, _) => view! { <SignForm kind=kind.clone() label=so.label.clone() id current signed /> }.into_any(),
        (None, false, Some(reason)) => {
            view! { <p class="notice" role="note" data-testid="signoff-blocked">{reason.clone()}</p> }.into_any()
        }
        (None, false, None) => view! { <p class="hint">{format!("待{}签字", so.authority_label)}</p> }.into_any(),
    };
    view! {
        <div class="basis" data-testid=format!("signoff-{kind}")>
            <div class="actions">
                <strong>{so.label.clone()}</strong>
                <small>{so.authority_label.clone()}</small>
                {if so.signed.is_some() { view! { <span class="badge badge-ok">"已签字"</span> }.into_any() } else { view! { <span class="badge badge-none">"未签字"</span> }.into_any() }}
            </div>
            {just.then(|| view! { <p class="alert alert-ok" role="status" data-testid="signoff-done">{format!("已签字:{}", so.label)}</p> })}
            {body}
        </div>
    }
}

#[component]
fn SignForm(kind: String, label: String, id: i64, current: Current, signed: RwSignal<Option<String>>) -> impl IntoView {
    let v: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [on, evidence, service, elderly, share] = v;
    let today = today_in_shanghai();
    on.set(today.to_string());
    let built = kind == "built";
    let input = {
        let kind = kind.clone();
        move || SignOffInput {
            kind: kind.clone(),
            signed_on: on.get(),
            evidence: evidence.get(),
            built_service_area: service.get(),
            built_elderly_area: elderly.get(),
            housing_share_pct: share.get(),
        }
    };
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let errors = {
        let input = input.clone();
        Memo::new(move |_| FormErrors {
            local: if tried.get() { input().parse(today).err().unwrap_or_default() } else { vec![] },
            server: server.get(),
        })
    };
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &SignOffInput| {
        let body = body.clone();
        async move { api::send::<_, ProjectFile>("POST", &format!("/api/facilities/projects/{id}/sign-offs"), &body).await }
    });
    let done = kind.clone();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(file)) => {
            signed.set(Some(done.clone()));
            current.set(Some(Ok(file)));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let fid = |name: &str| format!("{name}-{kind}");
    let fields = ["kind", "signed_on", "evidence", "built_service_area", "built_elderly_area", "housing_share_pct"];
    view! {
        <form class="form-grid wide-grid" on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            server.set(None);
            if input().parse(today).is_ok() {
                send.dispatch(input());
            }
        } novalidate>
            <Input id=fid("signed_on") label="签字日期" kind="date" value=on error=err("signed_on") />
            <Input id=fid("evidence") label="依据文件或说明" value=evidence error=err("evidence") />
            {built.then(|| view! {
                <Input id=fid("built_service_area") label="建成社区综合服务用房面积(平方米)" value=service error=err("built_service_area") />
                <Input id=fid("built_elderly_area") label="建成养老服务用房面积(平方米)" value=elderly error=err("built_elderly_area") />
                <Input id=fid("housing_share_pct") label="建成时住宅已交付比例(%)" value=share error=err("housing_share_pct") />
            })}
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&fields))}</p>
                <button class="btn btn-primary" type="submit" aria-label=format!("签字:{label}")>"签字"</button>
            </div>
        </form>
    }
}
