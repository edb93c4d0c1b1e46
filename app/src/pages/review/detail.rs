//! `/self-government/reviews/:id`: one review — who is reviewed, its status
//! and closing day, the 述职报告; a representative's ballot (or the word that
//! they have rated), the published result, staff's paper entry and the
//! leader's count of the forms and publication.

use gongzhi_api::review::ReviewView;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{badge, crumb, Shown, SLUG};
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::api;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let at = crate::pages::self_government::path_id("/self-government/reviews/");
    let id = Memo::new(move |_| at.get().unwrap_or_default());
    let fresh = use_query_map().get_untracked().get("new").is_some();
    let s = Shown { current: RwSignal::new(None), notice: RwSignal::new(None), entered: RwSignal::new(None) };
    Effect::new(move |_| {
        let id = id.get();
        s.current.set(None);
        s.notice.set(None);
        s.entered.set(None);
        leptos::task::spawn_local(async move {
            let v = api::get::<ReviewView>(&format!("/api/reviews/{id}")).await;
            if let (true, Ok(v)) = (fresh, &v) {
                s.notice.set(Some(format!("“{}”已发起。{}可在 {} 前评议。", v.title, v.raters_label, v.until)));
            }
            s.current.set(Some(v));
        });
    });
    // The confirmation is brought into view: the form sent may be far down.
    let shown = NodeRef::<html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = shown.get() {
            p.scroll_into_view();
        }
    });
    view! {
        <RequireMenu slug=SLUG>
            {crumb("评议详情")}
            {move || s.notice.get().map(|n| view! {
                <p class="alert alert-ok" role="status" data-testid="review-notice" node_ref=shown>{n}</p>
            })}
            {move || match s.current.get() {
                None => loading(),
                Some(Err(e)) => failed("民主评议", e),
                Some(Ok(v)) => view! { <Body v s /> }.into_any(),
            }}
        </RequireMenu>
    }
}

#[component]
fn Body(v: ReviewView, s: Shown) -> impl IntoView {
    let open = v.status == "open";
    let mine = match v.rated {
        Some(false) if open => Some(view! { <super::ballot::Ballot v=v.clone() s /> }.into_any()),
        Some(true) => Some(
            view! {
                <section class="panel">
                    <h2>"我的评议"</h2>
                    <p class="alert alert-ok" role="status" style="font-size:1.15rem" data-testid="review-done">"您已评议,谢谢!"</p>
                    {open.then_some(view! { <p>{format!("每位{}只能评议一次(网上或纸质评议表)。结果公布后可在这里查看。", super::one(&v))}</p> })}
                </section>
            }
            .into_any(),
        ),
        _ => None,
    };
    let result = v.result.clone().map(|r| view! { <super::result::ResultView r /> });
    let paper = (open && v.can_enter_paper).then(|| view! { <super::paper::PaperForm v=v.clone() s /> });
    let manage = (open && v.can_manage).then(|| view! { <super::forms::Manage v=v.clone() s /> });
    let dimensions = v.dimensions.join("、");
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{v.title.clone()}</h1>
                <span class=badge(&v.status) data-testid="review-status">{v.status_label.clone()}</span>
            </div>
            <dl class="facts">
                <dt>"评议对象"</dt><dd>{format!("{}({})", v.subject_name, v.subject_kind_label)}</dd>
                <dt>"社区"</dt><dd>{v.community_name.clone()}</dd>
                <dt>"参加评议"</dt><dd>{v.raters_label.clone()}</dd>
                <dt>"评议内容"</dt><dd>{format!("总体评价、{dimensions}")}</dd>
                <dt>"截止日期"</dt><dd>{v.until.to_string()}</dd>
                <dt>"已收评议"</dt><dd data-testid="review-ballots">{format!("{} 份", v.ballots)}</dd>
            </dl>
            <h2>"述职报告"</h2>
            <p style="white-space:pre-wrap;overflow-wrap:anywhere" data-testid="review-report">{v.report.clone()}</p>
        </section>
        {mine}
        {result}
        {paper}
        {manage}
    }
}
