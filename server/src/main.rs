//! `gongzhi-server`: starts the API and serves the browser app.
//!
//! `gongzhi-server verify-audit` instead checks the audit trail's hash chain
//! in `$GONGZHI_DATA_DIR` and exits 0 when intact, 1 when broken.
//!
//! `GONGZHI_NEW_ADMIN_PASSWORD=… gongzhi-server install-admin ROLE LOGIN`
//! creates or resets one of the three administrators (三员分立): the only
//! way to, run on the server itself (README, "三员分立").

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
            let db = gongzhi_server::db::open(&config.data_dir).await?;
            let report = gongzhi_server::api::audit::verify_chain(&db).await?;
            println!("{}", report.message);
            std::process::exit(if report.intact { 0 } else { 1 });
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
            let db = gongzhi_server::db::open(&config.data_dir).await?;
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
        Some(other) => {
            anyhow::bail!("unknown command {other:?}: use `serve` (default), `verify-audit` or `install-admin`")
        }
    }
}
