//! `/participation/rounds/:id/propose`: a proposal — a resident's own
//! (online), or one a grid member records on a resident's behalf (with how
//! it came in and the resident's id on the register). Checked in the browser
//! by the domain's `ProposalInput::parse`, so the messages are the server's;
//! once sent, the form gives way to the proposal's number and any similar
//! proposals already made.

use gongzhi_api::participation::{ProposalView, RoundDetail};
use gongzhi_domain::participation::{similarity, ProposalChannel, ProposalInput, SIMILAR};
use leptos::prelude::*;
use leptos_router::components::A;

use super::shared::{load_round, role, round_id, Crumb};
use crate::components::form::{Area, Checks, TextField};
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::api;

const FIELDS: &[&str] = &["title", "problem", "place", "beneficiaries", "channel", "resident_id"];

#[component]
pub fn ProposePage() -> impl IntoView {
    let id = round_id();
    let detail = load_round(id);
    view! {
        <RequireMenu slug="participation">
            {move || view! { <Crumb id=id.get() here="提建议" /> }}
            {move || match detail.get() {
                None => loading(),
                Some(Err(e)) => failed("提建议", e),
                Some(Ok(d)) if d.round.status != "proposing" => view! {
                    <section class="panel">
                        <h1>"提建议"</h1>
                        <p class="notice" role="status" data-testid="not-proposing">
                            {format!("本轮现在是“{}”阶段,已不再征集建议。", d.round.status_label)}
                        </p>
                        <p><A href=format!("/participation/rounds/{}", d.round.id) attr:class="btn">"返回本轮"</A></p>
                    </section>
                }
                .into_any(),
                Some(Ok(d)) => view! { <ProposeForm d /> }.into_any(),
            }}
        </RequireMenu>
    }
}

/// What was sent and what came back: the proposal's number and the
/// proposals that read alike.
#[derive(Clone)]
struct Sent {
    id: i64,
    similar: Vec<String>,
}

/// The new proposal in the answer: not on the page before, with the title
/// sent (the newest such, should someone else have proposed meanwhile).
fn find_new(d: &RoundDetail, before: &[i64], title: &str) -> Option<Sent> {
    let new: Vec<&ProposalView> = d.proposals.iter().filter(|p| !before.contains(&p.id)).collect();
    let p = new.iter().filter(|p| p.title == title).max_by_key(|p| p.id).or_else(|| new.iter().max_by_key(|p| p.id))?;
    // Staff are told by the server; a resident by the same measure here.
    let similar = if p.similar.is_empty() {
        let me = format!("{}{}", p.title, p.place);
        d.proposals
            .iter()
            .filter(|o| o.id != p.id && (o.status == "submitted" || o.status == "candidate"))
            .filter(|o| similarity(&me, &format!("{}{}", o.title, o.place)) >= SIMILAR)
            .map(|o| o.title.clone())
            .collect()
    } else {
        p.similar.iter().map(|(_, t)| t.clone()).collect()
    };
    Some(Sent { id: p.id, similar })
}

