//! 新建证明申请: the community worker records a certificate request. The
//! decision (allowed, or every reason to refuse) is computed by the domain
//! crate as the form is typed — the same code the API runs — on the
//! catalogue in force, read from the server (national, province and city
//! editions composed; a new edition applies at once). A matter the catalogue
//! lacks is recorded by its name and decided on the general rules.

use std::collections::HashMap;

use gongzhi_api::{DepartmentView, NewSealRequest, SealCatalog, SealRequestView};
use gongzhi_domain::seal::{decide, Catalog, CertificateRequestInput, RequesterKind, REQUEST_FIELDS};
use gongzhi_domain::DomainError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::form::{FormErrors, TextField};
use crate::services::api;

#[component]
pub fn NewRequestForm() -> impl IntoView {
    let served = LocalResource::new(|| async { api::get::<SealCatalog>("/api/seal/catalog").await });
    let catalog = Memo::new(move |_| match served.get() {
        Some(Ok(c)) => Catalog { version: c.version, matters: c.matters },
        _ => Catalog::default(),
    });
    let catalog_error = move || served.get().and_then(Result::err).map(|e| e.message);
    let departments =
        LocalResource::new(|| async { api::get::<Vec<DepartmentView>>("/api/departments").await.unwrap_or_default() });
    let dept_names = Memo::new(move |_| {
        departments.get().unwrap_or_default().into_iter().map(|d| (d.code, d.name)).collect::<HashMap<_, _>>()
    });
    let values: [RwSignal<String>; 13] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [kind, name, department, resident, resident_id, matter, matter_name, purpose, content, copies, law, article, text] =
        values;
    let own_duty = RwSignal::new(false);
    copies.set("1".into());
    kind.set("department".into());
    let input = move || CertificateRequestInput {
        requester_kind: kind.get(),
        requester_name: name.get(),
        requester_department: department.get(),
        resident_name: resident.get(),
        resident_id_number: resident_id.get(),
        matter: matter.get(),
        purpose: purpose.get(),
        content: content.get(),
        copies: copies.get(),
        basis_law: law.get(),
        basis_article: article.get(),
        basis_text: text.get(),
        matter_name: matter_name.get(),
        requester_own_duty: own_duty.get(),
    };
    let parsed = Memo::new(move |_| catalog.with(|c| input().parse(c)));
    let tried = RwSignal::new(false);
    let server_error = RwSignal::new(None::<gongzhi_api::ApiError>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { parsed.get().err().unwrap_or_default() } else { vec![] },
        server: server_error.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let key = StoredValue::new(api::new_key());

    let navigate = use_navigate();
    let submit_action = Action::new_local(move |body: &NewSealRequest| {
        let body = body.clone();
        async move { api::send::<_, SealRequestView>("POST", "/api/seal/requests", &body).await }
    });
    Effect::new(move |_| match submit_action.value().get() {
        Some(Ok(created)) => {
            key.set_value(api::new_key());
            navigate(&format!("/seal/requests/{}", created.id), Default::default());
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        server_error.set(None);
        if parsed.get().is_ok() {
            submit_action.dispatch(NewSealRequest { request: input(), idempotency_key: key.get_value() });
        }
    };
    let fill_basis = move |_| {
        if let Some(b) = catalog.with(|c| c.find(&matter.get()).and_then(|m| m.suggested_basis.clone())) {
            law.set(b.law);
            article.set(b.article);
            text.set(b.text);
        }
    };
    // The matter is found as the worker types (characters or pinyin
    // initials); choosing one fills the code the request carries.
    let query = RwSignal::new(String::new());
    let open = move || {
        matter.with(String::is_empty) && matter_name.with(String::is_empty) && !query.with(|q| q.trim().is_empty())
    };
    let matches = move || {
        catalog.with(|c| {
            c.search(&query.get()).into_iter().take(8).map(|m| (m.code.clone(), m.name.clone())).collect::<Vec<_>>()
        })
    };
    // Typing again drops the choice: the worker picks from the new matches.
    let on_query = move |ev: leptos::ev::Event| {
        matter.set(String::new());
        matter_name.set(String::new());
        own_duty.set(false);
        query.set(event_target_value(&ev));
    };
    let suggestion = move || catalog.with(|c| c.find(&matter.get()).is_some_and(|m| m.suggested_basis.is_some()));
    let outside = move || !matter_name.with(String::is_empty);

    // The decision, live.
    let decision = move || {
        let request = parsed.get().ok()?;
        let names = dept_names.get();
        Some(decide(&request, |code| names.get(code).cloned().unwrap_or_else(|| code.to_string())))
    };
    let decision_view = move || {
        match decision() {
        None => view! { <p class="hint" data-testid="seal-decision">"填写完整后,将按规定自动判断能否出具。"</p> }.into_any(),
        Some(d) if d.needs_judgement => view! {
            <div class="alert alert-warn" role="status" data-testid="seal-decision">
                "目录外事项:已引用具体条款,且未发现不得出具的情形。登记后由社区工作者审核、社区负责人批准,二人须分别写明判断理由。"
            </div>
        }
        .into_any(),
        Some(d) if d.allowed => view! {
            <div class="alert alert-ok" data-testid="seal-decision">"符合出具条件:该事项属于法律法规明确的社区职责,且已引用具体条款。"</div>
        }
        .into_any(),
        Some(d) => view! {
            <div class="alert alert-error" role="alert" data-testid="seal-decision">
                <strong>"不予出具"</strong>
                <ul class="reasons">
                    {d.reasons.iter().map(|r| view! { <li data-code=r.code()>{r.message()}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any(),
    }
    };

    view! {
        <section class="panel" aria-labelledby="new-seal">
            <h2 id="new-seal">"新建证明申请"</h2>
            <form class="form-grid" on:submit=submit novalidate>
                <div class="field">
                    <label for="requester_kind">"申请单位类型"</label>
                    <select id="requester_kind" on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                        {RequesterKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <TextField id="requester_name" label="申请单位名称" value=name error=err("requester_name") />
                <div class="field">
                    <label for="requester_department">"申请部门"</label>
                    <select id="requester_department" on:change=move |ev| department.set(event_target_value(&ev))
                        prop:value=move || department.get() disabled=move || kind.get() != "department">
                        <option value="">"请选择"</option>
                        {move || departments.get().unwrap_or_default().into_iter().map(|d| view! {
                            <option value=d.code>{d.name}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || err("requester_department").get()}</p>
                </div>
                <TextField id="resident_name" label="居民姓名" value=resident error=err("resident_name") />
                <TextField id="resident_id_number" label="居民公民身份号码" value=resident_id error=err("resident_id_number") />
                <div class="field matter-field">
                    <label for="matter">"证明事项"</label>
                    <input id="matter" type="search" autocomplete="off" role="combobox"
                        aria-controls="matter-options" aria-expanded=move || open().to_string()
                        placeholder="输入名称或拼音首字母,如“死亡”或 swzm"
                        prop:value=move || query.get() on:input=on_query />
                    {move || open().then(|| {
                        let found = matches();
                        view! {
                            <ul id="matter-options" class="matter-options" role="listbox" aria-label="匹配的证明事项">
                                {found.is_empty().then(|| view! { <li class="hint">"目录中没有该事项"</li> })}
                                {found.into_iter().map(|(code, name)| {
                                    let label = name.clone();
                                    view! {
                                        <li><button type="button" role="option" aria-selected="false" data-code=code.clone()
                                            on:click=move |_| { matter.set(code.clone()); query.set(label.clone()); }>{name}</button></li>
                                    }
                                }).collect_view()}
                                <li><button type="button" role="option" aria-selected="false" class="outside-option"
                                    data-testid="matter-outside"
                                    on:click=move |_| matter_name.set(query.get().trim().to_string())>
                                    {move || format!("目录中没有:按“{}”登记为目录外事项", query.get().trim())}
                                </button></li>
                            </ul>
                        }
                    })}
                    {move || outside().then(|| view! {
                        <p class="hint" data-testid="matter-outside-note">
                            {move || format!("目录外事项“{}”:按一般规则判断(须引用具体条款;属申请单位自身职责或涉及担保的不予出具)。", matter_name.get())}
                        </p>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || own_duty.get()
                                on:change=move |ev| own_duty.set(event_target_checked(&ev)) />
                            " 该事项属于申请单位自身职责"
                        </label>
                    })}
                    <p class="field-error" role="alert">{move || err("matter").get().or_else(|| err("matter_name").get())}</p>
                    {move || catalog_error().map(|m| view! { <p class="field-error" role="alert">{format!("证明事项目录加载失败:{m}")}</p> })}
                </div>
                <TextField id="purpose" label="证明用途" value=purpose error=err("purpose") />
                <TextField id="copies" label="份数" kind="number" value=copies error=err("copies") />
                <div class="field field-wide">
                    <label for="content">"证明内容"</label>
                    <textarea id="content" rows="3" prop:value=move || content.get()
                        on:input=move |ev| content.set(event_target_value(&ev))></textarea>
                    <p class="hint">"盖章的证明全文;不得在空白纸上盖章"</p>
                    <p class="field-error" role="alert">{move || err("content").get()}</p>
                </div>
                <fieldset class="field-wide basis">
                    <legend>"依据的法律、法规或规章的具体条款"</legend>
                    <div class="form-grid">
                        <TextField id="basis_law" label="法规名称" value=law error=err("basis_law") />
                        <TextField id="basis_article" label="条款号" value=article error=err("basis_article") hint="如:第十一条" />
                    </div>
                    <div class="field">
                        <label for="basis_text">"条文内容"</label>
                        <textarea id="basis_text" rows="2" prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    </div>
                    {move || suggestion().then(|| view! {
                        <button type="button" class="btn btn-small" on:click=fill_basis>"填入该事项的常用依据"</button>
                    })}
                </fieldset>
                <div class="field-wide">{decision_view}</div>
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&REQUEST_FIELDS.map(|f| f.name)))}</p>
                    <button class="btn btn-primary" type="submit" disabled=move || submit_action.pending().get()>"登记申请"</button>
                </div>
            </form>
        </section>
    }
}
