//! 网格数据导入 (system admin): grid boundaries from GeoJSON, households and
//! residents from CSV (UTF-8 or GBK). "检查文件" reports every problem by row
//! and column without writing; "导入" writes only a clean file. A household
//! import runs on the server as a job (202): the page polls it and shows its
//! phase and rows done as a progress bar, then the report.

use gloo_net::http::Request;
use gongzhi_api::{ApiError, ImportJob, ImportReport};
use gongzhi_domain::grid::import::{ImportFileError, MAX_HOUSEHOLD_FILE_BYTES};
use gongzhi_domain::RequestError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::guard::RequireMenu;

#[component]
pub fn GridImportPage() -> impl IntoView {
    view! {
        <RequireMenu slug="grid-import">
            <section class="panel">
                <h1>"网格数据导入"</h1>
                <p class="lead">"整份文件检查无误后才会导入;有任何问题,逐行列出,一条也不写入。"</p>
            </section>
            <ImportBox
                id="boundaries"
                title="网格与社区边界(GeoJSON)"
                path="/api/grids/import"
                accept=".geojson,.json,application/geo+json"
                content_type="application/geo+json"
                hint="测绘或网格系统导出的 GeoJSON 边界文件,一个网格或社区一块:写明编码(code)和名称(name),新网格还要写明所属社区的编码(community)。坐标用手机和卫星定位通用的经纬度(WGS-84)。"
            />
            <ImportBox
                id="households"
                title="住户与居民(CSV)"
                path="/api/households/import"
                accept=".csv,text/csv"
                content_type="text/csv"
                hint="第一行为表头:网格编码、户编号、地址、楼栋、经度、纬度、姓名、公民身份号码、联系电话、特殊群体、纳入日期。每位居民一行,同户各行的户信息须一致。支持 UTF-8 与 GBK(Excel 另存为 CSV)编码。"
            />
        </RequireMenu>
    }
}

async fn upload(
    path: &str,
    content_type: &str,
    bytes: Vec<u8>,
    dry_run: bool,
    progress: RwSignal<Option<ImportJob>>,
) -> Result<ImportReport, ApiError> {
    let csrf = crate::services::api::csrf();
    let body = js_sys::Uint8Array::from(bytes.as_slice());
    drop(bytes);
    let request = Request::post(&format!("{path}?dry_run={dry_run}"))
        .header("Content-Type", content_type)
        .header("X-CSRF-Token", &csrf)
        .body(body)
        .map_err(|_| ApiError::from_domain(&RequestError::Unsendable))?;
    let mut response = request.send().await.map_err(|_| crate::services::api::network_error())?;
    // A background job (202): polled until it has ended. The server holds
    // each poll up to half a second (or until the job ends), so the page
    // needs no timer; the poll is read here as the first answer is, so the
    // page shares no more code with the tablet's other pages (each shared
    // piece would be one more chunk in their first load).
    let mut job_id = None;
    while response.status() == 202 || (job_id.is_some() && response.ok()) {
        let mut job: ImportJob =
            response.json().await.map_err(|_| ApiError::from_domain(&RequestError::BadResponse))?;
        if let Some(report) = job.report.take() {
            progress.set(None);
            return Ok(report);
        }
        job_id = Some(job.id);
        progress.set(Some(job));
        response = Request::get(&format!("{path}/jobs/{}?wait_ms=500", job_id.unwrap_or_default()))
            .send()
            .await
            .map_err(|_| crate::services::api::network_error())?;
    }
    if job_id.is_some() {
        progress.set(None);
        return Err(crate::services::api::http_error(&response));
    }
    // 200 and 422 both carry a report.
    if let Ok(report) = response.json::<ImportReport>().await {
        return Ok(report);
    }
    Err(crate::services::api::http_error(&response))
}

