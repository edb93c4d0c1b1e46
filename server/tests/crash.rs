//! The crash test (issue 15, "Nothing lost"): the real `gongzhi-server`
//! binary in demo mode on a temporary data directory and a free loopback
//! port, several clients writing at once — grid visits, funding payments and
//! the audited seal flow (request → review → approve → stamp, the last one
//! writing the register) — killed with SIGKILL in the middle, started again.
//! Then: every write answered 2xx is there, none is half-written (each
//! change has its audit entry and each audit entry its change; every stamp
//! its register entry), `PRAGMA integrity_check` says ok and
//! `gongzhi-server verify-audit` exits 0.
//!
//! SIGKILL is a process crash, not a power loss: what the kernel already
//! holds survives it. The promise for a power loss rests on
//! `synchronous = FULL` (ARCHITECTURE.md, "Nothing acknowledged is lost").

mod fixtures;
mod http;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::{start, wait_healthy, Client};
use serde_json::{json, Value};

const BIN: &str = http::BIN;
const PASSWORD: &str = "Gongzhi@2026";

/// Requests the kill cut off (sent, no answer): each writer's last.
static CUT: AtomicUsize = AtomicUsize::new(0);

fn cut() {
    CUT.fetch_add(1, Ordering::Relaxed);
}

/// A write the server acknowledged with 2xx.
#[derive(Clone, Debug)]
enum Ack {
    Visit(String),
    Payment(String),
    /// A seal request and the status the acknowledged step put it in.
    Seal(i64, &'static str),
    /// An admission file submitted (`false`) or accepted by the reviewer (`true`).
    Admission(i64, bool),
}

async fn db(data: &Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("gongzhi.db").display())).await.unwrap()
}

fn seal_request(key: &str) -> Value {
    json!({
        "idempotency_key": key,
        "requester_kind": "department",
        "requester_name": "市民政局社会救助科",
        "requester_department": "mzj",
        "resident_name": "王秀英",
        "resident_id_number": "11010519491231002X",
        "matter": "assistance_household_check",
        "purpose": "办理最低生活保障审核",
        "content": "兹证明王秀英同志家庭情况已由本社区协助入户核实。",
        "copies": "1",
        "basis_law": "社会救助暂行办法",
        "basis_article": "第十一条",
        "basis_text": "……村民委员会、居民委员会协助做好相关工作。"
    })
}

/// Runs until `stop` or the first transport error (the server is gone).
/// Only answers with a 2xx status are recorded; anything else after the
/// kill is expected, anything else before it fails the test.
async fn visits(port: u16, household: i64, worker: usize, stop: Arc<AtomicBool>, acks: Arc<Mutex<Vec<Ack>>>) {
    let client = Client::login(port, "gridmember", PASSWORD).await.expect("gridmember signs in");
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let key = format!("crash-visit-{worker}-{n:06}");
        let body = json!({ "idempotency_key": key, "household_id": household, "outcome": "met",
            "needs": "需要代购药品", "follow_up": "", "visited_at": chrono::Utc::now().to_rfc3339() });
        match client.post("/api/visits", &body).await {
            Ok(r) if r.is_success() => acks.lock().unwrap().push(Ack::Visit(key)),
            Ok(r) => panic!("visit refused before the kill: {} {}", r.status, r.body),
            Err(_) => {
                cut();
                break;
            }
        }
    }
}

async fn payments(port: u16, application: i64, stop: Arc<AtomicBool>, acks: Arc<Mutex<Vec<Ack>>>) {
    let client = Client::login(port, "applicant", PASSWORD).await.expect("applicant signs in");
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let key = format!("crash-pay-{n:06}");
        let body = json!({ "application_id": application.to_string(), "community": "DX-CD-HP", "period": "1",
            "paid_on": "2026-11-24", "amount": "0.01", "voucher_no": format!("CZ-CRASH-{n}"), "idempotency_key": key });
        match client.post("/api/funding/payments", &body).await {
            Ok(r) if r.is_success() => acks.lock().unwrap().push(Ack::Payment(key)),
            Ok(r) => panic!("payment refused before the kill: {} {}", r.status, r.body),
            Err(_) => {
                cut();
                break;
            }
        }
    }
}

