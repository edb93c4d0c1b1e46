//! 民主评议 (居民自治, plan §二(二)4): residents' representatives review the
//! residents' committee, one of its staff or a property company — the
//! reviewed report (述职), each representative rates 满意 / 基本满意 / 不满意
//! overall and on each dimension, once, online or on a paper form entered by
//! staff; the leader counts the paper forms and publishes the result. Part of
//! the residents' bundle's one route type of 居民自治
//! (`self_government::SelfGovernmentPages` hands it `/self-government/reviews*`);
//! the path picks the page.
//!
//! - [`list`]: `/self-government/reviews`, the reviews, and the leader's 发起.
//! - [`new`]: `/self-government/reviews/new`, the leader's new review.
//! - [`detail`]: `/self-government/reviews/:id`, one review: the report, a
//!   representative's ballot ([`ballot`]), the published result
//!   ([`result`]), staff's paper entry ([`paper`]) and the leader's count of
//!   the forms and publication ([`forms`]).

mod ballot;
mod detail;
mod forms;
mod list;
mod new;
mod paper;
mod result;

use gongzhi_api::review::ReviewView;
use gongzhi_api::ApiError;
use gongzhi_domain::ballot::Rating;
use leptos::prelude::*;

use crate::pages::self_government::open_badge as badge;

/// The capability's menu slug (as the other pages of 居民自治).
const SLUG: &str = "self-government";

#[component]
pub fn ReviewPages() -> impl IntoView {
    // Under the one wildcard route of 居民自治: the page follows the path.
    let location = leptos_router::hooks::use_location();
    let page = Memo::new(move |_| match location.pathname.get().trim_end_matches('/') {
        "/self-government/reviews" => 0,
        "/self-government/reviews/new" => 1,
        _ => 2,
    });
    move || match page.get() {
        0 => view! { <list::ListPage /> }.into_any(),
        1 => view! { <new::NewPage /> }.into_any(),
        _ => view! { <detail::ReviewPage /> }.into_any(),
    }
}

/// 居民议事 / 民主评议 / `here`.
fn crumb(here: &'static str) -> impl IntoView {
    crate::pages::self_government::section_crumb("民主评议", "/self-government/reviews", here)
}

/// The review a page shows, the line confirming what was just done, and the
/// paper entry's last confirmation (kept while the page is made again).
#[derive(Clone, Copy)]
struct Shown {
    current: RwSignal<Option<Result<ReviewView, ApiError>>>,
    notice: RwSignal<Option<String>>,
    entered: RwSignal<Option<String>>,
}

impl Shown {
    fn done(&self, v: ReviewView, notice: String) {
        self.current.set(Some(Ok(v)));
        self.notice.set(Some(notice));
    }
}

/// Sends `body` to `/api/reviews/{id}/{what}` and hands back the review.
fn sender<B: serde::Serialize + Clone + 'static>(
    id: i64,
    what: &'static str,
) -> Action<B, Result<ReviewView, ApiError>> {
    Action::new_local(move |body: &B| {
        let body = body.clone();
        let path = format!("/api/reviews/{id}/{what}");
        async move { crate::services::api::send::<_, ReviewView>("POST", &path, &body).await }
    })
}

/// One rater of `v`, as the pages say it (居民代表, or 居民 of the estates).
fn one(v: &ReviewView) -> &'static str {
    gongzhi_domain::review::Raters::from_code(&v.raters).map_or("居民代表", |r| r.one())
}

/// A rating code's word (`""` when none).
fn word(code: &str) -> &'static str {
    Rating::from_code(code).map(Rating::label).unwrap_or("")
}

/// The ratings being marked: the overall one, then one per dimension.
#[derive(Clone, Copy)]
struct Marks {
    overall: RwSignal<String>,
    ratings: RwSignal<Vec<String>>,
}

impl Marks {
    fn new(dimensions: usize) -> Self {
        Marks { overall: RwSignal::new(String::new()), ratings: RwSignal::new(vec![String::new(); dimensions]) }
    }

