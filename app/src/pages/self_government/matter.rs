//! `/self-government/matters/:id`: one matter — its status as a line of
//! four steps, what it is about, the co-signers and a resident's 联名, its
//! meetings (what was decided, the votes, a dispute's outcome) and its
//! follow-up items. The leader plans meetings, records them and publishes
//! the follow-ups; staff at the door sign attendances in.

use gongzhi_api::consultation::{MatterDetail, MeetingView};
use gongzhi_domain::consultation::{MatterKind, MatterStatus};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{crumb, sender, status_badge, Empty, Matter, SLUG};
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::api;
use crate::services::session::role;

/// A plain list of boxes, one under another.
pub(super) const LIST: &str = "list-style:none;margin:0;padding:0;display:grid;gap:.75rem";
/// One box of such a list.
pub(super) const ITEM: &str = "border:1px solid #d1d5db;border-radius:8px;padding:.75rem 1rem";
/// Text as typed, its lines kept, long words broken on a phone.
const TYPED: &str = "white-space:pre-wrap;overflow-wrap:anywhere";

#[component]
pub fn MatterPage() -> impl IntoView {
    let at = super::path_id("/self-government/matters/");
    let id = Memo::new(move |_| at.get().unwrap_or_default());
    let fresh = use_query_map().get_untracked().get("new").is_some();
    let m = Matter {
        current: RwSignal::new(None),
        notice: RwSignal::new(None),
        door: (RwSignal::new(String::new()), RwSignal::new("tablet".to_string())),
    };
    Effect::new(move |_| {
        let id = id.get();
        m.current.set(None);
        m.notice.set(None);
        leptos::task::spawn_local(async move {
            let d = api::get::<MatterDetail>(&format!("/api/consultation/matters/{id}")).await;
            if let (true, Ok(d)) = (fresh, &d) {
                m.notice.set(Some(saved(d)));
            }
            m.current.set(Some(d));
        });
    });
    // The confirmation is brought into view: the form that was sent may be
    // far down the page.
    let shown = NodeRef::<html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = shown.get() {
            p.scroll_into_view();
        }
    });
    view! {
        <RequireMenu slug=SLUG>
            {crumb("议题详情")}
            {move || m.notice.get().map(|n| view! {
                <p class="alert alert-ok" role="status" data-testid="matter-notice" node_ref=shown>{n}</p>
            })}
            {move || match m.current.get() {
                None => loading(),
                Some(Err(e)) => failed("议题详情", e),
                Some(Ok(d)) => view! { <Body d m /> }.into_any(),
            }}
        </RequireMenu>
    }
}

/// What a matter just raised says: its number, and what happens next.
fn saved(d: &MatterDetail) -> String {
    let s = &d.matter;
    let next = if s.status == "collecting" {
        format!(
            "连同您在内已有 {} 人联名,还需 {} 人联名支持后进入协商。",
            s.cosigners,
            s.cosigners_needed.saturating_sub(s.cosigners)
        )
    } else {
        "议题已进入“待协商”,社区将安排会议。".to_string()
    };
    format!("议题“{}”已发起,编号 {}。{next}", s.title, s.id)
}

