//! A seal decision (社区印章): the police station asks the community to certify
//! a resident's household registration — the police's own duty, and no
//! article cited — and is refused with both reasons; the civil affairs bureau
//! asks for a social-assistance household check, citing its article, and may
//! have it.
//!
//! `cargo run -p gongzhi-domain --example seal_decision`

use gongzhi_domain::seal::{decide, Catalog, CertificateRequestInput};
use gongzhi_domain::DomainError;

fn request(department: &str, matter: &str, article: &str) -> CertificateRequestInput {
    CertificateRequestInput {
        requester_kind: "department".into(),
        requester_name: "示范单位".into(),
        requester_department: department.into(),
        resident_name: "王秀英".into(),
        resident_id_number: "11010519491231002X".into(),
        matter: matter.into(),
        purpose: "办理业务".into(),
        content: "兹证明王秀英同志……".into(),
        copies: "1".into(),
        basis_law: "社会救助暂行办法".into(),
        basis_article: article.into(),
        basis_text: "……村民委员会、居民委员会协助做好相关工作。".into(),
        ..Default::default()
    }
}

fn report() -> String {
    let catalog = Catalog::bundled();
    let names = |code: &str| match code {
        "gaj" => "市公安局".to_string(),
        other => other.to_string(),
    };
    let mut out = String::new();
    for input in
        [request("gaj", "household_registration", ""), request("mzj", "assistance_household_check", "第十一条")]
    {
        let parsed = input.parse(&catalog).expect("every field is valid");
        let decision = decide(&parsed, names);
        out += &format!("{}:{}\n", parsed.matter.name, if decision.allowed { "可以出具" } else { "不予出具" });
        for reason in &decision.reasons {
            out += &format!("  [{}] {}\n", reason.code(), reason.message());
        }
    }
    out
}

fn main() {
    print!("{}", report());
}

#[test]
fn the_example_refuses_the_police_and_allows_the_assistance_check() {
    let out = report();
    assert!(out.starts_with("户籍证明:不予出具\n  [seal_no_article]"), "{out}");
    assert!(out.contains("[seal_requester_own_duty] 该证明事项属于申请单位(市公安局)自身职责范围"), "{out}");
    assert!(out.ends_with("社会救助家庭情况核实证明:可以出具\n"), "{out}");
}
