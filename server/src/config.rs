//! Configuration from the environment, with defaults that run out of the box.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

#[derive(Clone, Debug)]
pub struct Config {
    /// `GONGZHI_ADDR`, default `127.0.0.1:8080`.
    pub addr: SocketAddr,
    /// `GONGZHI_DATA_DIR`, default `./data`: the SQLite database and
    /// operator-supplied holiday schedules (`holidays/*.json`) live here.
    pub data_dir: PathBuf,
    /// `GONGZHI_DIST_DIR`, default `./dist`: the Trunk bundle to serve.
    pub dist_dir: PathBuf,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("GONGZHI_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        Ok(Self {
            addr: addr
                .parse()
                .with_context(|| format!("GONGZHI_ADDR={addr:?} is not an address like 127.0.0.1:8080"))?,
            data_dir: var("GONGZHI_DATA_DIR").unwrap_or_else(|| "data".into()).into(),
            dist_dir: var("GONGZHI_DIST_DIR").unwrap_or_else(|| "dist".into()).into(),
        })
    }

    /// A configuration for tests: everything under `dir`, no bundle.
    pub fn for_dir(dir: &std::path::Path) -> Self {
        Self {
            addr: "127.0.0.1:0".parse().expect("valid address"),
            data_dir: dir.join("data"),
            dist_dir: dir.join("dist"),
        }
    }

    pub fn holidays_dir(&self) -> PathBuf {
        self.data_dir.join("holidays")
    }
}