/// The running job's phase and rows done, as the browser's own progress bar
/// (`<progress>`, role progressbar; indeterminate while the rows are still
/// being counted). Styled inline: nothing added to the stylesheet every
/// page loads.
fn progress_view(job: ImportJob) -> impl IntoView {
    // The server sends the phase's label (ImportPhase::label); escaped all
    // the same.
    let label = job.phase_label.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let known = job.rows_total > 0;
    let text =
        if known { format!("{label}:{} / {} 行", job.rows_done, job.rows_total) } else { format!("{label}中…") };
    // Values only while the rows are counted: without, the bar is indeterminate.
    let values = if known { format!(r#" max="{}" value="{}""#, job.rows_total, job.rows_done) } else { String::new() };
    // Written as markup rather than a view: the view's attribute code would
    // be shared with the grid walk's and grow the walk's first load.
    let html = format!(
        r#"<p style="margin:.75rem 0 .4rem;font-weight:600">正在导入 · {text}</p><progress style="width:100%;height:1rem" aria-label="导入进度" aria-valuetext="{text}"{values}></progress>"#
    );
    view! { <div class="import-progress" data-testid="import-progress" inner_html=html></div> }
}

async fn read_file(input: &web_sys::HtmlInputElement) -> Option<Vec<u8>> {
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[component]
fn ImportBox(
    id: &'static str,
    title: &'static str,
    path: &'static str,
    accept: &'static str,
    content_type: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<Result<(ImportReport, bool), ApiError>>);
    let chosen = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<ImportJob>);
    let run = Action::new_local(move |dry_run: &bool| {
        let dry_run = *dry_run;
        async move {
            let Some(input) = input_ref.get_untracked() else { return };
            let el: web_sys::HtmlInputElement = input.unchecked_into();
            let Some(bytes) = read_file(&el).await else {
                report.set(Some(Err(ApiError::from_domain(&RequestError::NoFileChosen))));
                return;
            };
            if bytes.len() > MAX_HOUSEHOLD_FILE_BYTES {
                report.set(Some(Err(ApiError::from_domain(&ImportFileError::TooLarge))));
                return;
            }
            report.set(None);
            report.set(Some(upload(path, content_type, bytes, dry_run, progress).await.map(|r| (r, dry_run))));
        }
    });
    view! {
        <section class="panel" data-testid=format!("import-{id}")>
            <h2>{title}</h2>
            <p class="hint">{hint}</p>
            <div class="field file-field">
                // The browser's own file button speaks the system's language;
                // this one speaks Chinese everywhere.
                <label class="btn btn-light" for=format!("file-{id}")>"选择文件"</label>
                <input id=format!("file-{id}") class="file-input" type="file" accept=accept node_ref=input_ref
                    on:change=move |ev| {
                        report.set(None);
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        chosen.set(input.files().and_then(|f| f.get(0)).map(|f| f.name()));
                    } />
                <span class="file-name">{move || chosen.get().unwrap_or_else(|| "未选择文件".into())}</span>
            </div>
            <div class="form-actions">
                <button class="btn btn-light" disabled=move || run.pending().get() on:click=move |_| { run.dispatch(true); }>"检查文件"</button>
                <button class="btn btn-primary" disabled=move || run.pending().get() on:click=move |_| { run.dispatch(false); }>"导入"</button>
            </div>
            {move || progress.get().map(progress_view)}
            {move || report.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Ok((r, dry_run)) => {
                    let encoding = r.encoding.clone().map(|e| format!("(文件编码:{})", e.to_uppercase())).unwrap_or_default();
                    let head = if !r.problems.is_empty() {
                        format!("发现 {} 处问题,未导入任何数据。请改正后重新上传{encoding}。", r.problems.len())
                    } else if dry_run {
                        format!("检查通过:共 {} 行,可以导入{encoding}。", r.rows)
                    } else {
                        format!("导入完成:共 {} 行,新增 {},更新 {}{encoding}。", r.rows, r.created, r.updated)
                    };
                    let class = if r.problems.is_empty() { "alert alert-ok" } else { "alert alert-error" };
                    view! {
                        <p class=class role="status" data-testid="import-result">{head}</p>
                        {(!r.problems.is_empty()).then(|| view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::components::table::SCROLL_LABEL>
                                <table class="data-table" data-testid="import-problems">
                                    <thead><tr><th>"行"</th><th>"列"</th><th>"问题"</th></tr></thead>
                                    <tbody>{r.problems.iter().map(|p| view! {
                                        <tr><td>{if p.row == 0 { "—".to_string() } else { p.row.to_string() }}</td><td>{p.column.clone()}</td><td>{p.message.clone()}</td></tr>
                                    }).collect_view()}</tbody>
                                </table>
                            </div>
                        })}
                        {(!r.warnings.is_empty()).then(|| view! {
                            <div class="alert alert-warn"><p><strong>"请留意:"</strong></p>
                                <ul>{r.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul></div>
                        })}
                    }.into_any()
                }
            })}
        </section>
    }
}
