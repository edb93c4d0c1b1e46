//! Household imports as background jobs, through the real router: a job runs
//! to done and its data is there; a file with one bad row writes nothing;
//! only the account that started a job reads it; one import at a time; a job
//! cut off by a restart reads as interrupted. `district_file_write_phase`
//! (ignored; run with `--release -- --ignored --nocapture`) times a 50 MB
//! file's write phase.

mod common;

use axum::http::StatusCode;
use common::{household_csv, import_households, wait_for_job, TestApp};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db().await).await.unwrap()
}

/// The grids of 东乡区 (the district of `sysadmin.dx`).
async fn district_grids(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT code FROM org_nodes WHERE level = 'grid' AND code LIKE 'DX-%' ORDER BY code")
        .fetch_all(&app.db().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_import_job_runs_to_done_and_its_data_is_there() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let grids = district_grids(&app).await;
    let before = count(&app, "SELECT COUNT(*) FROM residents").await;
    let csv = household_csv(&grids, "JOB", 900);
    let r = app.post_bytes(&admin, "/api/households/import", "text/csv", csv).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert!(r.body["report"].is_null(), "the report comes at the end: {}", r.body);
    assert!(["reading", "checking", "writing"].contains(&r.body["phase"].as_str().unwrap()), "{}", r.body);
    let job = wait_for_job(&app, &admin, r.body["id"].as_i64().unwrap()).await;
    assert_eq!((job["phase"].as_str(), job["phase_label"].as_str()), (Some("done"), Some("完成")), "{job}");
    assert_eq!((job["rows_done"].as_i64(), job["rows_total"].as_i64()), (Some(900), Some(900)));
    let report = &job["report"];
    assert_eq!((report["imported"].as_bool(), report["rows"].as_i64()), (Some(true), Some(900)), "{report}");
    assert_eq!((report["created"].as_i64(), report["updated"].as_i64()), (Some(300), Some(0)));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM residents").await, before + 900);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM households WHERE code LIKE 'JOB-%'").await, 300);
    // Every resident sits in their household, in its grid.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id
             WHERE h.code LIKE 'JOB-%' AND r.org_node_id = h.grid_id AND r.address = h.address"
        )
        .await,
        900
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_jobs WHERE status = 'done' AND report IS NOT NULL").await, 1);
    // The same file again updates the households and writes no resident twice.
    let job = import_households(&app, &admin, household_csv(&grids, "JOB", 900)).await;
    assert_eq!((job["report"]["created"].as_i64(), job["report"]["updated"].as_i64()), (Some(0), Some(300)), "{job}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM residents").await, before + 900);
}

#[tokio::test]
async fn a_file_with_one_bad_row_writes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let grids = district_grids(&app).await;
    let (households, residents) =
        (count(&app, "SELECT COUNT(*) FROM households").await, count(&app, "SELECT COUNT(*) FROM residents").await);
    let csv = String::from_utf8(household_csv(&grids, "BAD", 600)).unwrap();
    // Line 401 (resident 399) gets an ID number with a wrong check digit.
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    let id = common::id_number(399);
    let wrong = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    lines[400] = lines[400].replace(&id, &wrong);
    let job = import_households(&app, &admin, (lines.join("\n") + "\n").into_bytes()).await;
    assert_eq!((job["phase"].as_str(), job["phase_label"].as_str()), (Some("failed"), Some("失败")), "{job}");
    let problems = job["report"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{job}");
    assert_eq!((problems[0]["row"].as_i64(), problems[0]["column"].as_str()), (Some(401), Some("公民身份号码")));
    assert_eq!(job["report"]["imported"], false);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM households").await, households, "nothing written");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM residents").await, residents, "nothing written");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_jobs WHERE status = 'failed'").await, 1);
}

