//! Loading a province's or the city's catalogue file: checked first (every
//! problem listed), loaded on a second click.

use gongzhi_api::CatalogLoadResponse;
use leptos::prelude::*;

use crate::services::api;

type Outcome = Option<Result<CatalogLoadResponse, Vec<String>>>;

async fn send(
    file: Option<web_sys::File>,
    dry_run: bool,
    chosen: RwSignal<Option<(String, String)>>,
    result: RwSignal<Outcome>,
    changed: RwSignal<u32>,
) {
    if let Some(file) = file {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
        chosen.set(Some((file.name(), text.unwrap_or_default())));
    }
    let text = chosen.get_untracked().map(|(_, t)| t).unwrap_or_default();
    let path = format!("/api/seal/catalog/editions?dry_run={dry_run}");
    let answer = api::post_text::<CatalogLoadResponse>(&path, "application/json", text).await.map_err(|e| {
        if e.errors.is_empty() {
            vec![e.message]
        } else {
            e.errors.into_iter().map(|p| p.message).collect()
        }
    });
    if matches!(answer, Ok(ref r) if !r.dry_run) {
        changed.update(|n| *n += 1);
    }
    result.set(Some(answer));
}

#[component]
pub fn Upload(changed: RwSignal<u32>) -> impl IntoView {
    let chosen = RwSignal::new(None::<(String, String)>);
    let result = RwSignal::new(None);
    let on_change = move |ev: leptos::ev::Event| {
        result.set(None);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            leptos::task::spawn_local(send(Some(file), true, chosen, result, changed));
        }
    };
    let ready = move || matches!(result.get(), Some(Ok(ref r)) if r.dry_run);
    view! {
        <section class="panel" aria-labelledby="upload-title">
            <h2 id="upload-title">"加载省级或市级目录文件"</h2>
            <p class="hint">
                "JSON 文件:{\"level\": \"province\" 或 \"city\", \"region\": \"湖北省\", \"version\": \"HB-2026.1\", "
                "\"effective_from\": \"2026-03-01\", \"source\": \"文件及文号\", \"matters\": [{\"code\", \"name\", \"initials\", "
                "\"national_list\"(列入该级不应出具清单), \"community_duty\", \"responsible_department\", \"obtain_from\"}]}。"
                "选择文件后自动检查,检查通过再点“加载”。"
            </p>
            <div class="field file-field">
                <label class="btn btn-light" for="catalog-file">"选择文件"</label>
                <input id="catalog-file" class="file-input" type="file" accept=".json,application/json" on:change=on_change />
                <span class="file-name">{move || chosen.with(|c| c.as_ref().map(|(n, _)| n.clone())).unwrap_or_else(|| "未选择文件".into())}</span>
            </div>
            <div class="form-actions">
                <button class="btn btn-primary" disabled=move || !ready()
                    on:click=move |_| leptos::task::spawn_local(send(None, false, chosen, result, changed))>"加载"</button>
            </div>
            {move || result.get().map(|r| match r {
                Ok(done) => {
                    let e = &done.edition;
                    let text = if done.dry_run {
                        format!("检查通过:{} {}({} 项,{} 起生效)。加载后现行目录版本为 {}。", e.level_label, e.version, e.matters, e.effective_from, done.version_in_force)
                    } else {
                        format!("已加载 {} {},现行目录版本为 {}。", e.level_label, e.version, done.version_in_force)
                    };
                    view! { <p class="alert alert-ok" role="status" data-testid="catalog-upload-result">{text}</p> }.into_any()
                }
                Err(problems) => view! {
                    <div class="alert alert-error" role="alert" data-testid="catalog-upload-problems">
                        <p><strong>{format!("发现 {} 处问题,不能加载:", problems.len())}</strong></p>
                        <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}
