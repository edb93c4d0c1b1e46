//! 清理减负: the registers of what each community carries (work items, bodies,
//! ledgers, plaques) and the campaigns that keep, merge or remove entries,
//! with the counts before and after.

use gongzhi_api::{ApiError, CampaignView, CleanupEntryView, NewCampaign, NewReview, OrgNodeView};
use gongzhi_domain::cleanup::{EntryInput, EntryKind, ReviewInput, Verdict};
use leptos::prelude::*;

use crate::components::confirm::ConfirmButton;
use crate::components::form::{FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn CleanupPage() -> impl IntoView {
    view! {
        <RequireMenu slug="cleanup">
            <CleanupBody />
        </RequireMenu>
    }
}

#[component]
fn CleanupBody() -> impl IntoView {
    let reviewer = use_session().info().is_some_and(|i| i.account.role == "reviewer");
    let reload = RwSignal::new(0u32);
    let community = RwSignal::new(String::new());
    let campaigns = LocalResource::new(move || {
        reload.track();
        async move { api::get::<Vec<CampaignView>>("/api/cleanup/campaigns").await }
    });
    let entries = LocalResource::new(move || {
        reload.track();
        let query = api::query_string(&[("community", community.get())]);
        async move { api::get::<Vec<CleanupEntryView>>(&format!("/api/cleanup/entries?{query}")).await }
    });
    let nodes =
        LocalResource::new(|| async { api::get::<Vec<OrgNodeView>>("/api/org/tree").await.unwrap_or_default() });
    let communities = Memo::new(move |_| {
        nodes.get().unwrap_or_default().into_iter().filter(|n| n.level == "community").collect::<Vec<_>>()
    });
    // The open campaign a reviewer is working in.
    let open = Memo::new(move |_| {
        campaigns.get().and_then(Result::ok).and_then(|cs| cs.into_iter().find(|c| c.status == "open")).map(|c| c.id)
    });
    view! {
        <section class="panel">
            <h1>"清理减负"</h1>
            <p class="lead">"对超出社区职能、无助于社区自治和社区服务的工作事项、社区机构、社区台账、社区挂牌及时清理。每一条都写明来源部门和依据;清理意见须写明理由,清理后的条目保留在册可查。"</p>
            {reviewer.then(|| view! { <StartCampaign reload /> })}
            {move || campaigns.get().map(|r| match r {
                Ok(cs) => cs.into_iter().map(|c| view! { <Campaign c reviewer reload /> }).collect_view().into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
        <section class="panel">
            <div class="panel-head">
                <h2>"社区登记"</h2>
                <div class="field">
                    <label for="cleanup-community">"社区"</label>
                    <select id="cleanup-community" on:change=move |ev| community.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        {move || communities.get().into_iter().map(|c| view! { <option value=c.code.clone()>{c.name}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            {move || entries.get().map(|r| match r {
                Ok(list) => view! { <Entries list open=open.get().filter(|_| reviewer) reload /> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
            <AddEntry communities reload />
        </section>
    }
}

#[component]
fn StartCampaign(reload: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let start = Action::new_local(move |body: &NewCampaign| {
        let body = body.clone();
        async move { api::send::<_, CampaignView>("POST", "/api/cleanup/campaigns", &body).await }
    });
    Effect::new(move |_| match start.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            error.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    view! {
        <div class="refuse-box no-print">
            <label for="campaign-name">"发起清理行动"</label>
            <input id="campaign-name" placeholder="如:2026 年下半年社区挂牌清理" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <button class="btn btn-small" on:click=move |_| { start.dispatch(NewCampaign { name: name.get() }); }>"发起"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn Campaign(c: CampaignView, reviewer: bool, reload: RwSignal<u32>) -> impl IntoView {
    let id = c.id;
    let close = Action::new_local(move |_: &()| async move {
        api::send::<_, CampaignView>("POST", &format!("/api/cleanup/campaigns/{id}/close"), &()).await
    });
    Effect::new(move |_| {
        if close.value().get().is_some() {
            reload.update(|n| *n += 1);
        }
    });
    let pair = |b: u32, a: u32| if a == b { b.to_string() } else { format!("{b} → {a}") };
    let mut rows: Vec<Vec<Cell>> = c
        .communities
        .iter()
        .map(|k| {
            let mut row: Vec<Cell> = vec![k.community_name.clone().into()];
            row.extend(EntryKind::ALL.iter().map(|kind| Cell::Mono(pair(k.before.get(*kind), k.after.get(*kind)))));
            row.push(Cell::Mono(pair(k.before.total(), k.after.total())));
            row
        })
        .collect();
    let mut total: Vec<Cell> = vec![Cell::Text("合计".into())];
    total.extend(EntryKind::ALL.iter().map(|kind| Cell::Mono(pair(c.city_before.get(*kind), c.city_after.get(*kind)))));
    total.push(Cell::Mono(pair(c.city_before.total(), c.city_after.total())));
    rows.push(total);
    let open = c.status == "open";
    view! {
        <article class="campaign" data-testid="campaign">
            <h2 class="sub">{format!("{}({} 起,{},已作意见 {} 条)", c.name, c.started_on, if open { "进行中" } else { "已结束" }, c.reviewed)}</h2>
            <DataTable testid="campaign-counts" rows headers=&["社区", "工作事项", "机构", "台账", "挂牌", "合计(清理前 → 清理后)"] />
            {(open && reviewer).then(|| view! {
                <p><ConfirmButton label="结束本次清理行动"
                    question="结束后不能再对本次行动的事项、机构、台账、挂牌作意见,清理前后的数目定格为本次结果。".to_string()
                    confirm="确认结束" on_confirm=Callback::new(move |_| { close.dispatch(()); }) /></p>
            })}
        </article>
    }
}

#[component]
fn Entries(list: Vec<CleanupEntryView>, open: Option<i64>, reload: RwSignal<u32>) -> impl IntoView {
    let chosen = RwSignal::new(None::<i64>);
    let all = StoredValue::new(list.clone());
    let rows = list
        .iter()
        .map(|e| {
            let id = e.id;
            let badge = match e.status.as_str() {
                "active" => Cell::Badge("ok", e.status_label.clone()),
                _ => Cell::Badge("off", e.status_label.clone()),
            };
            let act = match (open, e.status.as_str()) {
                (Some(_), "active") => Cell::View(
                    view! { <button class="btn btn-small" on:click=move |_| chosen.set(Some(id))>"清理意见"</button> }
                        .into_any(),
                ),
                _ => Cell::Text(e.reason.clone().unwrap_or_default()),
            };
            vec![
                e.community_name.clone().into(),
                e.kind_label.clone().into(),
                e.name.clone().into(),
                e.source.clone().into(),
                e.basis.clone().into(),
                badge,
                act,
            ]
        })
        .collect();
    view! {
        <DataTable testid="cleanup-entries" rows headers=&["社区", "类别", "名称", "来源部门", "依据", "状态", "清理意见"] empty="尚无登记。" />
        {move || match (open, chosen.get()) {
            (Some(campaign), Some(entry)) => {
                let e = all.with_value(|l| l.iter().find(|x| x.id == entry).cloned());
                e.map(|e| view! { <ReviewForm campaign entry=e all reload chosen /> }.into_any()).unwrap_or_else(|| ().into_any())
            }
            _ => ().into_any(),
        }}
    }
}

#[component]
fn ReviewForm(
    campaign: i64,
    entry: CleanupEntryView,
    all: StoredValue<Vec<CleanupEntryView>>,
    reload: RwSignal<u32>,
    chosen: RwSignal<Option<i64>>,
) -> impl IntoView {
    let verdict = RwSignal::new(String::new());
    let merge_into = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let targets: Vec<(i64, String)> = all.with_value(|l| {
        l.iter()
            .filter(|x| {
                x.id != entry.id
                    && x.status == "active"
                    && x.kind == entry.kind
                    && x.community_code == entry.community_code
            })
            .map(|x| (x.id, x.name.clone()))
            .collect()
    });
    let ids: Vec<i64> = targets.iter().map(|t| t.0).collect();
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let input = move || ReviewInput { verdict: verdict.get(), merge_into: merge_into.get(), reason: reason.get() };
    let ids2 = ids.clone();
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { input().parse(&|t| ids2.contains(&t)).err().unwrap_or_default() } else { vec![] },
        server: server.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &NewReview| {
        let body = body.clone();
        async move {
            api::send::<_, CleanupEntryView>("POST", &format!("/api/cleanup/campaigns/{campaign}/reviews"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            chosen.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let entry_id = entry.id;
    view! {
        <fieldset class="step" data-testid="review-form">
            <legend>{format!("清理意见:{} · {} · {}", entry.community_name, entry.kind_label, entry.name)}</legend>
            <div class="choice-row" role="radiogroup" aria-label="清理意见">
                {Verdict::ALL.iter().map(|v| {
                    let code = v.code();
                    view! { <label class="choice"><input type="radio" name="verdict" value=code on:change=move |_| verdict.set(code.into()) />{v.label()}</label> }
                }).collect_view()}
            </div>
            <p class="field-error" role="alert">{move || err("verdict").get()}</p>
            {move || (verdict.get() == "merge").then(|| {
                let targets = targets.clone();
                view! {
                    <div class="field">
                        <label for="merge-into">"并入的条目"</label>
                        <select id="merge-into" on:change=move |ev| merge_into.set(event_target_value(&ev))>
                            <option value="">"请选择"</option>
                            {targets.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{move || err("merge_into").get()}</p>
                    </div>
                }
            })}
            <TextField id="review-reason" label="理由" value=reason error=err("reason") />
            <div class="actions">
                <button class="btn btn-primary" on:click=move |_| {
                    tried.set(true);
                    server.set(None);
                    if input().parse(&|t| ids.contains(&t)).is_ok() {
                        send.dispatch(NewReview { entry_id, review: input() });
                    }
                }>"提交清理意见"</button>
                <button class="btn" on:click=move |_| chosen.set(None)>"取消"</button>
            </div>
            <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["verdict", "merge_into", "reason"]))}</p>
        </fieldset>
    }
}

#[component]
fn AddEntry(communities: Memo<Vec<OrgNodeView>>, reload: RwSignal<u32>) -> impl IntoView {
    let values: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [community, kind, name, source, basis] = values;
    let input = move || EntryInput {
        community: community.get(),
        kind: kind.get(),
        name: name.get(),
        source: source.get(),
        basis: basis.get(),
    };
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let errors = Memo::new(move |_| {
        let known: Vec<String> = communities.get().into_iter().map(|c| c.code).collect();
        FormErrors {
            local: if tried.get() {
                input().parse(&|c| known.iter().any(|k| k == c)).err().unwrap_or_default()
            } else {
                vec![]
            },
            server: server.get(),
        }
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let add = Action::new_local(move |body: &EntryInput| {
        let body = body.clone();
        async move { api::send::<_, CleanupEntryView>("POST", "/api/cleanup/entries", &body).await }
    });
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            basis.set(String::new());
            tried.set(false);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form class="form-section" on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            server.set(None);
            if errors.with(|e| e.local.is_empty()) {
                add.dispatch(input());
            }
        } novalidate>
            <h2 class="sub">"新增登记"</h2>
            <div class="form-grid wide-grid">
                <div class="field">
                    <label for="entry-community">"社区"</label>
                    <select id="entry-community" on:change=move |ev| community.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        {move || communities.get().into_iter().map(|c| view! { <option value=c.code.clone()>{c.name}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || err("community").get()}</p>
                </div>
                <div class="field">
                    <label for="entry-kind">"类别"</label>
                    <select id="entry-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        {EntryKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || err("kind").get()}</p>
                </div>
                <TextField id="entry-name" label="名称" value=name error=err("name") />
                <TextField id="entry-source" label="来源部门" value=source error=err("source") />
                <TextField id="entry-basis" label="设立依据" value=basis error=err("basis") />
            </div>
            <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["community", "kind", "name", "source", "basis"]))}</p>
            <button class="btn" type="submit">"登记"</button>
        </form>
    }
}