#[tokio::test]
async fn only_the_account_that_started_a_job_reads_it_and_one_runs_at_a_time() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let city_admin = app.login("sysadmin").await;
    let grids = district_grids(&app).await;
    // Large enough to still run when the second request comes.
    let r = app.post_bytes(&admin, "/api/households/import", "text/csv", household_csv(&grids, "ONE", 30_000)).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let second =
        app.post_bytes(&city_admin, "/api/households/import", "text/csv", household_csv(&grids, "TWO", 3)).await;
    let first = app.get_as(&admin, &format!("/api/households/import/jobs/{id}")).await;
    assert_ne!(first.body["phase"], "done", "the first job must still run for this test to mean anything");
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    assert_eq!(second.body["code"], "import_running");
    assert_eq!(second.body["message"], "已有一份住户文件正在导入,请等它完成后再导入。");
    // A dry run only reads: it is answered meanwhile.
    let dry = app
        .post_bytes(&city_admin, "/api/households/import?dry_run=true", "text/csv", household_csv(&grids, "TWO", 3))
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    // Another account, even an administrator above, does not see the job.
    let other = app.get_as(&city_admin, &format!("/api/households/import/jobs/{id}")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
    let job = wait_for_job(&app, &admin, id).await;
    assert_eq!(job["phase"], "done", "{job}");
    let other = app.get_as(&city_admin, &format!("/api/households/import/jobs/{id}")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "ended jobs too: {}", other.body);
    assert_eq!(app.get_as(&admin, "/api/households/import/jobs/999999").await.status, StatusCode::NOT_FOUND);
    // Once it has ended, the next one may start.
    let job = import_households(&app, &city_admin, household_csv(&grids, "TWO", 3)).await;
    assert_eq!(job["phase"], "done", "{job}");
}

#[tokio::test]
async fn a_job_running_at_a_restart_reads_as_interrupted() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let account = app.account_id("sysadmin.dx").await;
    // As the server left it when stopped in the middle: a running row (its
    // write transaction, never committed, left nothing).
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO import_jobs (kind, status, rows, created_by, created_at) VALUES ('households', 'running', 0, $1, $2) RETURNING id",
    )
    .bind(account)
    .bind(chrono::Utc::now().to_rfc3339())
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let app = app.restart().await;
    let r = app.get_as(&admin, &format!("/api/households/import/jobs/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["phase"].as_str(), r.body["phase_label"].as_str()), (Some("interrupted"), Some("已中断")));
    assert_eq!(r.body["report"]["imported"], false);
    assert_eq!(r.body["report"]["problems"][0]["code"], "import_interrupted");
    assert_eq!(r.body["report"]["problems"][0]["message"], "已中断,未写入任何数据,请重新导入。");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_jobs WHERE status = 'running'").await, 0);
    // And a new import may start.
    let grids = district_grids(&app).await;
    let job = import_households(&app, &admin, household_csv(&grids, "AGAIN", 3)).await;
    assert_eq!(job["phase"], "done", "{job}");
}

#[tokio::test]
async fn a_file_above_the_limit_is_refused_naming_it() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let big = vec![b'a'; gongzhi_domain::grid::import::MAX_HOUSEHOLD_FILE_BYTES + 1];
    let r = app.post_bytes(&admin, "/api/households/import", "text/csv", big).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["problems"][0]["code"], "import_too_large");
    assert!(r.body["problems"][0]["message"].as_str().unwrap().contains("64 MB"), "{}", r.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_jobs").await, 0);
}

/// A district's file: about 300,000 residents in 50 MB. Prints how long the
/// write phase (the write lock held) takes.
#[tokio::test]
#[ignore = "a measurement: cargo test --release -p gongzhi-server --test import_jobs -- --ignored --nocapture"]
async fn district_file_write_phase() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let grids = district_grids(&app).await;
    let csv = household_csv(&grids, "DIST", 300_000);
    println!("file: {:.1} MB, 300000 residents, 100000 households, {} grids", csv.len() as f64 / 1e6, grids.len());
    let started = std::time::Instant::now();
    let r = app.post_bytes(&admin, "/api/households/import", "text/csv", csv).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let (mut writing, mut last) = (None, String::new());
    loop {
        let asked = std::time::Instant::now();
        let r = app.get_as(&admin, &format!("/api/households/import/jobs/{id}")).await;
        if r.status != StatusCode::OK {
            // Reading a job needs no write, but the session check may.
            println!(
                "{:>7.2} s  GET answered {} after {:.2} s: {}",
                started.elapsed().as_secs_f64(),
                r.status,
                asked.elapsed().as_secs_f64(),
                r.body
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        }
        let phase = r.body["phase"].as_str().unwrap().to_string();
        if phase != last {
            println!(
                "{:>7.2} s  {phase}  {}/{}",
                started.elapsed().as_secs_f64(),
                r.body["rows_done"],
                r.body["rows_total"]
            );
            last = phase.clone();
        }
        if phase == "writing" && writing.is_none() {
            writing = Some(std::time::Instant::now());
        }
        if phase == "done" || phase == "failed" {
            let write = writing.map(|w| w.elapsed().as_secs_f64()).unwrap_or_default();
            println!("write phase: {write:.2} s; whole job: {:.2} s", started.elapsed().as_secs_f64());
            assert_eq!(phase, "done", "{}", r.body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