async fn seals(port: u16, stop: Arc<AtomicBool>, acks: Arc<Mutex<Vec<Ack>>>) {
    let worker = Client::login(port, "gridmember", PASSWORD).await.expect("gridmember signs in");
    let leader = Client::login(port, "leader", PASSWORD).await.expect("leader signs in");
    'requests: for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let r = match worker.post("/api/seal/requests", &seal_request(&format!("crash-seal-{n:06}"))).await {
            Ok(r) if r.is_success() => r,
            Ok(r) => panic!("seal request refused before the kill: {} {}", r.status, r.body),
            Err(_) => {
                cut();
                break;
            }
        };
        let id = r.body["id"].as_i64().expect("a request id");
        acks.lock().unwrap().push(Ack::Seal(id, "submitted"));
        for (client, step, status) in
            [(&worker, "review", "reviewed"), (&leader, "approve", "approved"), (&worker, "stamp", "stamped")]
        {
            match client.post(&format!("/api/seal/requests/{id}/{step}"), &json!({})).await {
                Ok(r) if r.is_success() => acks.lock().unwrap().push(Ack::Seal(id, status)),
                Ok(r) => panic!("seal {step} refused before the kill: {} {}", r.status, r.body),
                Err(_) => {
                    cut();
                    break 'requests;
                }
            }
        }
    }
}

fn admission_form(key: &str, n: usize) -> Value {
    let mut form = fixtures::admission_form();
    form["idempotency_key"] = json!(key);
    form["item_name"] = json!(format!("零就业家庭动态清零台账(崩溃测试 {n})"));
    form
}

/// A department submits files and the reviewer accepts each (an audited
/// state move with its timeline line).
async fn admissions(port: u16, stop: Arc<AtomicBool>, acks: Arc<Mutex<Vec<Ack>>>) {
    let applicant = Client::login(port, "applicant", PASSWORD).await.expect("applicant signs in");
    let reviewer = Client::login(port, "reviewer", PASSWORD).await.expect("reviewer signs in");
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let r =
            match applicant.post("/api/admission/applications", &admission_form(&format!("crash-adm-{n:06}"), n)).await
            {
                Ok(r) if r.is_success() => r,
                Ok(r) => panic!("admission file refused before the kill: {} {}", r.status, r.body),
                Err(_) => {
                    cut();
                    break;
                }
            };
        let id = r.body["summary"]["id"].as_i64().expect("a file id");
        acks.lock().unwrap().push(Ack::Admission(id, false));
        match reviewer.post(&format!("/api/admission/applications/{id}/accept"), &json!({})).await {
            Ok(r) if r.is_success() => acks.lock().unwrap().push(Ack::Admission(id, true)),
            Ok(r) => panic!("acceptance refused before the kill: {} {}", r.status, r.body),
            Err(_) => {
                cut();
                break;
            }
        }
    }
}

