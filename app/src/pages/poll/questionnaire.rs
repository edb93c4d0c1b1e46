//! The questionnaire, as a resident fills it in on a phone or a grid member
//! on the tablet at the door: each question a fieldset named by its number
//! and text; choices as large cards (radio buttons for 单选, check boxes for
//! 多选), 打分 as five large buttons 1–5, 简答 as a text box. The answers are
//! checked by the domain's `ResponseInput::parse` — the server's own check —
//! and each message sits under its question.

use gongzhi_domain::poll::{AnswerInput, Question, QuestionKind, ResponseInput, MAX_TEXT, QUESTION_FIELDS, TOP_SCORE};
use leptos::prelude::*;

use crate::components::form::FormErrors;

/// A choice's card, chosen or not (a thicker border and a tint, not colour
/// alone); a score's card stacks its button over its number, five to a row.
fn card(on: bool, score: bool) -> String {
    let shape = if score {
        "flex-direction:column;justify-content:center;gap:.2rem;min-height:64px;padding:.3rem 0;white-space:nowrap"
    } else {
        "gap:.6rem;min-height:52px;padding:.45rem .9rem"
    };
    let look = if on {
        "border:3px solid #1e3a5f;background:#eef2f7;font-weight:700"
    } else {
        "border:2px solid #6b7280;background:#fff;margin:1px"
    };
    format!("display:flex;align-items:center;border-radius:8px;font-size:1.1rem;cursor:pointer;{shape};{look}")
}

const MARK: &str = "width:24px;height:24px;flex:none;margin:0;accent-color:#1e3a5f";

/// The answers being given, one per question.
#[derive(Clone, Copy)]
pub struct Answers(pub RwSignal<Vec<AnswerInput>>);

impl Answers {
    pub fn new(questions: usize) -> Self {
        Answers(RwSignal::new(vec![AnswerInput::default(); questions]))
    }

    pub fn input(&self) -> ResponseInput {
        ResponseInput { answers: self.0.get() }
    }

    pub fn clear(&self) {
        self.0.update(|a| a.iter_mut().for_each(|x| *x = AnswerInput::default()));
    }

    fn picked(&self, q: usize, at: u32) -> bool {
        self.0.with(|a| a.get(q).is_some_and(|x| x.picks.contains(&at)))
    }

    fn pick(&self, q: usize, at: u32, multiple: bool, on: bool) {
        self.0.update(|a| {
            if let Some(x) = a.get_mut(q) {
                if !multiple {
                    x.picks = vec![at];
                } else if on && !x.picks.contains(&at) {
                    x.picks.push(at);
                } else if !on {
                    x.picks.retain(|p| *p != at);
                }
            }
        });
    }
}

/// How a choice looks and behaves: a check box (多选) or a radio button, a
/// score's card, and whether its question has a message (`aria-invalid`,
/// so the first wrong question takes the focus).
#[derive(Clone, Copy)]
struct Kind {
    multiple: bool,
    score: bool,
    wrong: Signal<bool>,
}

/// One choice: a radio button or a check box in a card.
fn choice(name: String, label: String, (q, at): (usize, u32), kind: Kind, answers: Answers) -> impl IntoView {
    let on = move || answers.picked(q, at);
    // The question's first choice has its name as id: the first wrong question takes the focus by it.
    let first = (at == u32::from(kind.score)).then(|| name.clone());
    view! {
        <label style=move || card(on(), kind.score) data-testid="poll-choice">
            <input type=if kind.multiple { "checkbox" } else { "radio" } id=first name=name value=at.to_string() style=MARK
                aria-invalid=move || kind.wrong.get().to_string()
                prop:checked=on on:change=move |ev| answers.pick(q, at, kind.multiple, event_target_checked(&ev)) />
            {label}
        </label>
    }
}

#[component]
pub fn Questionnaire(
    /// Makes the inputs' names and ids (two questionnaires never share a page).
    prefix: &'static str,
    questions: Vec<Question>,
    answers: Answers,
    errors: Memo<FormErrors>,
) -> impl IntoView {
    questions
        .into_iter()
        .enumerate()
        .zip(QUESTION_FIELDS)
        .map(|((i, q), field)| {
            let name = format!("{prefix}-{}", field.name);
            let error_id = format!("{name}-error");
            let described = error_id.clone();
            let error = move || errors.with(|e| e.for_field(field.name));
            let wrong = Signal::derive(move || error().is_some());
            let legend = format!("{}. {}({})", i + 1, q.text, q.kind.label());
            let body = match q.kind {
                QuestionKind::Single | QuestionKind::Multiple => {
                    let multiple = q.kind == QuestionKind::Multiple;
                    let cards = q
                        .options
                        .iter()
                        .enumerate()
                        .map(|(at, o)| {
                            let kind = Kind { multiple, score: false, wrong };
                            choice(name.clone(), o.clone(), (i, at as u32), kind, answers)
                        })
                        .collect_view();
                    view! { <div style="display:grid;gap:.5rem">{cards}</div> }.into_any()
                }
                QuestionKind::Rating => {
                    let scores = (1..=TOP_SCORE)
                        .map(|s| {
                            let kind = Kind { multiple: false, score: true, wrong };
                            choice(name.clone(), format!("{s} 分"), (i, s), kind, answers)
                        })
                        .collect_view();
                    view! {
                        <div style="display:grid;gap:.4rem;grid-template-columns:repeat(5,minmax(0,1fr))">{scores}</div>
                        <p class="hint">"1 分最不满意,5 分最满意"</p>
                    }
                    .into_any()
                }
                QuestionKind::Text => {
                    let value = move || answers.0.with(|a| a.get(i).map(|x| x.text.clone()).unwrap_or_default());
                    // Named by the question (the legend) and the hint.
                    let named = format!("{name}-legend {name}-hint");
                    view! {
                        <p id=format!("{name}-hint") class="hint">{format!("可以不填,最多 {MAX_TEXT} 个字")}</p>
                        <textarea id=name.clone() name=name.clone() rows="3" maxlength=MAX_TEXT.to_string()
                            aria-labelledby=named
                            style="width:100%;font-size:1.1rem" prop:value=value aria-invalid=move || wrong.get().to_string()
                            on:input=move |ev| {
                                let t = event_target_value(&ev);
                                answers.0.update(|a| if let Some(x) = a.get_mut(i) { x.text = t; });
                            }></textarea>
                    }
                    .into_any()
                }
            };
            view! {
                <fieldset class="form-section" aria-describedby=described data-testid="poll-question">
                    <legend id=format!("{name}-legend") style="font-size:1.15rem">{legend}</legend>
                    {body}
                    <p id=error_id class="field-error" role="alert">{error}</p>
                </fieldset>
            }
        })
        .collect_view()
}

/// The fields a questionnaire's messages are about (others are general).
pub fn fields(n: usize) -> Vec<&'static str> {
    QUESTION_FIELDS.iter().take(n).map(|f| f.name).chain(["questions"]).collect()
}