#[component]
fn Body(d: MatterDetail, m: Matter) -> impl IntoView {
    let s = d.matter.clone();
    let staff = role() != "resident";
    let kind = MatterKind::from_code(&s.kind).unwrap_or(MatterKind::Affair);
    let planned = d.meetings.iter().any(|x| x.status == "planned");
    let may_plan = d.can_manage && !planned && matches!(s.status.as_str(), "accepted" | "resolved");
    let parties = (staff && !d.parties.is_empty()).then(|| {
        view! {
            <h2>"涉及各方"</h2>
            <ul>{d.parties.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
        }
    });
    let meetings = d
        .meetings
        .iter()
        .map(|x| view! { <MeetingCard x=x.clone() kind can_manage=d.can_manage can_sign_in=d.can_sign_in staff m /> })
        .collect_view();
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{s.title.clone()}</h1>
                <span class=status_badge(&s.status) data-testid="matter-status">{s.status_label.clone()}</span>
            </div>
            <p class="hint" style="margin-top:0">
                {format!("{} · {}", s.community_name, s.origin_label)}
                {staff.then(|| format!(" · {}", s.kind_label))}
                {format!(" · {} 提出", s.raised_on)}
            </p>
            <Steps status=s.status.clone() />
            <h2>"情况说明"</h2>
            <p style=TYPED>{d.description.clone()}</p>
            {parties}
            {(d.can_cosign || s.cosigners > 0).then(|| view! { <Cosign d=d.clone() m /> })}
        </section>
        <section class="panel" data-testid="meetings">
            <h2>"协商会议"</h2>
            {d.meetings.is_empty().then(|| view! {
                <p class="empty">
                    {if s.status == "collecting" { "联名人数达到后,社区会安排协商会议。" } else { "还没有安排会议。" }}
                </p>
            })}
            <ul style=LIST>{meetings}</ul>
            {may_plan.then(|| view! { <super::meeting::PlanForm mid=s.id parties=d.parties.clone() kind m /> })}
        </section>
        <super::follow_ups::FollowUps list=d.follow_ups.clone() can_manage=d.can_manage m />
    }
}

/// The four statuses in a line (two by two on a phone); the current one is
/// marked by words as well as colour.
#[component]
fn Steps(status: String) -> impl IntoView {
    let now = MatterStatus::ALL.iter().position(|s| s.code() == status).unwrap_or(0);
    let steps = MatterStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (look, state) = if i < now || status == "closed" {
                ("background:#dcfce7;color:#166534;border:2px solid #166534", "已完成")
            } else if i == now {
                ("background:#1e3a5f;color:#fff;border:2px solid #1e3a5f", "当前")
            } else {
                ("background:#fff;color:#374151;border:2px dashed #6b7280", "未开始")
            };
            view! {
                <li style=format!("{look};border-radius:8px;padding:.4rem .6rem") aria-current=(i == now).then_some("step")>
                    <strong style="display:block">{format!("{}. {}", i + 1, s.label())}</strong>
                    <span style="display:block;font-size:.95rem">{state}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol data-testid="matter-steps" aria-label="议题进度"
            style="list-style:none;margin:.5rem 0 1rem;padding:0;display:grid;gap:.4rem;grid-template-columns:repeat(auto-fit,minmax(8em,1fr))">
            {steps}
        </ol>
    }
}

/// The co-signers, and a resident's 联名 (asked once more before it is sent).
#[component]
fn Cosign(d: MatterDetail, m: Matter) -> impl IntoView {
    let s = d.matter;
    let id = s.id;
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let send = sender::<Empty>("POST", move || format!("/api/consultation/matters/{id}/cosign"));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let note = if d.matter.status == "collecting" {
                format!("感谢您的支持!已有 {} 人联名,需 {} 人。", d.matter.cosigners, d.matter.cosigners_needed)
            } else {
                "感谢您的支持!联名人数已经达到,议题进入“待协商”。".to_string()
            };
            m.done(d, note);
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let mine = (s.cosigned == Some(true)).then(|| {
        view! { <p class="alert alert-ok" style="margin:.5rem 0" data-testid="cosigned">"您已联名支持"</p> }
    });
    let ask = d.can_cosign.then_some(move || {
            if asking.get() {
                view! {
                    <div role="group" aria-label="确认联名" style="margin:.5rem 0">
                        <p><strong>"确认以您的名义联名支持这个议题?"</strong></p>
                        <div class="actions">
                            <button type="button" class="btn btn-primary btn-large" data-testid="cosign-confirm"
                                disabled=move || send.pending().get()
                                on:click=move |_| {
                                    error.set(None);
                                    send.dispatch(Empty {});
                                }>"确认联名"</button>
                            <button type="button" class="btn btn-large" on:click=move |_| asking.set(false)>"取消"</button>
                        </div>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="btn btn-primary btn-large btn-block" style="white-space:normal;margin:.5rem 0"
                        data-testid="cosign" on:click=move |_| asking.set(true)>"我支持,联名"</button>
                }
                .into_any()
            }
    });
    view! {
        <h2>"居民联名"</h2>
        <p data-testid="cosigners">
            {if s.status == "collecting" {
                format!("已有 {} 人联名,需 {} 人(含发起人)。", s.cosigners, s.cosigners_needed)
            } else {
                format!("共有 {} 人联名支持(需 {} 人),已达到。", s.cosigners, s.cosigners_needed)
            }}
        </p>
        {mine}
        {ask}
        <p class="form-error" role="alert">{move || error.get()}</p>
    }
}

