//! `/participation/rounds/:id`: one round for a resident on a phone — its
//! phase as a line of four steps, the rules in plain words, and by phase the
//! proposals with their outcomes (every outcome and reason is public), the
//! candidates and the way to the ballot, the published result with the
//! anonymised ballots for a recount, and the chosen projects' delivery with
//! their ratings. Staff find the links to their pages here too.

use gongzhi_api::participation::{
    CandidateView, DeliveryView, MilestoneView, ProposalView, RateProject, ResultView, RoundDetail, RoundView,
    UpdateView,
};
use gongzhi_domain::ballot::{Channel, Rating};
use gongzhi_domain::participation::RoundStatus;
use leptos::prelude::*;
use leptos_router::components::A;

use super::shared::{load_round, phase_badge, role, round_id, yuan, Loaded};
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::api;

/// A plain list of boxes, one under another (inline: the shared stylesheet
/// is in every first load).
const LIST: &str = "list-style:none;margin:0;padding:0;display:grid;gap:.75rem";
/// One box of such a list.
const ITEM: &str = "border:1px solid #d1d5db;border-radius:8px;padding:.75rem 1rem";
/// A heading inside a box.
const H3: &str = "margin:0 0 .35rem;font-size:1.15rem";
/// A line of text inside a box.
const LINE: &str = "margin:.3rem 0";
/// A big button that wraps its text on a narrow screen.
const BIG: &str = "white-space:normal;margin:.25rem 0 1rem";

#[component]
pub fn RoundPage() -> impl IntoView {
    let id = round_id();
    let detail = load_round(id);
    view! {
        <RequireMenu slug="participation">
            <p class="breadcrumb"><A href="/participation">"百姓定实事"</A>" / 本轮详情"</p>
            {move || match detail.get() {
                None => loading(),
                Some(Err(e)) => failed("百姓定实事", e),
                Some(Ok(d)) => view! { <Round d detail /> }.into_any(),
            }}
        </RequireMenu>
    }
}

#[component]
fn Round(d: RoundDetail, detail: Loaded) -> impl IntoView {
    let r = d.round.clone();
    let role = role();
    let resident = role == "resident";
    let may_propose = matches!(role.as_str(), "resident" | "grid_member" | "community_leader");
    let delivers = d.deliveries.iter().any(|x| x.can_update);
    let grid = role == "grid_member";
    let staff = staff_links(&r, grid, delivers);
    let now = match r.status.as_str() {
        "proposing" => format!("正在征集居民建议,{} 截止。", r.proposals_until),
        "screening" => "征集已结束,工作人员正在筛选建议、论证可行性并估算费用,随后公布候选项目。".into(),
        "voting" => format!("候选项目已公布,正在投票,{} 截止。", r.voting_until),
        _ => "投票已结束,结果已公布。当选项目由责任部门实施,进度在本页公开。".into(),
    };
    // What matters most in this phase comes first.
    let main = match r.status.as_str() {
        "voting" => view! { <Candidates r=r.clone() list=d.candidates.clone() /> }.into_any(),
        "counted" => view! {
            {d.result.clone().map(|res| view! { <Outcome r=r.clone() res /> })}
            <Deliveries list=d.deliveries.clone() resident detail />
        }
        .into_any(),
        _ => view! { <Proposals r=r.clone() list=d.proposals.clone() may_propose folded=false /> }.into_any(),
    };
    let later = matches!(r.status.as_str(), "voting" | "counted")
        .then(|| view! { <Proposals r=r.clone() list=d.proposals.clone() may_propose=false folded=true /> });
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{r.title.clone()}</h1>
                <span class=phase_badge(&r.status) data-testid="round-phase">{r.status_label.clone()}</span>
            </div>
            <p class="hint" style="margin-top:0">{r.community_name.clone()}</p>
            <Steps status=r.status.clone() />
            <p style="margin:0" data-testid="round-now">{now}</p>
        </section>
        {staff}
        {main}
        <Rules r=r.clone() />
        {later}
    }
}

/// The four phases in a line (two by two on a phone); the current one is
/// marked by words as well as colour.
#[component]
fn Steps(status: String) -> impl IntoView {
    let now = RoundStatus::ALL.iter().position(|s| s.code() == status).unwrap_or(0);
    let steps = RoundStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (look, state) = if i < now {
                ("background:#dcfce7;color:#166534;border:2px solid #166534", "已完成")
            } else if i == now {
                ("background:#1e3a5f;color:#fff;border:2px solid #1e3a5f", "当前阶段")
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
        <ol data-testid="round-steps" aria-label="本轮进度"
            style="list-style:none;margin:.5rem 0 1rem;padding:0;display:grid;gap:.4rem;grid-template-columns:repeat(auto-fit,minmax(8em,1fr))">
            {steps}
        </ol>
    }
}

