//! `gongzhi-server`: starts the API and serves the browser app.
//!
//! `GONGZHI_NEW_ADMIN_PASSWORD=… gongzhi-server install-admin ROLE LOGIN`
//! creates or resets one of the three administrators (三员分立): the only
//! way to, run on the server itself (README, "三员分立").
//!
//! `gongzhi-server verify-audit [--checkpoint FILE]` instead checks the audit
//! trail and every seal register in `$GONGZHI_DATA_DIR` — hashes, and MACs
//! with the key outside the database — and, given a checkpoint exported
//! earlier, that nothing it covers was cut off or rewritten. Exits 0 when
//! intact, 1 when anything is broken (each finding on its own line).
//!
//! `gongzhi-server backup DIR`, `restore BACKUP.db` and `verify-backup
//! BACKUP.db`: a consistent online copy of the SQLite database, checked and
//! brought back (see [`gongzhi_server::backup`]).
//!
//! `gongzhi-server generate-city [--scale F]`: the synthetic city of issue 15
//! (4 million residents at F = 1.0) in the configured database, after the
//! migrations and the demo seed (see [`gongzhi_server::seed::city`]).

use gongzhi_server::{config::Config, serve};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    let config = Config::from_env()?;
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve(config).await,
        Some("verify-audit") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let checkpoint = match args.as_slice() {
                [] => None,
                [flag, file] if flag == "--checkpoint" => Some(file.clone()),
                _ => anyhow::bail!("usage: gongzhi-server verify-audit [--checkpoint FILE]"),
            };
            std::process::exit(verify_audit(&config, checkpoint.as_deref()).await?);
        }
        Some("install-admin") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let [role, login] = args.as_slice() else {
                anyhow::bail!("usage: GONGZHI_NEW_ADMIN_PASSWORD=… gongzhi-server install-admin system_admin|security_admin|audit_admin LOGIN");
            };
            let role = gongzhi_domain::Role::from_code(role).ok_or_else(|| anyhow::anyhow!("unknown role {role:?}"))?;
            let password = std::env::var("GONGZHI_NEW_ADMIN_PASSWORD").map_err(|_| {
                anyhow::anyhow!(
                    "set GONGZHI_NEW_ADMIN_PASSWORD (not an argument: arguments are visible to other users)"
                )
            })?;
            let keys = gongzhi_server::keys::Keys::load(&config.key_dir, config.audit_key.as_deref())?;
            let db = gongzhi_server::db::open(&config, &keys).await?;
            let done = gongzhi_server::seed::install_admin(&db, role, login, &password).await?;
            println!(
                "{login} ({}): {}",
                role.label(),
                match done {
                    gongzhi_server::seed::Installed::Created => "已创建,首次登录须修改密码 / created",
                    gongzhi_server::seed::Installed::Reset => "密码已重置,首次登录须修改密码 / reset",
                }
            );
            Ok(())
        }
        Some(cmd @ ("backup" | "restore" | "verify-backup")) => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            std::process::exit(gongzhi_server::backup::command(&config, cmd, &args).await?)
        }
        Some("generate-city") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let scale = match args.as_slice() {
                [] => 1.0,
                [flag, f] if flag == "--scale" => {
                    f.parse::<f64>().map_err(|_| anyhow::anyhow!("--scale: a number, e.g. 0.1"))?
                }
                _ => anyhow::bail!("usage: gongzhi-server generate-city [--scale F]"),
            };
            generate_city(config, scale).await
        }
        Some(other) => {
            anyhow::bail!("unknown command {other:?}: use `serve` (default), `verify-audit`, `install-admin`, `backup`, `restore`, `verify-backup` or `generate-city`")
        }
    }
}

/// `verify-audit`: prints one line per chain; 0 when all are intact.
async fn verify_audit(config: &Config, checkpoint: Option<&str>) -> anyhow::Result<i32> {
    use anyhow::Context;
    use gongzhi_domain::DomainError;
    let keys = gongzhi_server::keys::Keys::load(&config.key_dir, config.audit_key.as_deref())?;
    let checkpoint = match checkpoint {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read checkpoint {path}"))?;
            match gongzhi_server::chains::Checkpoint::parse(&text, &keys) {
                Ok(cp) => Some(cp),
                Err(e) => {
                    println!("检查点 {path}:{}", e.message());
                    return Ok(1);
                }
            }
        }
    };
    let db = gongzhi_server::db::open(config, &keys).await?;
    let results = gongzhi_server::chains::verify_all(&db, &keys, checkpoint.as_ref()).await?;
    let mut broken = false;
    for r in &results {
        broken |= !r.report.intact;
        println!("[{}] {}:{}", if r.report.intact { "完整" } else { "被篡改" }, r.name, r.report.message);
    }
    if let Some(cp) = &checkpoint {
        println!("已对照检查点(导出于 {},导出人 {})。", cp.created_at, cp.created_by);
    }
    Ok(i32::from(broken))
}

/// `generate-city`: the demo seed on an empty database (demo mode for this
/// command), then the synthetic city.
async fn generate_city(mut config: Config, scale: f64) -> anyhow::Result<()> {
    config.demo = true;
    let _lock = gongzhi_server::backup::DataDirLock::acquire(&config.data_dir)?;
    let state = gongzhi_server::state::AppState::open(&config).await?;
    let today = state.today();
    gongzhi_server::seed::city::generate(&state.db, &state.keys, today, scale).await?;
    Ok(())
}
