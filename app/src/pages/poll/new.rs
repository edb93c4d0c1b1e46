//! `/self-government/polls/new`: the leader asks — the poll's name, why it
//! asks, whom (everyone in the community, some grids, a special group), the
//! closing day, and the questions: each a kind (单选, 多选, 打分, 简答), the
//! question, and for a choice its options one per line. Checked in the
//! browser by the domain's `PollInput::parse`, so the messages are the
//! server's; the first problem takes the focus. Once saved, the poll's page
//! opens and says so.

use gongzhi_api::grid::GridSummary;
use gongzhi_api::poll::PollView;
use gongzhi_domain::org::SpecialGroup;
use gongzhi_domain::poll::{AudienceKind, PollInput, QuestionInput, QuestionKind, MAX_QUESTIONS, QUESTION_FIELDS};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{crumb, SLUG};
use crate::components::form::{focus_first_error, Area, Checks, FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::services::api;
use crate::services::calendar::today_in_shanghai;
use crate::services::session::role;

const FIELDS: &[&str] = &["title", "intro", "audience", "grids", "group", "until", "questions"];

#[component]
pub fn NewPage() -> impl IntoView {
    view! {
        <RequireMenu slug=SLUG>
            {crumb("发起民意调查")}
            <section class="panel">
                <h1>"发起民意调查"</h1>
                {move || if role() == "community_leader" {
                    view! { <NewForm /> }.into_any()
                } else {
                    view! { <p class="notice" role="status">"民意调查由社区负责人发起。"</p> }.into_any()
                }}
            </section>
        </RequireMenu>
    }
}

/// One question being written: its own signals, so typing in one redraws nothing else.
#[derive(Clone, Copy)]
struct Draft {
    key: u32,
    kind: RwSignal<String>,
    text: RwSignal<String>,
    options: RwSignal<String>,
}

impl Draft {
    fn new(key: u32) -> Self {
        Draft {
            key,
            kind: RwSignal::new("single".into()),
            text: RwSignal::new(String::new()),
            options: RwSignal::new(String::new()),
        }
    }

    fn input(&self) -> QuestionInput {
        QuestionInput { kind: self.kind.get(), text: self.text.get(), options: self.options.get() }
    }
}

#[component]
fn NewForm() -> impl IntoView {
    let [title, intro, audience, group, until] = std::array::from_fn(|_| RwSignal::new(String::new()));
    audience.set("community".into());
    let grids = RwSignal::new(Vec::<String>::new());
    let drafts = RwSignal::new(vec![Draft::new(0)]);
    let next = StoredValue::new(1u32);
    let input = move || PollInput {
        title: title.get(),
        intro: intro.get(),
        audience: audience.get(),
        grids: grids.get(),
        group: group.get(),
        until: until.get(),
        questions: drafts.get().iter().map(Draft::input).collect(),
    };
    let today = today_in_shanghai();
    let Checks { tried, server, errors } = Checks::new(move || input().parse(today).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &PollInput| {
        let body = body.clone();
        async move { api::send::<_, PollView>("POST", "/api/polls", &body).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => navigate(&format!("/self-government/polls/{}?new=1", v.id), Default::default()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let community_grids = LocalResource::new(|| api::get::<Vec<GridSummary>>("/api/grids?per_page=500"));
    let audiences = AudienceKind::ALL
        .iter()
        .map(|k| {
            let code = k.code();
            view! {
                <label class="choice">
                    <input type="radio" name="audience" id=(code == "community").then_some("audience") value=code
                        prop:checked=move || audience.get() == code
                        on:change=move |_| audience.set(code.into()) />
                    {k.label()}
                </label>
            }
        })
        .collect_view();
    let grid_choices = move || {
        community_grids.get().map(|r| match r {
            Ok(list) => list
                .into_iter()
                .enumerate()
                .map(|(index, g)| {
                    let id = g.id.to_string();
                    let mine = id.clone();
                    // The first box has the field's id: a missing choice takes the focus there.
                    let first = (index == 0).then_some("grids");
                    view! {
                        <label class="choice">
                            <input type="checkbox" name="grids" id=first value=id.clone()
                                aria-invalid=move || err("grids").get().is_some().to_string()
                                prop:checked=move || grids.with(|l| l.contains(&mine))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let id = id.clone();
                                    grids.update(|l| { l.retain(|x| *x != id); if on { l.push(id); } });
                                } />
                            {format!("{}({} 人)", g.name, g.residents)}
                        </label>
                    }
                })
                .collect_view()
                .into_any(),
            Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
        })
    };
    let groups =
        || SpecialGroup::ALL.iter().map(|g| view! { <option value=g.code()>{g.label()}</option> }).collect_view();
    view! {
        <p class="lead">"发起后,调查对象可以在截止日期前在手机上填写;纸质问卷和网格员入户填写的问卷由工作人员录入。每人只计一份。"</p>
        <form class="form-grid" data-testid="poll-form-new" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            match input().parse(today) {
                Ok(_) => {
                    send.dispatch(input());
                }
                Err(e) => focus_first_error(&e, |f| match f {
                    "questions" => "poll-add-question".into(),
                    f if f.starts_with('q') => format!("poll-{f}"),
                    f => f.into(),
                }),
            }
        }>
            <TextField id="title" label="调查名称" value=title error=err("title") hint="不超过 60 个字,例如“社区停车管理民意调查”" />
            <Area id="intro" label="调查说明" value=intro error=err("intro") rows=3 />
            <fieldset class="field-wide" style="border:0;margin:0;padding:0" aria-describedby="audience-error">
                <legend style="font-weight:600;margin:0 0 .3rem;padding:0">"调查对象"</legend>
                <div class="choice-row">{audiences}</div>
                <p id="audience-error" class="field-error" role="alert">{move || err("audience").get()}</p>
            </fieldset>
            {move || (audience.get() == "grids").then(|| view! {
                <fieldset class="field-wide" style="border:0;margin:0;padding:0" aria-describedby="grids-error">
                    <legend style="font-weight:600;margin:0 0 .3rem;padding:0">"网格(可多选)"</legend>
                    <div class="choice-row">{grid_choices}</div>
                    <p id="grids-error" class="field-error" role="alert">{move || err("grids").get()}</p>
                </fieldset>
            })}
            {move || (audience.get() == "special_group").then(|| view! {
                <div class="field">
                    <label for="group">"特殊群体"</label>
                    <select id="group" name="group" prop:value=move || group.get()
                        on:change=move |ev| group.set(event_target_value(&ev))
                        aria-invalid=move || err("group").get().is_some().to_string() aria-describedby="group-error">
                        <option value="">"请选择"</option>
                        {groups()}
                    </select>
                    <p id="group-error" class="field-error" role="alert">{move || err("group").get()}</p>
                </div>
            })}
            <TextField id="until" label="截止日期" kind="date" value=until error=err("until") />
            <div class="field-wide">
                <h2 style="font-size:1.15rem;margin:.5rem 0">"问题"</h2>
                <p id="questions-error" class="field-error" role="alert">{move || err("questions").get()}</p>
                <For each=move || drafts.get() key=|d| d.key let:d>
                    <Editor d drafts errors />
                </For>
                <button type="button" class="btn" id="poll-add-question" data-testid="poll-add-question"
                    disabled=move || drafts.with(|l| l.len() >= MAX_QUESTIONS)
                    on:click=move |_| {
                        let key = next.get_value();
                        next.set_value(key + 1);
                        drafts.update(|l| l.push(Draft::new(key)));
                    }>"增加一个问题"</button>
            </div>
            <div class="form-actions">
                <p class="form-error" role="alert" data-testid="poll-error">
                    {move || errors.with(|e| e.general(&[FIELDS, &QUESTION_FIELDS.map(|f| f.name)].concat()))}
                </p>
                <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="poll-create"
                    disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在提交…" } else { "发起民意调查" }}
                </button>
            </div>
        </form>
    }
}

/// One question's editor: its number, kind, text and (for a choice) options.
#[component]
fn Editor(d: Draft, drafts: RwSignal<Vec<Draft>>, errors: Memo<FormErrors>) -> impl IntoView {
    let at = Memo::new(move |_| drafts.with(|l| l.iter().position(|x| x.key == d.key).unwrap_or(0)));
    let field = move || QUESTION_FIELDS[at.get().min(MAX_QUESTIONS - 1)];
    let error = move || errors.with(|e| e.for_field(field().name));
    let id = format!("question-{}", d.key);
    let error_id = format!("{id}-error");
    let (described, text_described) = (error_id.clone(), error_id.clone());
    let kinds = QuestionKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view();
    let choice = move || matches!(d.kind.get().as_str(), "single" | "multiple");
    view! {
        <fieldset class="form-section" style="display:grid;gap:.75rem" aria-describedby=described data-testid="poll-question-editor">
            <legend>{move || field().label}</legend>
            <div class="field">
                <label for=format!("{id}-kind")>"题型"</label>
                <select id=format!("{id}-kind") prop:value=move || d.kind.get() on:change=move |ev| d.kind.set(event_target_value(&ev))>
                    {kinds}
                </select>
            </div>
            <div class="field field-wide">
                // The id follows the question's number: the first wrong one takes the focus by it.
                <label for=move || format!("poll-{}", field().name)>"问题"</label>
                <input id=move || format!("poll-{}", field().name) type="text" prop:value=move || d.text.get()
                    on:input=move |ev| d.text.set(event_target_value(&ev))
                    aria-invalid=move || error().is_some().to_string() aria-describedby=text_described />
            </div>
            {move || choice().then(|| view! {
                <div class="field field-wide">
                    <label for=format!("question-{}-options", d.key)>"选项(每行一个,2 到 10 个)"</label>
                    <textarea id=format!("question-{}-options", d.key) rows="4" prop:value=move || d.options.get()
                        on:input=move |ev| d.options.set(event_target_value(&ev))></textarea>
                </div>
            })}
            <p id=error_id class="field-error" role="alert">{error}</p>
            {move || (drafts.with(|l| l.len()) > 1).then(|| view! {
                <button type="button" class="btn btn-small" on:click=move |_| drafts.update(|l| l.retain(|x| x.key != d.key))>
                    {move || format!("删除{}", field().label)}
                </button>
            })}
        </fieldset>
    }
}