async fn scalar(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn strings(pool: &sqlx::SqlitePool, sql: &str) -> BTreeSet<String> {
    sqlx::query_scalar::<_, String>(sql).fetch_all(pool).await.unwrap().into_iter().collect()
}

fn rank(status: &str) -> u8 {
    match status {
        "submitted" => 1,
        "reviewed" => 2,
        "approved" => 3,
        "stamped" => 4,
        _ => 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    let started = Instant::now();

    let mut server = start(&data);
    wait_healthy(&mut server).await;
    let (household, application) = {
        let pool = db(&data).await;
        let household = scalar(
            &pool,
            "SELECT h.id FROM households h JOIN org_nodes n ON n.id = h.grid_id WHERE n.code = 'DX-CD-XF-01' ORDER BY h.id LIMIT 1",
        )
        .await;
        let application =
            scalar(&pool, "SELECT id FROM admission_applications WHERE item_name = '就业援助月活动组织'").await;
        pool.close().await;
        (household, application)
    };

    let stop = Arc::new(AtomicBool::new(false));
    let acks = Arc::new(Mutex::new(Vec::new()));
    let port = server.port;
    let mut writers = Vec::new();
    for w in 0..3 {
        writers.push(tokio::spawn(visits(port, household, w, stop.clone(), acks.clone())));
    }
    writers.push(tokio::spawn(payments(port, application, stop.clone(), acks.clone())));
    writers.push(tokio::spawn(seals(port, stop.clone(), acks.clone())));
    writers.push(tokio::spawn(admissions(port, stop.clone(), acks.clone())));

    // Kill mid-stream: once every kind of write has been acknowledged a few
    // times and at least 2 s have passed, with every writer still sending.
    let deadline = Instant::now() + Duration::from_secs(30);
    let since = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (v, p, s, f) = {
            let a = acks.lock().unwrap();
            (
                a.iter().filter(|x| matches!(x, Ack::Visit(_))).count(),
                a.iter().filter(|x| matches!(x, Ack::Payment(_))).count(),
                a.iter().filter(|x| matches!(x, Ack::Seal(_, "stamped"))).count(),
                a.iter().filter(|x| matches!(x, Ack::Admission(_, true))).count(),
            )
        };
        if v >= 20 && p >= 5 && s >= 2 && f >= 2 && since.elapsed() >= Duration::from_secs(2) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "too few writes acknowledged in 30 s: {v} visits, {p} payments, {s} stamps, {f} acceptances"
        );
        assert!(writers.iter().all(|w| !w.is_finished()), "a writer stopped before the kill");
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.expect("a writer panicked");
    }
    let acks = acks.lock().unwrap().clone();

    // Start again on the same files: recovery of the WAL, migrations, anchoring.
    let mut again = start(&data);
    wait_healthy(&mut again).await;
    let client = Client::login(again.port, "gridmember", PASSWORD).await.expect("sign-in after restart");
    let verify = client.get("/api/seal/register/verify").await.unwrap();
    assert_eq!(verify.status, 200, "{}", verify.body);
    assert_eq!(verify.body["intact"], true, "{}", verify.body);
    again.child.kill().unwrap();
    again.child.wait().unwrap();

    let pool = db(&data).await;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&pool).await.unwrap();
    assert_eq!(integrity, ["ok"]);

    // Every acknowledged write is there.
    let visit_keys =
        strings(&pool, "SELECT idempotency_key FROM visits WHERE idempotency_key LIKE 'crash-visit-%'").await;
    let pay_keys =
        strings(&pool, "SELECT idempotency_key FROM funding_payments WHERE idempotency_key LIKE 'crash-pay-%'").await;
    let mut acked_visits = 0;
    let mut acked_payments = 0;
    for ack in &acks {
        match ack {
            Ack::Visit(key) => {
                acked_visits += 1;
                assert!(visit_keys.contains(key), "acknowledged visit {key} lost");
            }
            Ack::Payment(key) => {
                acked_payments += 1;
                assert!(pay_keys.contains(key), "acknowledged payment {key} lost");
            }
            Ack::Seal(id, status) => {
                let now: String = sqlx::query_scalar("SELECT status FROM seal_requests WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&pool)
                    .await
                    .unwrap()
                    .unwrap_or_else(|| panic!("acknowledged seal request {id} lost"));
                assert!(rank(&now) >= rank(status), "seal request {id}: acknowledged {status}, found {now}");
            }
            Ack::Admission(id, accepted) => {
                let now: String = sqlx::query_scalar("SELECT status FROM admission_applications WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&pool)
                    .await
                    .unwrap()
                    .unwrap_or_else(|| panic!("acknowledged admission file {id} lost"));
                assert!(!accepted || now != "submitted", "admission file {id}: acceptance acknowledged, found {now}");
            }
        }
    }

    // Nothing half-written: each change and its audit entry, both or neither.
    let visits_audited = strings(
        &pool,
        "SELECT 'visit:' || id FROM visits WHERE idempotency_key LIKE 'crash-visit-%'
         EXCEPT SELECT object FROM audit_log WHERE action = 'visit.create'",
    )
    .await;
    assert!(visits_audited.is_empty(), "visits without their audit entry: {visits_audited:?}");
    let audit_without_visit = strings(
        &pool,
        "SELECT object FROM audit_log WHERE action = 'visit.create'
         EXCEPT SELECT 'visit:' || id FROM visits",
    )
    .await;
    assert!(audit_without_visit.is_empty(), "audit entries for visits that do not exist: {audit_without_visit:?}");
    let pays = scalar(&pool, "SELECT COUNT(*) FROM funding_payments WHERE idempotency_key LIKE 'crash-pay-%'").await;
    let paid_vouchers =
        strings(&pool, "SELECT voucher_no FROM funding_payments WHERE idempotency_key LIKE 'crash-pay-%'").await;
    let audited_vouchers = strings(
        &pool,
        "SELECT json_extract(detail, '$.voucher') FROM audit_log
         WHERE action = 'funding.pay' AND json_extract(detail, '$.voucher') LIKE 'CZ-CRASH-%'",
    )
    .await;
    assert_eq!(paid_vouchers, audited_vouchers, "payments and their audit entries differ");
    assert_eq!(paid_vouchers.len() as i64, pays, "one payment per voucher");
    for (status, action) in [
        ("submitted", "seal.request"),
        ("reviewed", "seal.review"),
        ("approved", "seal.approve"),
        ("stamped", "seal.stamp"),
    ] {
        // Requests that reached at least `status` ⇔ audit entries of the step that put them there.
        let reached = strings(
            &pool,
            &format!(
                "SELECT 'seal_request:' || id FROM seal_requests WHERE idempotency_key LIKE 'crash-seal-%'
                 AND status IN ({})",
                ["submitted", "reviewed", "approved", "stamped"]
                    .iter()
                    .filter(|s| rank(s) >= rank(status))
                    .map(|s| format!("'{s}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .await;
        let audited = strings(
            &pool,
            &format!(
                "SELECT a.object FROM audit_log a JOIN seal_requests r ON a.object = 'seal_request:' || r.id
                 WHERE a.action = '{action}' AND r.idempotency_key LIKE 'crash-seal-%'"
            ),
        )
        .await;
        assert_eq!(reached, audited, "seal requests at `{status}` and `{action}` audit entries differ");
    }
    let files = "SELECT 'admission:' || id FROM admission_applications WHERE idempotency_key LIKE 'crash-adm-%'";
    let submitted_audited = strings(&pool, "SELECT object FROM audit_log WHERE action = 'admission.submit'").await;
    let all_files = strings(&pool, files).await;
    assert!(all_files.is_subset(&submitted_audited), "admission files without their submit audit entry");
    let accepted = strings(&pool, &format!("{files} AND status <> 'submitted'")).await;
    let accept_audited = strings(
        &pool,
        "SELECT a.object FROM audit_log a JOIN admission_applications f ON a.object = 'admission:' || f.id
         WHERE a.action = 'admission.accept' AND f.idempotency_key LIKE 'crash-adm-%'",
    )
    .await;
    assert_eq!(accepted, accept_audited, "accepted files and `admission.accept` audit entries differ");
    let accept_timeline = strings(
        &pool,
        "SELECT 'admission:' || e.application_id FROM admission_events e JOIN admission_applications f ON f.id = e.application_id
         WHERE e.action = 'accept' AND f.idempotency_key LIKE 'crash-adm-%'",
    )
    .await;
    assert_eq!(accepted, accept_timeline, "accepted files and their timeline lines differ");
    let stamped_without_entry = scalar(
        &pool,
        "SELECT COUNT(*) FROM seal_requests r WHERE r.idempotency_key LIKE 'crash-seal-%' AND r.status = 'stamped'
         AND NOT EXISTS (SELECT 1 FROM seal_register g WHERE g.request_id = r.id)",
    )
    .await;
    assert_eq!(stamped_without_entry, 0, "stamped requests without a register entry");
    let entries_not_stamped = scalar(
        &pool,
        "SELECT COUNT(*) FROM seal_register g JOIN seal_requests r ON r.id = g.request_id
         WHERE r.idempotency_key LIKE 'crash-seal-%' AND r.status <> 'stamped'",
    )
    .await;
    assert_eq!(entries_not_stamped, 0, "register entries for requests not stamped");
    pool.close().await;

    let out = Command::new(BIN)
        .arg("verify-audit")
        .env("GONGZHI_DATA_DIR", &data)
        .env("GONGZHI_KEY_DIR", &data)
        .env("RUST_LOG", "warn")
        .env_remove("GONGZHI_AUDIT_KEY")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "verify-audit after the crash: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stamped = acks.iter().filter(|a| matches!(a, Ack::Seal(_, "stamped"))).count();
    let acceptances = acks.iter().filter(|a| matches!(a, Ack::Admission(_, true))).count();
    eprintln!(
        "crash test: {acked_visits} visits, {acked_payments} payments, {stamped} stamps, {acceptances} acceptances acknowledged before SIGKILL \
         ({} visits, {pays} payments stored); all present and whole after restart; {} requests cut off by the kill; {:.1} s",
        visit_keys.len(),
        CUT.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}