    /// Slot `None` is the overall rating, `Some(i)` dimension `i`.
    fn get(&self, slot: Option<usize>) -> String {
        match slot {
            None => self.overall.get(),
            Some(i) => self.ratings.with(|r| r.get(i).cloned().unwrap_or_default()),
        }
    }

    fn set(&self, slot: Option<usize>, code: &str) {
        match slot {
            None => self.overall.set(code.into()),
            Some(i) => self.ratings.update(|r| {
                if let Some(x) = r.get_mut(i) {
                    *x = code.into();
                }
            }),
        }
    }

    fn input(&self) -> gongzhi_domain::review::ReviewBallotInput {
        gongzhi_domain::review::ReviewBallotInput { overall: self.overall.get(), ratings: self.ratings.get() }
    }
}

/// One thing to rate: a fieldset whose legend names it, and the three
/// ratings as radio buttons — large cards on a phone, or a compact row for
/// staff entering paper forms. `name` makes the radios' group name; `at`
/// is the slot in `marks` ([`Marks::get`]).
#[component]
fn RatingGroup(
    name: String,
    legend: String,
    at: Option<usize>,
    marks: Marks,
    error: Signal<Option<String>>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let choices = Rating::ALL
        .into_iter()
        .map(|r| {
            let code = r.code();
            let on = move || marks.get(at) == code;
            let style = move || match (compact, on()) {
                (true, _) => "",
                (false, true) => "display:flex;align-items:center;gap:.6rem;min-height:56px;padding:.5rem 1rem;border:3px solid #1e3a5f;border-radius:8px;background:#eef2f7;font-size:1.15rem;font-weight:700;cursor:pointer",
                (false, false) => "display:flex;align-items:center;gap:.6rem;min-height:56px;padding:calc(.5rem + 1px) calc(1rem + 1px);border:2px solid #6b7280;border-radius:8px;background:#fff;font-size:1.15rem;cursor:pointer",
            };
            view! {
                <label class=if compact { "choice" } else { "" } style=style data-testid="review-choice" data-rating=code>
                    <input type="radio" name=name.clone() value=code prop:checked=on
                        style=if compact { "" } else { "width:26px;height:26px;flex:none;margin:0;accent-color:#1e3a5f" }
                        on:change=move |_| marks.set(at, code) />
                    {r.label()}
                </label>
            }
        })
        .collect_view();
    let layout = if compact {
        "display:flex;flex-wrap:wrap;gap:.25rem 1.25rem"
    } else {
        "display:grid;gap:.5rem;grid-template-columns:repeat(auto-fit,minmax(min(9em,100%),1fr))"
    };
    view! {
        <fieldset class="form-section" aria-describedby=error_id.clone()>
            <legend style=if compact { "" } else { "font-size:1.15rem" }>{legend}</legend>
            <div style=layout>{choices}</div>
            <p id=error_id.clone() class="field-error" role="alert">{move || error.get()}</p>
        </fieldset>
    }
}

/// The overall group, then one per dimension; an unrated group shows the
/// domain's message for it once `errors` says the ballot has problems.
fn groups(
    prefix: &'static str,
    dimensions: &[String],
    marks: Marks,
    errors: Memo<crate::components::form::FormErrors>,
    compact: bool,
) -> impl IntoView {
    let err = move |slot: Option<usize>, field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field)).filter(|_| marks.get(slot).is_empty()))
    };
    let overall = view! {
        <RatingGroup name=format!("{prefix}-overall") legend="总体评价".into() at=None marks
            error=err(None, "overall") compact />
    };
    let each = dimensions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            view! {
                <RatingGroup name=format!("{prefix}-{i}") legend=d.clone() at=Some(i) marks
                    error=err(Some(i), "ratings") compact />
            }
        })
        .collect_view();
    view! { {overall}{each} }
}
