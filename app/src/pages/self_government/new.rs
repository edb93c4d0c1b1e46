//! `/self-government/new`: 发起议题. A resident raises a public affair (its
//! name and what it is about); staff also choose the kind (a dispute lists
//! at least two parties, one per line). Checked in the browser by the
//! domain's `MatterInput::parse`, so the messages are the server's; once
//! saved, the matter's page opens and says what was saved.

use gongzhi_api::consultation::MatterDetail;
use gongzhi_domain::consultation::{MatterInput, MatterKind};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{crumb, SLUG};
use crate::components::form::{Area, Checks, TextField};
use crate::components::guard::RequireMenu;
use crate::services::api;
use crate::services::session::role;

const FIELDS: &[&str] = &["kind", "title", "description", "parties"];

#[component]
pub fn NewPage() -> impl IntoView {
    view! {
        <RequireMenu slug=SLUG>
            {crumb("发起议题")}
            <section class="panel">
                <h1>"发起议题"</h1>
                <NewForm />
            </section>
        </RequireMenu>
    }
}

#[component]
fn NewForm() -> impl IntoView {
    let staff = role() != "resident";
    let [kind, title, description, parties] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let input = move || MatterInput {
        kind: if staff { kind.get() } else { MatterKind::Affair.code().into() },
        title: title.get(),
        description: description.get(),
        parties: if staff { parties.get() } else { String::new() },
    };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &MatterInput| {
        let body = body.clone();
        async move { api::send::<_, MatterDetail>("POST", "/api/consultation/matters", &body).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => navigate(&format!("/self-government/matters/{}?new=1", d.matter.id), Default::default()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let kinds = staff.then(|| {
        let choices = MatterKind::ALL
            .iter()
            .map(|k| {
                let code = k.code();
                view! {
                    <label class="choice">
                        <input type="radio" name="kind" value=code prop:checked=move || kind.get() == code
                            on:change=move |_| kind.set(code.into()) />
                        {k.label()}
                    </label>
                }
            })
            .collect_view();
        view! {
            <div class="field field-wide">
                <p id="kind-label" style="font-weight:600;margin:0 0 .3rem">"议题类型"</p>
                <div class="choice-row" role="radiogroup" aria-labelledby="kind-label" aria-describedby="kind-error">{choices}</div>
                <p id="kind-error" class="field-error" role="alert">{move || err("kind").get()}</p>
            </div>
        }
    });
    let parties_field = staff.then(|| {
        view! {
            <Area id="parties" label="涉及各方(每行一方)" value=parties error=err("parties") rows=3 />
            <p class="hint field-wide" style="margin-top:-.5rem">"矛盾纠纷须列明至少两方;公共事务可以不填。"</p>
        }
    });
    let intro = if staff {
        "公共事务在本社区公开协商;矛盾纠纷只对工作人员可见,用于调解。"
    } else {
        "写清楚想和邻居商量什么事。发起后,邻居联名支持达到规定人数,社区就会安排协商。"
    };
    view! {
        <p class="lead">{intro}</p>
        <form class="form-grid" data-testid="matter-form" novalidate on:submit=move |ev| {
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
            {kinds}
            <TextField id="title" label="议题名称" value=title error=err("title") hint="不超过 60 个字,例如“3 栋北侧增划停车位”" />
            <Area id="description" label="情况说明" value=description error=err("description") rows=5 />
            {parties_field}
            <div class="form-actions">
                <p class="form-error" role="alert" data-testid="matter-error">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="matter-submit"
                    disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在提交…" } else { "发起议题" }}
                </button>
            </div>
        </form>
    }
}
