//! `/self-government/polls/:id/entry`: staff enter questionnaires — a paper
//! one handed back, or one filled in at the door with a grid member's
//! tablet. Find the resident (building, room, or a name for those who see
//! names; as one types), mark how it came, fill in the answers. Each entry
//! carries a key of the poll and the resident, so sending it twice stores it
//! once. After each one the page says whose was entered and the
//! search takes the focus for the next.

use gongzhi_api::poll::{AskedResident, PollEntry, PollView};
use gongzhi_domain::{DomainError, Field, FieldError};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

use super::questionnaire::{fields, Answers, Questionnaire};
use super::{crumb, SLUG};
use crate::components::form::{focus_first_error, Checks};
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::session::role;
use crate::services::{api, store};

const FIELD_RESIDENT: Field = Field::new("resident_id", "居民名册编号");

#[component]
pub fn EntryPage() -> impl IntoView {
    let at = crate::pages::self_government::path_id("/self-government/polls/");
    let id = Memo::new(move |_| at.get().unwrap_or_default());
    // The tablet's last copy when the network is down (the page opened from the poll's).
    let poll = LocalResource::new(move || {
        let id = id.get();
        async move { store::get_kept::<PollView>(&format!("/api/polls/{id}")).await.map(|(v, _)| v) }
    });
    view! {
        <RequireMenu slug=SLUG>
            {crumb("录入问卷")}
            {move || match poll.get() {
                None => loading(),
                Some(Err(e)) => failed("录入问卷", e),
                Some(Ok(v)) if !v.can_enter => view! {
                    <section class="panel">
                        <h1>{v.title.clone()}</h1>
                        <p class="notice" role="status">"这次调查已经结束,或您不能录入问卷。"</p>
                        <A href=format!("/self-government/polls/{}", v.id)>"返回调查"</A>
                    </section>
                }.into_any(),
                Some(Ok(v)) => view! { <Entry v /> }.into_any(),
            }}
        </RequireMenu>
    }
}