/// One meeting: when and where, whom it invites, who came, and once held
/// what was decided. A planned one carries the sign-in and record forms.
#[component]
fn MeetingCard(
    x: MeetingView,
    kind: MatterKind,
    can_manage: bool,
    can_sign_in: bool,
    staff: bool,
    m: Matter,
) -> impl IntoView {
    let planned = x.status == "planned";
    let invited = x.invited.iter().map(|p| format!("{}:{}", p.kind_label, p.name)).collect::<Vec<_>>().join(";");
    let votes = x.votes.map(|v| {
        let verdict = if v.carried { "通过" } else { "未通过" };
        view! {
            <dt>"表决"</dt>
            <dd data-testid="meeting-votes">
                {format!("赞成 {} 票,反对 {} 票,弃权 {} 票,{verdict}", v.votes_for, v.votes_against, v.votes_abstain)}
            </dd>
        }
    });
    let outcome = x.outcome_label.clone().map(|o| {
        let to = x.referred_to.clone().map(|t| format!("(移交:{t})")).unwrap_or_default();
        view! { <dt>"调解结果"</dt><dd data-testid="meeting-outcome">{format!("{o}{to}")}</dd> }
    });
    let held = (!planned).then(|| {
        view! {
            <dt>"会议纪要"</dt><dd style=TYPED>{x.minutes.clone().unwrap_or_default()}</dd>
            <dt>"协商结果"</dt><dd style=TYPED data-testid="meeting-resolution">{x.resolution.clone().unwrap_or_default()}</dd>
            {votes}
            {outcome}
        }
    });
    let attendees = (staff && !x.attendance.is_empty()).then(|| {
        let rows = x
            .attendance
            .iter()
            .map(|a| view! { <li>{format!("{}({},{})", a.name, a.capacity_label, a.method_label)}</li> })
            .collect_view();
        view! {
            <details>
                <summary style="min-height:44px;display:flex;align-items:center;cursor:pointer">{format!("签到名单({} 人)", x.present)}</summary>
                <ul data-testid="attendance">{rows}</ul>
            </details>
        }
    });
    let mid = x.id;
    let present = x.present;
    let forms = planned.then(|| {
        view! {
            {can_sign_in.then(|| view! { <super::attendance::SignIn mid m /> })}
            {can_manage.then(|| view! { <super::record::RecordForm mid kind present m /> })}
        }
    });
    view! {
        <li style=ITEM data-testid="meeting">
            <h3 style="margin:0 0 .35rem;font-size:1.15rem">
                {x.kind_label.clone()}" "
                <span class=if planned { "badge badge-warn" } else { "badge badge-ok" }>{x.status_label.clone()}</span>
            </h3>
            <dl class="facts">
                <dt>"时间"</dt><dd>{format!("{} {}", x.date, x.time)}</dd>
                <dt>"地点"</dt><dd style=TYPED>{x.place.clone()}</dd>
                <dt>"邀请"</dt><dd style=TYPED>{invited}</dd>
                <dt>"签到"</dt><dd data-testid="meeting-present">{format!("{} 人", x.present)}</dd>
                {held}
            </dl>
            {attendees}
            {forms}
        </li>
    }
}