/// The staff pages of this round the account works on, if any.
fn staff_links(r: &RoundView, grid: bool, delivers: bool) -> Option<impl IntoView> {
    let base = format!("/participation/rounds/{}", r.id);
    let mut links = vec![];
    if r.can_manage {
        // The screening page also moves the round on (closes proposals, opens and ends the vote).
        links.push((format!("{base}/screening"), "筛选论证与阶段推进", "staff-screening"));
    }
    if (r.can_manage || grid) && r.status == "voting" {
        links.push((format!("{base}/paper"), "纸质选票录入", "staff-paper"));
    }
    if (r.can_manage || delivers) && r.status == "counted" {
        links.push((format!("{base}/delivery"), "项目实施", "staff-delivery"));
    }
    (!links.is_empty()).then(|| {
        let links = links
            .into_iter()
            .map(|(href, text, testid)| view! { <A href=href attr:class="btn" attr:data-testid=testid>{text}</A> })
            .collect_view();
        view! {
            <section class="panel" data-testid="staff-links">
                <h2>"工作人员"</h2>
                <div class="actions">{links}</div>
            </section>
        }
    })
}

#[component]
fn Rules(r: RoundView) -> impl IntoView {
    let budget = if r.within_budget {
        format!("{},每张选票所选项目的估算费用合计不能超过预算", yuan(r.budget_fen))
    } else {
        yuan(r.budget_fen)
    };
    view! {
        <section class="panel" data-testid="round-rules">
            <h2>"本轮规则"</h2>
            <dl class="facts">
                <dt>"名额"</dt><dd>{format!("选出 {} 个实事项目", r.places)}</dd>
                <dt>"预算"</dt><dd>{budget}</dd>
                <dt>"每票可选"</dt><dd>{format!("最多选 {} 项;不想选任何项目的,可投弃权票", r.max_picks)}</dd>
                <dt>"差额票决"</dt><dd>{format!("候选项目不少于 {} 个,多于名额", r.candidates_needed)}</dd>
                <dt>"投票人"</dt><dd>{format!("{},每人一票(网上投票和纸质选票合计)", r.voters_label)}</dd>
                <dt>"征集截止"</dt><dd>{r.proposals_until.to_string()}</dd>
                <dt>"投票截止"</dt><dd>{r.voting_until.to_string()}</dd>
                <dt>"同票规则"</dt>
                <dd>
                    {r.tie_rule.clone()}
                    {r.seed.clone().map(|s| view! { <br />"抽签种子:"<span class="mono" style="overflow-wrap:anywhere;white-space:normal">{s}</span> })}
                </dd>
            </dl>
        </section>
    }
}

#[component]
fn Proposals(r: RoundView, list: Vec<ProposalView>, may_propose: bool, folded: bool) -> impl IntoView {
    let shown = list.iter().filter(|p| p.status != "merged").count();
    let button = (may_propose && r.status == "proposing").then(|| {
        view! {
            <A href=format!("/participation/rounds/{}/propose", r.id) attr:class="btn btn-primary btn-large btn-block"
                attr:style=BIG attr:data-testid="propose">"我要提建议"</A>
        }
    });
    let titles: Vec<(i64, String)> = list.iter().map(|p| (p.id, p.title.clone())).collect();
    let items = if list.is_empty() {
        view! { <p class="empty">"还没有居民建议。"</p> }.into_any()
    } else {
        let items = list.into_iter().map(|p| view! { <Proposal p titles=titles.clone() /> }).collect_view();
        view! { <ul style=LIST>{items}</ul> }.into_any()
    };
    let body = if folded {
        view! {
            <details>
                <summary style="min-height:44px;display:flex;align-items:center;cursor:pointer;font-weight:600;color:#1e3a5f">
                    "查看全部建议及处理结果"
                </summary>
                {items}
            </details>
        }
        .into_any()
    } else {
        items
    };
    view! {
        <section class="panel" data-testid="proposals">
            <h2>{format!("居民建议({shown} 条)")}</h2>
            {button}
            {(!folded).then(|| view! { <p class="hint">"每条建议的处理结果和理由都向居民公开。"</p> })}
            {body}
        </section>
    }
}

