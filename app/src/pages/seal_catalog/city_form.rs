//! Adding or changing one entry of the city's layer. The form is checked by
//! the domain crate as typed (`CityMatterInput::parse`, the server's code);
//! saving makes the city's next edition, in force at once.

use gongzhi_api::{ApiError, CatalogEditionsPage, CatalogLoadResponse, DepartmentView};
use gongzhi_domain::seal_layers::CityMatterInput;
use leptos::prelude::*;

use crate::components::form::{FormErrors, TextField};
use crate::services::api;
use crate::services::calendar::today_in_shanghai;

const FIELDS: [&str; 11] = [
    "name",
    "initials",
    "kind",
    "responsible_department",
    "basis_law",
    "basis_article",
    "basis_text",
    "source",
    "obtain_from",
    "effective_from",
    "code",
];

#[component]
pub fn CityMatterForm(
    editions: LocalResource<Result<CatalogEditionsPage, ApiError>>,
    changed: RwSignal<u32>,
    prefill: RwSignal<Option<String>>,
) -> impl IntoView {
    let departments =
        LocalResource::new(|| async { api::get::<Vec<DepartmentView>>("/api/departments").await.unwrap_or_default() });
    let values: [RwSignal<String>; 10] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [name, initials, kind, department, law, article, text, source, obtain, effective] = values;
    let liability = RwSignal::new(false);
    let input = move || CityMatterInput {
        code: String::new(),
        name: name.get(),
        initials: initials.get(),
        kind: kind.get(),
        responsible_department: department.get(),
        joint_liability: liability.get(),
        basis_law: law.get(),
        basis_article: article.get(),
        basis_text: text.get(),
        source: source.get(),
        obtain_from: obtain.get(),
        effective_from: effective.get(),
    };
    let parsed = Memo::new(move |_| input().parse(today_in_shanghai()));
    let tried = RwSignal::new(false);
    let server_error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<CatalogLoadResponse>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { parsed.get().err().unwrap_or_default() } else { vec![] },
        server: server_error.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));

    // A name taken from the list of matters outside the catalogue.
    let name_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(n) = prefill.get() {
            name.set(n);
            if let Some(el) = name_input.get() {
                el.scroll_into_view();
                let _ = el.focus();
            }
        }
    });

    let save = Action::new_local(move |body: &CityMatterInput| {
        let body = body.clone();
        async move { api::send::<_, CatalogLoadResponse>("POST", "/api/seal/catalog/city-matters", &body).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(done)) => {
            saved.set(Some(done));
            values.iter().for_each(|v| v.set(String::new()));
            liability.set(false);
            tried.set(false);
            changed.update(|n| *n += 1);
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        server_error.set(None);
        saved.set(None);
        if parsed.get().is_ok() {
            save.dispatch(input());
        }
    };
    let kinds = move || editions.get().and_then(Result::ok).map(|p| p.city_kinds).unwrap_or_default();

    view! {
        <section class="panel" aria-labelledby="city-title">
            <h2 id="city-title">"新增或修改市级事项"</h2>
            <p class="hint">"与已有市级事项同名的,保存后修改该事项。保存后生成新的市级目录版本,立即生效。"</p>
            <form class="form-grid" on:submit=submit novalidate data-testid="city-matter-form">
                <div class="field">
                    <label for="city_name">"事项名称"</label>
                    <input id="city_name" node_ref=name_input prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                        aria-invalid=move || err("name").get().is_some().to_string() aria-describedby="city_name-error" />
                    <p id="city_name-error" class="field-error" role="alert">{move || err("name").get()}</p>
                </div>
                <TextField id="city_initials" label="拼音首字母" value=initials error=err("initials")
                    hint="每字一个字母,如“转学证明”填 zxzm;供社区输入时查找" />
                <div class="field">
                    <label for="city_kind">"事项性质"</label>
                    <select id="city_kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))
                        aria-describedby="city_kind-error">
                        <option value="">"请选择"</option>
                        {move || kinds().into_iter().map(|(c, l)| view! { <option value=c>{l}</option> }).collect_view()}
                    </select>
                    <p id="city_kind-error" class="field-error" role="alert">{move || err("kind").get()}</p>
                </div>
                {move || (kind.get() == "department_duty").then(|| view! {
                    <div class="field">
                        <label for="city_department">"负责部门"</label>
                        <select id="city_department" prop:value=move || department.get()
                            on:change=move |ev| department.set(event_target_value(&ev)) aria-describedby="city_department-error">
                            <option value="">"请选择"</option>
                            {move || departments.get().unwrap_or_default().into_iter().map(|d| view! {
                                <option value=d.code>{d.name}</option>
                            }).collect_view()}
                        </select>
                        <p id="city_department-error" class="field-error" role="alert">{move || err("responsible_department").get()}</p>
                    </div>
                })}
                {move || (kind.get() == "community_duty").then(|| view! {
                    <fieldset class="field-wide basis">
                        <legend>"通常引用的条款"</legend>
                        <div class="form-grid">
                            <TextField id="city_basis_law" label="法规名称" value=law error=err("basis_law") />
                            <TextField id="city_basis_article" label="条款号" value=article error=err("basis_article") />
                            <TextField id="city_basis_text" label="条文内容" value=text error=err("basis_text") />
                        </div>
                    </fieldset>
                })}
                <div class="field">
                    <label class="check"><input type="checkbox" prop:checked=move || liability.get()
                        on:change=move |ev| liability.set(event_target_checked(&ev)) />
                        " 涉及经济担保或连带责任(一律不予出具)"</label>
                </div>
                <TextField id="city_source" label="依据文件及文号" value=source error=err("source") hint="如:示范市民政局〔2026〕5号" />
                <TextField id="city_obtain" label="居民办理途径" value=obtain error=err("obtain_from")
                    hint="不予出具时写入告知书,告诉居民到哪里办理" />
                <TextField id="city_effective" label="生效日期" kind="date" value=effective error=err("effective_from")
                    hint="不填则立即生效" />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&FIELDS))}</p>
                    <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"保存市级事项"</button>
                </div>
            </form>
            {move || saved.get().map(|d| view! {
                <p class="alert alert-ok" role="status" data-testid="city-matter-saved">
                    {format!("已保存为市级目录 {}({} 项),现行目录版本为 {}。", d.edition.version, d.edition.matters, d.version_in_force)}
                </p>
            })}
        </section>
    }
}
