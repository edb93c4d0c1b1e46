//! The leader's form of a property service company: on
//! `/self-government/property/new` (registering it, then its page opens and
//! says so) and on the company's page (an edit, naming the version read).
//! Checked in the browser by the domain's `CompanyInput::parse`, so the
//! messages are the server's; the first wrong field takes the focus.

use gongzhi_api::property::{CompanyUpdate, CompanyView};
use gongzhi_domain::property::{CompanyInput, PartyOrg};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{crumb, Shown, SLUG};
use crate::components::form::{focus_first_error, Checks, Choice, TextField};
use crate::components::guard::RequireMenu;
use crate::services::api;
use crate::services::calendar::today_in_shanghai;
use crate::services::session::role;

const FIELDS: &[&str] = &["name", "credit_code", "contact", "phone", "party_org", "party_members", "agreement_on"];

#[component]
pub fn NewPage() -> impl IntoView {
    let navigate = use_navigate();
    let send = Action::new_local(move |body: &CompanyInput| {
        let body = body.clone();
        async move { api::send::<_, CompanyView>("POST", "/api/property/companies", &body).await }
    });
    let sent = Callback::new(move |input: CompanyInput| {
        send.dispatch(input);
    });
    let server = RwSignal::new(None);
    Effect::new(move |_| match send.value().get() {
        Some(Ok(c)) => navigate(&format!("/self-government/property/{}?new=1", c.id), Default::default()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let pending = Signal::derive(move || send.pending().get());
    view! {
        <RequireMenu slug=SLUG>
            {crumb("登记物业服务企业")}
            <section class="panel">
                <h1>"登记物业服务企业"</h1>
                {move || if role() == "community_leader" {
                    view! {
                        <p class="lead">"登记为本社区小区提供物业服务的企业。登记后可以添加它服务的小区,并发起年度服务满意度测评。"</p>
                        <CompanyForm start=CompanyInput::default() sent server pending submit="登记" />
                    }.into_any()
                } else {
                    view! { <p class="notice" role="status">"物业服务企业由社区负责人登记。"</p> }.into_any()
                }}
            </section>
        </RequireMenu>
    }
}

/// The edit on a company's page: the same form, filled in.
#[component]
pub fn EditCompany(c: CompanyView, s: Shown) -> impl IntoView {
    let version = c.version;
    let send = super::sender::<CompanyUpdate>("PUT", format!("/api/property/companies/{}", c.id));
    let sent = Callback::new(move |company: CompanyInput| {
        send.dispatch(CompanyUpdate { version, company });
    });
    let server = RwSignal::new(None);
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => s.done(v, "企业信息已保存。".into()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let start = CompanyInput {
        name: c.name.clone(),
        credit_code: c.credit_code.clone(),
        contact: c.contact.clone(),
        phone: c.phone.clone(),
        party_org: c.party_org.clone(),
        party_members: c.party_members.to_string(),
        agreement_on: c.agreement_on.map(|d| d.to_string()).unwrap_or_default(),
    };
    let pending = Signal::derive(move || send.pending().get());
    view! {
        <details class="panel" data-testid="property-edit">
            <summary><h2 style="display:inline">"修改企业信息"</h2></summary>
            <CompanyForm start sent server pending submit="保存修改" />
        </details>
    }
}

#[component]
fn CompanyForm(
    start: CompanyInput,
    sent: Callback<CompanyInput>,
    server: RwSignal<Option<gongzhi_api::ApiError>>,
    pending: Signal<bool>,
    submit: &'static str,
) -> impl IntoView {
    let name = RwSignal::new(start.name);
    let code = RwSignal::new(start.credit_code);
    let contact = RwSignal::new(start.contact);
    let phone = RwSignal::new(start.phone);
    let org = RwSignal::new(start.party_org);
    let members = RwSignal::new(start.party_members);
    let agreement = RwSignal::new(start.agreement_on);
    let input = move || CompanyInput {
        name: name.get(),
        credit_code: code.get(),
        contact: contact.get(),
        phone: phone.get(),
        party_org: org.get(),
        party_members: members.get(),
        agreement_on: agreement.get(),
    };
    let today = today_in_shanghai();
    let checks = Checks::new(move || input().parse(today).err().unwrap_or_default());
    // The server's refusal of this form is shown with the domain's own checks.
    Effect::new(move |_| checks.server.set(server.get()));
    let errors = checks.errors;
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let orgs = Signal::stored(PartyOrg::ALL.iter().map(|o| (o.code().to_string(), o.label().to_string())).collect());
    view! {
        <form class="form-grid" data-testid="property-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            checks.tried.set(true);
            server.set(None);
            match input().parse(today) {
                Ok(_) => sent.run(input()),
                Err(e) => focus_first_error(&e, |f| f.to_string()),
            }
        }>
            <TextField id="name" label="企业名称" value=name error=err("name") />
            <TextField id="credit_code" label="统一社会信用代码" value=code error=err("credit_code")
                hint="18 位,见营业执照" />
            <TextField id="contact" label="联系人" value=contact error=err("contact") />
            <TextField id="phone" label="联系电话" kind="tel" value=phone error=err("phone") hint="对居民公开的服务电话" />
            <Choice id="party_org".into() label="党组织建设情况" value=org options=orgs error=err("party_org") blank=true />
            <TextField id="party_members" label="党员人数" kind="number" value=members error=err("party_members")
                hint="党员 3 名以上的应单独建立党支部" />
            <TextField id="agreement_on" label="联建协议签订日期" kind="date" value=agreement error=err("agreement_on")
                hint="尚未签订的不填" />
            <div class="form-actions">
                <p class="form-error" role="alert" data-testid="property-error">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="property-submit"
                    disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { submit }}
                </button>
            </div>
        </form>
    }
}
