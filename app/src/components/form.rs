//! Form pieces shared by every page: a labelled input with its error, and
//! the way field errors from the domain crate or the API are looked up.

use gongzhi_api::ApiError;
use gongzhi_domain::{DomainError, FieldError};
use leptos::prelude::*;

/// Field messages to show: the browser's own check (domain crate) first,
/// then what the server said.
#[derive(Clone, Default, PartialEq)]
pub struct FormErrors {
    pub local: Vec<FieldError>,
    pub server: Option<ApiError>,
}

impl FormErrors {
    pub fn for_field(&self, field: &str) -> Option<String> {
        self.local
            .iter()
            .find(|e| e.field == field)
            .map(DomainError::message)
            .or_else(|| self.server.as_ref().and_then(|s| s.message_for(field)).map(str::to_string))
    }

    /// A server error that concerns no field on the form.
    pub fn general(&self, fields: &[&str]) -> Option<String> {
        self.server
            .as_ref()
            .filter(|s| s.field.as_deref().is_none_or(|f| !fields.contains(&f)))
            .map(|s| s.message.clone())
    }
}

/// A form's messages as one piece: the domain's check, shown once the person
/// has tried to send, then the server's answer.
#[derive(Clone, Copy)]
pub struct Checks {
    /// Set when the person first presses send.
    pub tried: RwSignal<bool>,
    /// The server's refusal, if any.
    pub server: RwSignal<Option<ApiError>>,
    pub errors: Memo<FormErrors>,
}

impl Checks {
    /// `local` runs the domain's parser over what is typed.
    pub fn new(local: impl Fn() -> Vec<FieldError> + Send + Sync + 'static) -> Self {
        let tried = RwSignal::new(false);
        let server = RwSignal::new(None::<ApiError>);
        let errors =
            Memo::new(move |_| FormErrors { local: if tried.get() { local() } else { vec![] }, server: server.get() });
        Checks { tried, server, errors }
    }
}

/// A labelled input whose id is made at run time (one form per record on
/// the same page: a sign-off, a proposal, a delivery); otherwise [`TextField`].
#[component]
pub fn Input(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id.clone() name=id type=kind.unwrap_or("text") prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=error_id.clone() />
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A text input bound to `value`, with label and error line.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind.unwrap_or("text")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled textarea with its error line.
#[component]
pub fn Area(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    rows: u32,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field field-wide">
            <label for=id>{label}</label>
            <textarea id=id name=id rows=rows prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=error_id.clone()></textarea>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled textarea whose id is made at run time (one per record on a
/// page); otherwise [`Area`].
#[component]
pub fn Text(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] rows: Option<u32>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field field-wide">
            <label for=id.clone()>{label}</label>
            <textarea id=id.clone() name=id rows=rows.unwrap_or(3) prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=error_id.clone()></textarea>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled select over `(value, label)` pairs, with “请选择” first when
/// `blank`.
#[component]
pub fn Choice(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    options: Signal<Vec<(String, String)>>,
    error: Signal<Option<String>>,
    #[prop(optional)] blank: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=error_id.clone()>
                {blank.then(|| view! { <option value="">"请选择"</option> })}
                {move || options.get().into_iter().map(|(code, label)| {
                    let selected = value.get_untracked() == code;
                    view! { <option value=code selected=selected>{label}</option> }
                }).collect_view()}
            </select>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// Takes the eye and the focus to the first problem (issue 16): the input
/// of the first field in `errors` (the domain's order is the form's), found
/// by its id (`id_of` the field's name). Only calls the page already makes
/// (each new browser call costs every first load of the bundle).
#[cfg(feature = "resident")]
pub fn focus_first_error(errors: &[FieldError], id_of: impl Fn(&'static str) -> String) {
    let Some(first) = errors.first() else { return };
    if let Some(input) = document().get_element_by_id(&id_of(first.field)) {
        input.scroll_into_view();
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(input).focus();
    }
}