#[component]
fn Proposal(p: ProposalView, titles: Vec<(i64, String)>) -> impl IntoView {
    let badge = match p.status.as_str() {
        "candidate" => "badge badge-ok",
        "not_taken" => "badge badge-off",
        _ => "badge badge-none",
    };
    let merged = p.merged_into.map(|into| {
        let to = titles.iter().find(|(id, _)| *id == into).map(|(_, t)| t.clone()).unwrap_or_default();
        view! { <p class="hint" style=LINE>{format!("已合并到建议“{to}”,提议的居民一并计入。")}</p> }
    });
    let costed = (p.status == "candidate").then(|| {
        let cost = p.cost_fen.map(yuan).unwrap_or_default();
        let dept = p.department_name.clone().unwrap_or_default();
        view! { <p style=LINE>{format!("估算费用:{cost} · 责任部门:{dept}")}</p> }
    });
    let reason = p.reason.clone().filter(|_| p.status == "not_taken").map(|why| {
        view! { <p class="notice" style=LINE data-testid="proposal-reason">{format!("未采纳理由:{why}")}</p> }
    });
    view! {
        <li style=ITEM data-testid="proposal" data-status=p.status.clone()>
            <h3 style=H3>{p.title.clone()}</h3>
            <p style=LINE>
                <span class=badge data-testid="proposal-status">{p.status_label.clone()}</span>
                {format!(" 编号 {} · {} 位居民提出 · {}", p.id, p.proposers, p.channel_label)}
            </p>
            <p style=LINE>{format!("问题:{}", p.problem)}</p>
            <p style=LINE>{format!("地点:{} · 受益:{}", p.place, p.beneficiaries)}</p>
            {costed}
            {p.feasibility.clone().map(|f| view! { <p class="hint" style=LINE>{format!("可行性论证:{f}")}</p> })}
            {reason}
            {merged}
        </li>
    }
}

