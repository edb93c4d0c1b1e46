//! A company's estates (小区), one card each — the grids covered, the
//! households, since when it is served, and its owners' committee (任期内,
//! 任期将满, or 任期已届满 flagged 待换届). The leader edits each (naming the
//! version read) and adds new ones, picking the community's grids.

use gongzhi_api::grid::GridSummary;
use gongzhi_api::property::{CompanyView, EstateUpdate, EstateView};
use gongzhi_domain::property::EstateInput;
use leptos::prelude::*;

use super::{committee_badge, Shown};
use crate::components::form::{focus_first_error, Checks, Input};
use crate::services::calendar::today_in_shanghai;

/// A line inside a card.
const LINE: &str = "margin:.3rem 0";

#[component]
pub fn Estates(c: CompanyView, s: Shown, grids: RwSignal<Vec<GridSummary>>) -> impl IntoView {
    let manage = c.can_manage;
    let cards = c
        .estates
        .iter()
        .map(|e| {
            let edit = manage.then(|| {
                let start = EstateInput {
                    name: e.name.clone(),
                    grids: e.grids.iter().map(|g| g.id.to_string()).collect(),
                    households: e.households.to_string(),
                    served_since: e.served_since.to_string(),
                    owners_committee: e.owners_committee,
                    committee_chair: e.committee_chair.clone().unwrap_or_default(),
                    committee_term_ends: e.committee_term_ends.map(|d| d.to_string()).unwrap_or_default(),
                };
                let at = format!("estate-{}", e.id);
                view! {
                    <details>
                        <summary>"修改小区信息"</summary>
                        <EstateForm at start edit=Some((e.id, e.version)) company=c.id s grids />
                    </details>
                }
                .into_any()
            });
            view! { <Card e=e.clone() edit /> }
        })
        .collect_view();
    let add = manage.then(|| {
        view! {
            <details data-testid="estate-add">
                <summary><strong>"添加服务的小区"</strong></summary>
                <EstateForm at="estate-new".into() start=EstateInput::default() edit=None company=c.id s grids />
            </details>
        }
    });
    view! {
        <section class="panel">
            <h2>"服务的小区"</h2>
            {c.estates.is_empty().then(|| view! { <p class="empty">"还没有登记服务的小区。"</p> })}
            <ul class="grid-cards" style="list-style:none;margin:0 0 1rem;padding:0">{cards}</ul>
            {add}
        </section>
    }
}

#[component]
fn Card(e: EstateView, edit: Option<AnyView>) -> impl IntoView {
    let grids = e.grids.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join("、");
    let committee = match (&e.committee_chair, e.committee_term_ends) {
        (Some(chair), Some(ends)) => format!("业委会主任 {chair},任期至 {ends}"),
        _ => String::new(),
    };
    view! {
        <li class="grid-card" data-testid="estate-card">
            <h3 style="margin:0 0 .4rem">{e.name.clone()}</h3>
            <p style=LINE>{format!("覆盖网格:{grids}")}</p>
            <p style=LINE>{format!("{} 户,{} 起服务", e.households, e.served_since)}</p>
            <p style=LINE><span class=committee_badge(&e.committee_state) data-testid="committee-state">{e.committee_state_label.clone()}</span></p>
            {(!committee.is_empty()).then(|| view! { <p style=LINE>{committee}</p> })}
            {edit}
        </li>
    }
}

/// An estate's form: new (`edit` none) or an edit of (estate id, version
/// read). `at` makes the ids (one form per estate on the page).
#[component]
fn EstateForm(
    at: String,
    start: EstateInput,
    edit: Option<(i64, i64)>,
    company: i64,
    s: Shown,
    grids: RwSignal<Vec<GridSummary>>,
) -> impl IntoView {
    let name = RwSignal::new(start.name);
    let chosen = RwSignal::new(start.grids);
    let households = RwSignal::new(start.households);
    let since = RwSignal::new(start.served_since);
    let committee = RwSignal::new(start.owners_committee);
    let chair = RwSignal::new(start.committee_chair);
    let ends = RwSignal::new(start.committee_term_ends);
    let input = move || EstateInput {
        name: name.get(),
        grids: chosen.get(),
        households: households.get(),
        served_since: since.get(),
        owners_committee: committee.get(),
        committee_chair: if committee.get() { chair.get() } else { String::new() },
        committee_term_ends: if committee.get() { ends.get() } else { String::new() },
    };
    let today = today_in_shanghai();
    let Checks { tried, server, errors } = Checks::new(move || input().parse(today).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let version = edit.map(|e| e.1);
    let (method, path) = match edit {
        Some((estate, _)) => ("PUT", format!("/api/property/estates/{estate}")),
        None => ("POST", format!("/api/property/companies/{company}/estates")),
    };
    let send = super::sender::<EstateUpdate>(method, path);
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => {
            let what = name.get_untracked();
            s.done(
                v,
                if version.is_some() {
                    format!("小区“{what}”已保存。")
                } else {
                    format!("已添加小区“{what}”。")
                },
            );
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let id = {
        let at = at.clone();
        move |f: &str| format!("{at}-{f}")
    };
    let boxes = move || {
        grids
            .get()
            .into_iter()
            .map(|g| {
                let code = g.id.to_string();
                let on = {
                    let code = code.clone();
                    move || chosen.with(|c| c.contains(&code))
                };
                view! {
                    <label class="choice">
                        <input type="checkbox" value=code.clone() prop:checked=on on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| *x != code);
                                if checked {
                                    c.push(code.clone());
                                }
                            });
                        } />
                        {g.name}
                    </label>
                }
            })
            .collect_view()
    };
    let grids_id = id("grids");
    let submit = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            match input().parse(today) {
                Ok(_) => {
                    send.dispatch(EstateUpdate { version: version.unwrap_or_default(), estate: input() });
                }
                Err(e) => focus_first_error(&e, &id),
            }
        }
    };
    view! {
        <form class="form-grid" data-testid="estate-form" novalidate on:submit=submit>
            <Input id=id("name") label="小区名称" value=name error=err("name") />
            <fieldset class="field-wide" style="border:0;margin:0;padding:0" aria-describedby=format!("{grids_id}-error")>
                <legend style="font-weight:600;margin:0 0 .3rem;padding:0">"覆盖网格"</legend>
                <div class="choice-row" id=grids_id.clone() tabindex="-1">{boxes}</div>
                <p id=format!("{grids_id}-error") class="field-error" role="alert">{move || err("grids").get()}</p>
            </fieldset>
            <Input id=id("households") label="户数" kind="number" value=households error=err("households") />
            <Input id=id("served_since") label="服务起始日期" kind="date" value=since error=err("served_since") />
            <label class="choice field-wide">
                <input type="checkbox" id=id("owners_committee") prop:checked=move || committee.get()
                    on:change=move |ev| committee.set(event_target_checked(&ev)) />
                "已成立业主委员会"
            </label>
            <Show when=move || committee.get()>
                <Input id=id("committee_chair") label="业委会主任" value=chair error=err("committee_chair") />
                <Input id=id("committee_term_ends") label="业委会任期届满日期" kind="date" value=ends
                    error=err("committee_term_ends") />
            </Show>
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["name", "grids", "households", "served_since", "committee_chair", "committee_term_ends"]))}</p>
                <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="estate-submit"
                    disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在保存…" } else if version.is_some() { "保存小区信息" } else { "添加小区" }}
                </button>
            </div>
        </form>
    }
}
