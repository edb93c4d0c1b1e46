//! A minimal HTTP/1.1 client for tests that talk to the real binary over
//! loopback (one request per connection, `Connection: close`): enough for
//! JSON requests with the session cookie and CSRF token, without adding an
//! HTTP client crate to the build.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const BIN: &str = env!("CARGO_BIN_EXE_gongzhi-server");

/// The real binary, started by a test.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the binary in demo mode on `data` (key beside it), "today" pinned
/// to 2026-11-24, its log in `data.log`.
pub fn start(data: &Path) -> Server {
    let port = free_port();
    let log = std::fs::OpenOptions::new().create(true).append(true).open(data.with_extension("log")).unwrap();
    let child = Command::new(BIN)
        .env("GONGZHI_DEMO", "1")
        .env("GONGZHI_DATA_DIR", data)
        .env("GONGZHI_KEY_DIR", data)
        .env("GONGZHI_ADDR", format!("127.0.0.1:{port}"))
        .env("GONGZHI_DIST_DIR", data.join("no-dist"))
        .env("GONGZHI_TODAY", "2026-11-24")
        .env("RUST_LOG", "warn")
        .env_remove("GONGZHI_DATABASE_URL")
        .env_remove("GONGZHI_AUDIT_KEY")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the server binary starts");
    Server { child, port }
}

pub async fn wait_healthy(server: &mut Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("the server exited at start: {status}");
        }
        if let Ok(r) = Client::new(server.port).get("/api/health").await {
            if r.status == 200 {
                return;
            }
        }
        assert!(Instant::now() < deadline, "the server did not answer /api/health within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A client, signed in or not.
#[derive(Clone)]
pub struct Client {
    pub port: u16,
    cookie: Option<String>,
    csrf: Option<String>,
}

impl Client {
    pub fn new(port: u16) -> Self {
        Self { port, cookie: None, csrf: None }
    }

    /// Signs in and keeps the session cookie and CSRF token.
    pub async fn login(port: u16, username: &str, password: &str) -> std::io::Result<Self> {
        let mut client = Self::new(port);
        let r = client
            .send("POST", "/api/auth/login", Some(&serde_json::json!({ "username": username, "password": password })))
            .await?;
        if r.status != 200 {
            return Err(std::io::Error::other(format!("login {username}: {} {}", r.status, r.body)));
        }
        let cookie = r
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .ok_or_else(|| std::io::Error::other("no session cookie"))?
            .to_string();
        client.cookie = Some(cookie);
        client.csrf = r.body["csrf_token"].as_str().map(str::to_string);
        Ok(client)
    }

    pub async fn get(&self, path: &str) -> std::io::Result<Reply> {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> std::io::Result<Reply> {
        self.send("POST", path, Some(body)).await
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", self.port);
        if let Some(c) = &self.cookie {
            head.push_str(&format!("Cookie: {c}\r\n"));
        }
        if method != "GET" {
            if let Some(t) = &self.csrf {
                head.push_str(&format!("X-CSRF-Token: {t}\r\n"));
            }
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse(&raw)
    }
}

fn parse(raw: &[u8]) -> std::io::Result<Reply> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, what.to_string());
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| bad("no complete answer"))?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| bad("head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status: u16 =
        lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).ok_or_else(|| bad("status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = dechunk(&body).ok_or_else(|| bad("cut-off chunked body"))?;
    } else if let Some(len) =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse::<usize>().ok())
    {
        if body.len() < len {
            return Err(bad("cut-off body"));
        }
        body.truncate(len);
    }
    let body = serde_json::from_slice(&body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into()));
    Ok(Reply { status, headers, body })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).ok()?.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
