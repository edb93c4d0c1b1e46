//! What a company's page links to: the residents' complaints about it (how
//! many are being handled and closed this year; staff link a 物业服务投诉
//! event by its number), its yearly satisfaction ratings (each a 民主评议 of
//! the estates' residents; the leader opens this year's or last year's), and
//! the joint meetings (物业联席会议) it was invited to.

use gongzhi_api::property::{CompanyView, ComplaintLink};
use gongzhi_api::review::ReviewView;
use gongzhi_domain::property::{RatingInput, FIELD_EVENT, RATING_DIMENSIONS};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::Shown;
use crate::components::form::{focus_first_error, Area, Checks, TextField};
use crate::services::api;
use crate::services::calendar::today_in_shanghai;

#[component]
pub fn Complaints(c: CompanyView, s: Shown) -> impl IntoView {
    let k = c.complaints;
    let link = c.can_link.then(|| view! { <LinkForm id=c.id s /> });
    view! {
        <section class="panel">
            <h2>"居民投诉"</h2>
            <p data-testid="property-complaints">
                {format!("办理中 {} 件;{} 年已办结 {} 件。", k.open, k.year, k.closed)}
            </p>
            <p class="hint">"居民可以在“随手拍”里选择“物业服务投诉”反映问题,社区工作人员把它关联到对应的物业服务企业,办理进度按事件流程跟踪。"</p>
            {link}
        </section>
    }
}

#[component]
fn LinkForm(id: i64, s: Shown) -> impl IntoView {
    let event = RwSignal::new(String::new());
    let input = move || ComplaintLink { event_id: event.get() };
    let Checks { tried, server, errors } =
        Checks::new(move || FIELD_EVENT.required_id(&event.get()).err().into_iter().collect());
    let send = super::sender::<ComplaintLink>("POST", format!("/api/property/companies/{id}/complaints"));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => {
            s.done(v, format!("投诉事件 {} 已关联到本企业。", event.get_untracked().trim()));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form class="form-grid" data-testid="complaint-link" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            match FIELD_EVENT.required_id(&event.get_untracked()) {
                Ok(_) => {
                    send.dispatch(input());
                }
                Err(e) => focus_first_error(&[e], |f| f.to_string()),
            }
        }>
            <TextField id="event_id" label="投诉事件编号" kind="number" value=event
                error=Signal::derive(move || errors.with(|e| e.for_field("event_id")))
                hint="事件详情页上的编号" />
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["event_id"]))}</p>
                <button type="submit" class="btn" data-testid="complaint-link-submit" disabled=move || send.pending().get()>
                    "关联投诉"
                </button>
            </div>
        </form>
    }
}

#[component]
pub fn Ratings(c: CompanyView) -> impl IntoView {
    let none = c.ratings.is_empty();
    let open = c.can_manage.then(|| view! { <RatingForm id=c.id company=c.name.clone() /> });
    let rows = c
        .ratings
        .into_iter()
        .map(|r| {
            let page = format!("/self-government/reviews/{}", r.review_id);
            let pct = r.satisfaction_pct.map(|p| format!(",满意率 {p}%")).unwrap_or_default();
            view! {
                <li data-testid="property-rating-row" style="margin:.4rem 0">
                    <A href=page>{r.title.clone()}</A>
                    " "<span class=crate::pages::self_government::open_badge(&r.status)>{r.status_label.clone()}</span>
                    {format!(" 已收 {} 份{pct}", r.ballots)}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <h2>"服务满意度测评"</h2>
            <p class="hint">"每年一次,由企业服务小区的居民在网上或填写纸质测评表评价,每人一份,结果公布后在这里查看。"</p>
            {none.then(|| view! { <p class="empty">"还没有满意度测评。"</p> })}
            <ul style="margin:0 0 1rem;padding-left:1.2rem">{rows}</ul>
            {open}
        </section>
    }
}

#[component]
fn RatingForm(id: i64, company: String) -> impl IntoView {
    // The domain names the rating after the company (its title): the same check as the server's.
    let company = StoredValue::new(company);
    let today = today_in_shanghai();
    let year = RwSignal::new(chrono::Datelike::year(&today).to_string());
    let [report, dimensions, until] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let input = move || RatingInput {
        year: year.get(),
        report: report.get(),
        dimensions: dimensions.get(),
        until: until.get(),
    };
    let Checks { tried, server, errors } =
        Checks::new(move || company.with_value(|c| input().parse(c, today)).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &RatingInput| {
        let body = body.clone();
        async move { api::send::<_, ReviewView>("POST", &format!("/api/property/companies/{id}/ratings"), &body).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => navigate(&format!("/self-government/reviews/{}?new=1", v.id), Default::default()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let usual = format!("每行一项,不填则为:{}", RATING_DIMENSIONS.join("、"));
    view! {
        <details data-testid="rating-open">
            <summary><strong>"发起年度满意度测评"</strong></summary>
            <form class="form-grid" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                match company.with_value(|c| input().parse(c, today)) {
                    Ok(_) => {
                        send.dispatch(input());
                    }
                    Err(e) => focus_first_error(&e, |f| format!("rating-{f}")),
                }
            }>
                <TextField id="rating-year" label="测评年度" kind="number" value=year error=err("year") hint="今年或上一年" />
                <TextField id="rating-until" label="测评截止日期" kind="date" value=until error=err("until") />
                <Area id="rating-report" label="企业年度服务报告" value=report error=err("report") rows=6 />
                <Area id="rating-dimensions" label="测评内容(每行一项)" value=dimensions error=err("dimensions") rows=4 />
                <p class="hint field-wide" style="margin-top:-.5rem">{usual}</p>
                <div class="form-actions">
                    <p class="form-error" role="alert" data-testid="rating-error">
                        {move || errors.with(|e| e.general(&["year", "report", "dimensions", "until"]))}
                    </p>
                    <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="rating-submit"
                        disabled=move || send.pending().get()>
                        {move || if send.pending().get() { "正在提交…" } else { "发起测评" }}
                    </button>
                </div>
            </form>
        </details>
    }
}

#[component]
pub fn JointMeetings(c: CompanyView) -> impl IntoView {
    let none = c.joint_meetings.is_empty();
    let rows = c
        .joint_meetings
        .into_iter()
        .map(|m| {
            let page = format!("/self-government/matters/{}", m.matter_id);
            view! {
                <li style="margin:.4rem 0" data-testid="joint-meeting">
                    {format!("{} ", m.date)}<A href=page>{m.matter_title.clone()}</A>
                    {format!("({})", m.status_label)}
                    {m.resolution.map(|r| view! { <p class="hint" style="margin:.2rem 0 0">{format!("协商结果:{r}")}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <h2>"物业联席会议"</h2>
            <p class="hint">"社区、物业服务企业和业主委员会共同参加,在“居民议事”的议题里召开和记录。"</p>
            {none.then(|| view! { <p class="empty">"还没有联席会议。"</p> })}
            <ul style="margin:0;padding-left:1.2rem">{rows}</ul>
        </section>
    }
}