#[component]
fn Entry(v: PollView) -> impl IntoView {
    let id = v.id;
    let n = v.questions.len();
    let questions = StoredValue::new(v.questions.clone());
    let channel = RwSignal::new(if role() == "grid_member" { "door_to_door" } else { "paper" }.to_string());
    let chosen = RwSignal::new(None::<AskedResident>);
    let entered = RwSignal::new(None::<String>);
    let responses = RwSignal::new(v.responses);
    let answers = Answers::new(n);
    let local = move || -> Vec<FieldError> {
        let who = chosen.get().map(|r| r.resident_id.to_string()).unwrap_or_default();
        let mut e: Vec<FieldError> = FIELD_RESIDENT.required_id(&who).err().into_iter().collect();
        e.extend(answers.input().parse(&questions.get_value()).err().unwrap_or_default());
        e
    };
    let Checks { tried, server, errors } = Checks::new(local);
    // Finding the resident: as one types, once the keys have rested for
    // about 300 ms (18 frames; a timer would be a new browser call in the
    // bundle's first load).
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let typing = StoredValue::new(0u32);
    let on_type = move |text: String| {
        typed.set(text);
        typing.update_value(|n| *n += 1);
        let mine = typing.get_value();
        after_frames(18, move || {
            if typing.get_value() == mine {
                search.set(typed.get_untracked().trim().to_string());
            }
        });
    };
    let found = LocalResource::new(move || {
        let q = search.get();
        let _ = entered.get();
        async move {
            let q = js_sys::encode_uri_component(&q);
            store::get_kept::<Vec<AskedResident>>(&format!("/api/polls/{id}/asked?q={q}")).await.map(|(v, _)| v)
        }
    });
    // Entries made without network wait on the tablet (待同步) and go when it returns.
    let waiting = RwSignal::new(waiting_now());
    let report = RwSignal::new(None::<String>);
    // One sending at a time (the page's start, the `online` event and 立即发送 may meet).
    let sending = StoredValue::new(false);
    let sync = move || {
        if sending.get_value() {
            return;
        }
        sending.set_value(true);
        leptos::task::spawn_local(async move {
            if let Some(line) = send_waiting(waiting, responses, id).await {
                report.set(Some(line));
            }
            sending.set_value(false);
        })
    };
    sync();
    let online = window_event_listener(leptos::ev::online, move |_| sync());
    on_cleanup(move || online.remove());
    let send = Action::new_local(move |body: &PollEntry| {
        let body = body.clone();
        async move {
            // No network: the entry itself comes back, to wait on the tablet.
            match api::send::<_, PollView>("POST", &format!("/api/polls/{id}/entries"), &body).await {
                Err(e) if store::is_offline(&e) => Ok(Err(body)),
                r => r.map(Ok),
            }
        }
    });
    let search_box = NodeRef::<html::Input>::new();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(sent)) => {
            let who = chosen.get_untracked().map(|r| format!("{}({})", r.name, r.address)).unwrap_or_default();
            let how = if channel.get_untracked() == "door_to_door" { "入户填写" } else { "纸质问卷" };
            match sent {
                Ok(v) => {
                    entered.set(Some(format!(
                        "已录入 {who} 的问卷({how})。本次调查共收到 {} 份,请录入下一份。",
                        v.responses
                    )));
                    responses.set(v.responses);
                }
                Err(body) => {
                    // Kept on the tablet under its key, sent when the network returns.
                    wait(Waiting { poll: id, who: who.clone(), body });
                    waiting.set(waiting_now());
                    entered.set(Some(format!(
                        "已存入待同步:{who} 的问卷({how})。联网后自动发送,现有 {} 份待同步。",
                        waiting.get_untracked().len()
                    )));
                }
            }
            chosen.set(None);
            answers.clear();
            tried.set(false);
            typed.set(String::new());
            search.set(String::new());
            if let Some(input) = search_box.get_untracked() {
                let _ = input.focus();
            }
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let channels = [("door_to_door", "网格员入户填写"), ("paper", "纸质问卷录入")]
        .into_iter()
        .map(|(code, label)| {
            view! {
                <label class="choice">
                    <input type="radio" name="channel" value=code prop:checked=move || channel.get() == code
                        on:change=move |_| channel.set(code.into()) />
                    {label}
                </label>
            }
        })
        .collect_view();
    let resident_error = Signal::derive(move || errors.with(|e| e.for_field("resident_id")));
    let list = move || {
        found.get().map(|r| match r {
            Ok(list) if list.is_empty() => {
                view! { <p class="empty" data-testid="poll-asked-none">"没有找到调查对象中的这位居民。"</p> }.into_any()
            }
            Ok(list) => view! {
                <ul style="list-style:none;margin:0;padding:0;display:grid;gap:.5rem">
                    {list.into_iter().map(|r| {
                        let label = format!("{} · {}", r.name, r.address);
                        // Entered here without network: waiting to be sent, not to be entered again.
                        let held = waiting.with(|w| w.iter().any(|x| x.poll == id && x.body.resident_id == r.resident_id.to_string()));
                        let done = r.answered || held;
                        let pick = r.clone();
                        view! {
                            <li data-testid="poll-asked">
                                <button type="button" class="btn btn-block" style="min-height:48px;justify-content:space-between;text-align:left"
                                    disabled=done on:click=move |_| {
                                        // A fresh questionnaire for each resident.
                                        answers.clear();
                                        tried.set(false);
                                        chosen.set(Some(pick.clone()));
                                        entered.set(None);
                                        server.set(None);
                                                                }>
                                    <span>{label}</span>
                                    <span>{if held { "待同步" } else if done { "已填写" } else { "选择" }}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
        })
    };
    let names = if role() == "grid_member" { "楼栋、房号或姓名" } else { "楼栋或房号" };
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{format!("录入问卷:{}", v.title)}</h1>
                <span data-testid="poll-entry-count">{move || format!("已收 {} 份", responses.get())}</span>
            </div>
            <p class="hint" style="margin-top:0">
                {format!("调查对象:{}。每位居民只计一份;已在网上或由他人录入过的,不能再录入。", v.audience_label)}
            </p>
            {move || entered.get().map(|t| view! { <p class="alert alert-ok" role="status" data-testid="poll-entered">{t}</p> })}
            {move || report.get().map(|t| view! { <p class="alert alert-ok" role="status" data-testid="poll-synced">{t}</p> })}
            {move || (!waiting.with(Vec::is_empty)).then(|| view! {
                <p class="notice" role="status" data-testid="poll-waiting" style="display:flex;gap:1rem;align-items:center;flex-wrap:wrap">
                    <span>{move || format!("待同步 {} 份问卷:已存在这台平板上,联网后自动发送。退出登录会清除未发送的问卷。", waiting.with(Vec::len))}</span>
                    <button type="button" class="btn btn-small" on:click=move |_| sync()>"立即发送"</button>
                </p>
            })}
            <form data-testid="poll-entry-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                entered.set(None);
                let problems = local();
                if !problems.is_empty() {
                    focus_first_error(&problems, |f| if f == "resident_id" { "poll-find".into() } else { format!("entry-{f}") });
                    return;
                }
                let Some(who) = chosen.get_untracked() else { return };
                send.dispatch(PollEntry {
                    resident_id: who.resident_id.to_string(),
                    channel: channel.get_untracked(),
                    // One key per resident and poll: a retried send is the same entry;
                    // another for the same resident is refused as answered already.
                    idempotency_key: format!("poll-{id}-{}", who.resident_id),
                    response: answers.input(),
                });
            }>
                <fieldset class="form-section" aria-describedby="channel-note">
                    <legend>"填写方式"</legend>
                    <div class="choice-row">{channels}</div>
                    <p id="channel-note" class="hint">"入户填写:网格员当面询问并代为填写;纸质问卷:照居民交回的问卷录入。"</p>
                </fieldset>
                <div class="field" style="max-width:28rem">
                    <label for="poll-find">{format!("查找居民({names})")}</label>
                    <input id="poll-find" type="search" autocomplete="off" node_ref=search_box
                        prop:value=move || typed.get() on:input=move |ev| on_type(event_target_value(&ev))
                        aria-invalid=move || resident_error.get().is_some().to_string() aria-describedby="poll-find-error" />
                    <p id="poll-find-error" class="field-error" role="alert">{move || resident_error.get()}</p>
                </div>
                {move || match chosen.get() {
                    Some(r) => view! {
                        <p class="notice" role="status" data-testid="poll-chosen" style="display:flex;gap:1rem;align-items:center;flex-wrap:wrap;font-size:1.1rem">
                            <span>{format!("正在为 {}({})填写", r.name, r.address)}</span>
                            <button type="button" class="btn btn-small" on:click=move |_| {
                                answers.clear();
                                tried.set(false);
                                server.set(None);
                                chosen.set(None);
                            }>"换一位居民"</button>
                        </p>
                    }.into_any(),
                    None => list().unwrap_or_else(loading),
                }}
                {move || chosen.get().is_some().then(|| view! {
                    <Questionnaire prefix="entry" questions=questions.get_value() answers errors />
                    <p class="form-error" role="alert">
                        {move || errors.with(|e| e.general(&[fields(n), vec!["resident_id", "channel"]].concat()))}
                    </p>
                    <button type="submit" class="btn btn-primary btn-large" data-testid="poll-entry-submit"
                        disabled=move || send.pending().get()>
                        {move || if send.pending().get() { "正在录入…" } else { "录入这份问卷" }}
                    </button>
                })}
            </form>
            <p><A href=format!("/self-government/polls/{id}")>"返回调查"</A></p>
        </section>
    }
}

/// Runs `then` after `n` animation frames.
fn after_frames(n: u32, then: impl FnOnce() + 'static) {
    if n == 0 {
        then();
    } else {
        request_animation_frame(move || after_frames(n - 1, then));
    }
}

/// An entry made without network (待同步): kept per person on the tablet
/// (`store::own_key`, gone at sign-out), sent under its key when the network
/// returns, so it is stored once however often it is tried.
#[derive(Clone, Serialize, Deserialize)]
struct Waiting {
    poll: i64,
    /// Whose, as shown (the masked name and the address).
    who: String,
    body: PollEntry,
}

const WAITING: &str = "poll-entries-waiting";

/// Whether a refusal passes: the entry stays for the next try (after signing
/// in again, or when the network or the server is back).
fn passing(code: &str) -> bool {
    use gongzhi_domain::auth::AccessError::*;
    code == "network_error"
        || code == "internal_error"
        || [NotLoggedIn, SessionExpired, CsrfMissing, PasswordChangeRequired].iter().any(|a| a.code() == code)
}

fn waiting_now() -> Vec<Waiting> {
    store::kept(&store::own_key(WAITING)).unwrap_or_default()
}

fn wait(w: Waiting) {
    let mut all = waiting_now();
    all.retain(|x| x.body.idempotency_key != w.body.idempotency_key);
    all.push(w);
    store::keep(&store::own_key(WAITING), &all);
}

fn done_waiting(key: &str) {
    let mut all = waiting_now();
    all.retain(|x| x.body.idempotency_key != key);
    store::keep(&store::own_key(WAITING), &all);
}

/// Sends what waits, in order, until a send fails for a passing reason; a
/// refusal (answered meanwhile, the poll ended) takes the entry out with its
/// reason. Says what became of them, when anything was sent or refused.
async fn send_waiting(waiting: RwSignal<Vec<Waiting>>, responses: RwSignal<u32>, shown: i64) -> Option<String> {
    let (mut sent, mut refused) = (0, Vec::new());
    for w in waiting_now() {
        match api::send::<_, PollView>("POST", &format!("/api/polls/{}/entries", w.poll), &w.body).await {
            Ok(v) => {
                sent += 1;
                if v.id == shown {
                    responses.set(v.responses);
                }
            }
            // Refused for good (answered meanwhile, the poll ended, not in the area):
            // out of the queue, with why. Anything else (no network, the session
            // ended, the server busy) keeps it for the next try.
            Err(e) if passing(&e.code) => break,
            Err(e) => refused.push(format!("{}:{}", w.who, e.message)),
        }
        done_waiting(&w.body.idempotency_key);
    }
    waiting.set(waiting_now());
    if sent == 0 && refused.is_empty() {
        return None;
    }
    let mut line = format!("已发送待同步的问卷 {sent} 份。");
    if !refused.is_empty() {
        line.push_str(&format!("未能录入:{}", refused.join(";")));
    }
    Some(line)
}