#[component]
fn ProposeForm(d: RoundDetail) -> impl IntoView {
    let rid = d.round.id;
    let staff = role() != "resident";
    let before = StoredValue::new(d.proposals.iter().map(|p| p.id).collect::<Vec<_>>());
    let v: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [title, problem, place, beneficiaries, channel, resident_id] = v;
    let input = move || ProposalInput {
        title: title.get(),
        problem: problem.get(),
        place: place.get(),
        beneficiaries: beneficiaries.get(),
        channel: if staff { channel.get() } else { "online".into() },
        resident_id: if staff { resident_id.get() } else { String::new() },
    };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let sent = RwSignal::new(None::<Sent>);
    let send = Action::new_local(move |body: &ProposalInput| {
        let body = body.clone();
        async move {
            api::send::<_, RoundDetail>("POST", &format!("/api/participation/rounds/{rid}/proposals"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let t = title.get_untracked().trim().to_string();
            before.update_value(|b| {
                sent.set(find_new(&d, b, &t).or(Some(Sent { id: 0, similar: vec![] })));
                *b = d.proposals.iter().map(|p| p.id).collect();
            });
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let again = move |_| {
        for s in [title, problem, place, beneficiaries, channel, resident_id] {
            s.set(String::new());
        }
        tried.set(false);
        server.set(None);
        sent.set(None);
    };
    let round_page = format!("/participation/rounds/{rid}");
    let heading = view! {
        <h1>"提建议"</h1>
        <p class="lead" style="margin-bottom:.5rem">{d.round.title.clone()}</p>
    };
    let form = move || {
        let channels = ProposalChannel::ALL
            .iter()
            .filter(|c| **c != ProposalChannel::Online)
            .map(|c| {
                let code = c.code();
                view! {
                    <label class="choice">
                        <input type="radio" name="channel" value=code prop:checked=move || channel.get() == code
                            on:change=move |_| channel.set(code.into()) />
                        {c.label()}
                    </label>
                }
            })
            .collect_view();
        let on_behalf = staff.then(|| {
            view! {
                <fieldset class="form-section field-wide" aria-describedby="channel-error">
                    <legend>"代居民提出"</legend>
                    <p class="hint" style="margin-top:0">"居民通过纸质意见、电话或会议提出的建议,由工作人员代为录入。"</p>
                    <div class="field">
                        <p id="channel-label" style="font-weight:600;margin:0 0 .3rem">"提出方式"</p>
                        <div class="choice-row" role="radiogroup" aria-labelledby="channel-label">{channels}</div>
                        <p id="channel-error" class="field-error" role="alert">{move || err("channel").get()}</p>
                    </div>
                    <TextField id="resident_id" label="提议居民的居民名册编号" value=resident_id error=err("resident_id")
                        hint="在居民名册中查到的编号(数字)" />
                </fieldset>
            }
        });
        view! {
            <form class="form-grid" data-testid="proposal-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                if input().parse().is_ok() {
                    send.dispatch(input());
                }
            }>
                <TextField id="title" label="建议做什么(项目名称)" value=title error=err("title")
                    hint="不超过 40 个字,例如“6 栋加装电梯”" />
                <Area id="problem" label="要解决什么问题" value=problem error=err("problem") rows=4 />
                <TextField id="place" label="在哪里(地点)" value=place error=err("place") hint="例如“幸福里 3 栋与 5 栋之间”" />
                <TextField id="beneficiaries" label="谁受益(受益人群)" value=beneficiaries error=err("beneficiaries")
                    hint="例如“3 栋住户”“全体居民”" />
                {on_behalf}
                <div class="form-actions">
                    <p class="form-error" role="alert" data-testid="proposal-error">{move || errors.with(|e| e.general(FIELDS))}</p>
                    <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="proposal-submit"
                        disabled=move || send.pending().get()>
                        {move || if send.pending().get() { "正在提交…" } else { "提交建议" }}
                    </button>
                </div>
            </form>
        }
    };
    let done = move |s: Sent| {
        let number = match (s.id, staff) {
            (0, _) => "已提交。".to_string(),
            (n, false) => format!("已提交,您的建议编号为 {n}。"),
            (n, true) => format!("已提交,建议编号为 {n}。"),
        };
        let similar = (!s.similar.is_empty()).then(|| {
            let items = s.similar.into_iter().map(|t| view! { <li>{t}</li> }).collect_view();
            view! {
                <p style="margin-bottom:.25rem">"已有居民提过类似的建议:"</p>
                <ul data-testid="similar">{items}</ul>
                <p class="hint">"工作人员筛选时可能把类似的建议合并,提出建议的居民一并计入。"</p>
            }
        });
        view! {
            <div data-testid="proposal-done">
                <p class="alert alert-ok" role="status" data-testid="proposal-number">{number}</p>
                <p>"征集截止后,工作人员会逐条筛选、论证可行性,每条建议的处理结果和理由都在本轮页面公开。"</p>
                {similar}
                <div class="actions" style="margin-top:1rem">
                    <A href=round_page.clone() attr:class="btn btn-primary btn-large" attr:data-testid="back-to-round">"返回本轮"</A>
                    <button type="button" class="btn btn-large" on:click=again>"再提一条"</button>
                </div>
            </div>
        }
    };
    view! {
        <section class="panel">
            {heading}
            {move || match sent.get() {
                Some(s) => done(s).into_any(),
                None => form().into_any(),
            }}
        </section>
    }
}