#[component]
fn Candidates(r: RoundView, list: Vec<CandidateView>) -> impl IntoView {
    let vote = match r.voted {
        Some(true) => view! {
            <p class="alert alert-ok" role="status" data-testid="voted">
                {format!("您已投票,感谢参与!结果在 {} 投票截止后公布。", r.voting_until)}
            </p>
        }
        .into_any(),
        Some(false) => view! {
            <A href=format!("/participation/rounds/{}/ballot", r.id) attr:class="btn btn-primary btn-large btn-block"
                attr:style=BIG attr:data-testid="go-vote">"去投票"</A>
        }
        .into_any(),
        None if role() == "resident" => view! {
            <p class="hint" data-testid="no-vote">"您不在本轮的投票人名单中,如有疑问请联系社区。"</p>
        }
        .into_any(),
        None => view! { <p class="hint">"居民在手机上网上投票;纸质选票由两位工作人员分别录入、核对。"</p> }.into_any(),
    };
    let items = list
        .into_iter()
        .map(|c| {
            view! {
                <li style=ITEM data-testid="candidate">
                    <h3 style=H3>{c.title}</h3>
                    <p style=LINE>{format!("问题:{}", c.problem)}</p>
                    <p style=LINE>{format!("地点:{}", c.place)}</p>
                    <p style=LINE>{format!("估算费用:{} · 责任部门:{}", yuan(c.cost_fen), c.department_name)}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" data-testid="candidates">
            <h2>"候选项目"</h2>
            <p>{format!("从下列候选项目中选出 {} 个,每人最多选 {} 项。", r.places, r.max_picks)}</p>
            {vote}
            <ul style=LIST>{items}</ul>
        </section>
    }
}

#[component]
fn Outcome(r: RoundView, res: ResultView) -> impl IntoView {
    let t = &res.tally;
    let lines = res
        .lines
        .iter()
        .map(|l| {
            let (badge, word) = if l.chosen { ("badge badge-ok", "当选") } else { ("badge badge-none", "未当选") };
            let style = if l.chosen { format!("{ITEM};border:2px solid #166534") } else { ITEM.to_string() };
            view! {
                <li style=style data-testid="result-line" data-chosen=l.chosen.to_string()>
                    <h3 style=H3>{format!("第 {} 名:{}", l.rank, l.title)}</h3>
                    <p style=LINE>
                        <span class=badge data-testid="result-chosen">{word}</span>
                        {format!(" {} 票 · 估算费用 {}", l.votes, yuan(l.cost_fen))}
                    </p>
                    {l.tie_decided.then(|| view! {
                        <p class="hint" style=LINE data-testid="tie-decided">"与其他项目得票相同,名次按公布的同票规则确定。"</p>
                    })}
                </li>
            }
        })
        .collect_view();
    let share = |n: u32, of: u32| (n * 100).checked_div(of).map(|p| format!(",{p}%")).unwrap_or_default();
    let channels =
        t.by_channel.iter().map(|(c, n)| format!("{} {n} 张", Channel::label(*c))).collect::<Vec<_>>().join(" · ");
    let grids = (!res.by_grid.is_empty()).then(|| {
        let items = res
            .by_grid
            .iter()
            .map(|g| view! { <li>{format!("{}:{} / {} 人{}", g.grid_name, g.voted, g.eligible, share(g.voted, g.eligible))}</li> })
            .collect_view();
        view! { <h3 style="font-size:1.1rem">"各网格参与情况"</h3><ul data-testid="turnout-grids">{items}</ul> }
    });
    let seed = if res.seed.is_empty() { String::new() } else { format!("、抽签种子 {}", res.seed) };
    view! {
        <section class="panel" data-testid="result">
            <h2>"投票结果"</h2>
            <p>{format!("按得票多少排序,前 {} 名当选;没有得票的项目不当选。", r.places)}</p>
            <ol style=LIST>{lines}</ol>
            <h3 style="font-size:1.1rem;margin-top:1.25rem">"投票情况"</h3>
            <dl class="facts" data-testid="turnout">
                <dt>"参加投票"</dt><dd>{format!("{} 人(应参加 {} 人{})", t.cast, res.eligible, share(t.cast, res.eligible))}</dd>
                <dt>"投票方式"</dt><dd>{channels}</dd>
                <dt>"有效票"</dt><dd>{format!("{} 张", t.valid)}</dd>
                <dt>"弃权票"</dt><dd>{format!("{} 张(空白票)", t.blank)}</dd>
                <dt>"废票"</dt><dd>{format!("{} 张", t.void)}</dd>
            </dl>
            {grids}
            <h3 style="font-size:1.1rem">"人人可以复核"</h3>
            <p>{format!(
                "选票已去掉姓名等个人信息后公开。任何人都可以下载全部匿名选票,按公布的规则(每票最多选 {} 项、同票规则{seed})重新计票,结果应与上面完全一致。",
                r.max_picks
            )}</p>
            <a class="btn" style="white-space:normal" rel="external" data-testid="recount"
                href=format!("/api/participation/rounds/{}/recount", r.id) download=format!("recount-{}.json", r.id)>
                "下载匿名选票(供复核)"
            </a>
        </section>
    }
}

#[component]
fn Deliveries(list: Vec<DeliveryView>, resident: bool, detail: Loaded) -> impl IntoView {
    let body = if list.is_empty() {
        view! { <p class="empty">"本轮没有当选项目。"</p> }.into_any()
    } else {
        let items = list.into_iter().map(|d| view! { <Delivery d resident detail /> }).collect_view();
        view! { <ul style=LIST>{items}</ul> }.into_any()
    };
    view! {
        <section class="panel" data-testid="deliveries">
            <h2>"实事项目实施情况"</h2>
            <p class="hint">"当选项目由责任部门实施,进度向居民公开;项目完工后,每位居民可以评价一次。"</p>
            {body}
        </section>
    }
}

fn milestone(m: MilestoneView) -> impl IntoView {
    let state = match (m.done_on, m.late) {
        (Some(on), _) => view! { <span class="badge badge-ok">{format!("已于 {on} 完成")}</span> }.into_any(),
        (None, true) => view! { <span class="badge badge-off" data-testid="late">"已逾期"</span> }.into_any(),
        (None, false) => view! { <span class="badge badge-none">"未完成"</span> }.into_any(),
    };
    view! {
        <li style=LINE data-testid="milestone">
            <strong>{m.name}</strong>{format!(" 计划 {} 完成 ", m.due_on)}{state}
        </li>
    }
}

fn update(u: UpdateView) -> impl IntoView {
    view! {
        <li data-testid="update">
            <strong>{u.on.to_string()}</strong>
            <span>{format!("进度 {}%", u.progress)}</span>
            <p>{u.note}</p>
            <p class="hint">{u.by}</p>
        </li>
    }
}

#[component]
fn Delivery(d: DeliveryView, resident: bool, detail: Loaded) -> impl IntoView {
    let label_id = format!("progress-{}", d.id);
    let done = d.completed_on.map(|on| format!(",已于 {on} 完工")).unwrap_or_default();
    let r = d.ratings;
    let pct = r.satisfaction_pct.map(|p| format!("(满意率 {p}%)")).unwrap_or_default();
    let tally = format!("满意 {} 人 · 基本满意 {} 人 · 不满意 {} 人{pct}", r.satisfied, r.fair, r.unsatisfied);
    let mine = d.my_rating.as_deref().and_then(Rating::from_code);
    let rate = match (resident, d.completed_on.is_some(), mine) {
        (true, _, Some(m)) => Some(
            view! { <p class="alert alert-ok" role="status" data-testid="my-rating">{format!("您的评价:{}", m.label())}</p> }
                .into_any(),
        ),
        (true, true, None) => Some(view! { <Rate id=d.id detail /> }.into_any()),
        (true, false, None) => Some(view! { <p class="hint">"项目完工后,您可以在这里评价。"</p> }.into_any()),
        _ => None,
    };
    let milestones = (!d.milestones.is_empty()).then(|| {
        let items = d.milestones.into_iter().map(milestone).collect_view();
        view! { <h4 style="margin:.75rem 0 .25rem">"计划节点"</h4><ul style="margin:0;padding-left:1.25rem">{items}</ul> }
    });
    let updates = (!d.updates.is_empty()).then(|| {
        let items = d.updates.into_iter().map(update).collect_view();
        view! { <h4 style="margin:.75rem 0 .25rem">"进展公开"</h4><ul class="timeline" data-testid="updates">{items}</ul> }
    });
    view! {
        <li style=ITEM data-testid="delivery">
            <h3 style=H3>{d.title.clone()}</h3>
            <p style=LINE>{format!("责任部门:{} · 估算费用:{}", d.department_name, yuan(d.cost_fen))}</p>
            <p style=LINE id=label_id.clone() data-testid="delivery-progress">
                <strong>{format!("完成进度 {}%", d.progress)}</strong>{done}
            </p>
            <div role="progressbar" aria-labelledby=label_id aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=d.progress.to_string()
                style="height:14px;border:1px solid #6b7280;border-radius:7px;background:#e5e7eb;overflow:hidden">
                <div style=format!("width:{}%;height:100%;background:#166534", d.progress.min(100))></div>
            </div>
            {milestones}
            {updates}
            <h4 style="margin:.75rem 0 .25rem">"居民评价"</h4>
            <p style=LINE data-testid="rating-tally">{tally}</p>
            {rate}
        </li>
    }
}

/// Three big buttons, then a confirmation: a rating is given once.
#[component]
fn Rate(id: i64, detail: Loaded) -> impl IntoView {
    let picked = RwSignal::new(None::<Rating>);
    let error = RwSignal::new(None::<String>);
    let send = Action::new_local(move |rating: &Rating| {
        let body = RateProject { rating: rating.code().into() };
        async move {
            api::send::<_, RoundDetail>("POST", &format!("/api/participation/deliveries/{id}/ratings"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => detail.set(Some(Ok(d))),
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let choose = move || {
        match picked.get() {
        None => Rating::ALL
            .into_iter()
            .map(|r| {
                view! {
                    <button type="button" class="btn btn-large btn-block" style="margin:.3rem 0"
                        data-testid=format!("rate-{}", r.code())
                        on:click=move |_| { error.set(None); picked.set(Some(r)); }>{r.label()}</button>
                }
            })
            .collect_view()
            .into_any(),
        Some(r) => view! {
            <p style="font-weight:600" data-testid="rate-question">{format!("您选择了“{}”。提交后不能修改,确认吗?", r.label())}</p>
            <div class="actions">
                <button type="button" class="btn btn-primary btn-large" data-testid="rate-confirm"
                    disabled=move || send.pending().get() on:click=move |_| { send.dispatch(r); }>"确认评价"</button>
                <button type="button" class="btn btn-large" disabled=move || send.pending().get()
                    on:click=move |_| { error.set(None); picked.set(None); }>"重新选择"</button>
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <div role="group" aria-labelledby=format!("rate-{id}") data-testid="rate">
            <p id=format!("rate-{id}") style="font-weight:600;margin:.5rem 0">"项目已完工,您满意吗?每人评价一次。"</p>
            {choose}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </div>
    }
}
