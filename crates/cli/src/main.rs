//! `gongzhi`: the Gongzhi (共治) domain rules on the command line.
//!
//! A street office checks its files on its own machine with exactly the
//! server's rules — the same `gongzhi-domain` functions, the same bundled
//! data — before anyone uploads them. Every subcommand is a thin layer: read
//! the file, call the domain, print its Chinese findings.
//!
//! Exit codes: 0 nothing to fix, 1 findings (an error in the file, a refusal,
//! a deadline that cannot be computed), 2 a usage or I/O error.

/// `println!` that stops quietly when standard output is closed (as in
/// `gongzhi check-households 住户.csv | head`): the exit code still tells.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::emit(&format!($($arg)*))
    };
}

mod args;
mod due;
mod grids;
mod households;
mod seal;

use std::process::ExitCode;

use args::{Args, UsageError};

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to fix.
    Ok,
    /// The file has errors, the request is refused, or the date cannot be computed.
    Findings,
}

/// A failure before any rule could run: bad arguments or an unreadable file.
#[derive(Debug)]
pub enum Failure {
    /// The command line is wrong; `command` names the subcommand whose help to read.
    Usage { message: String, command: Option<&'static str> },
    /// A file could not be read (or an input could not be understood at all).
    Input(String),
}

impl From<UsageError> for Failure {
    fn from(e: UsageError) -> Self {
        Failure::Usage { message: e.message, command: e.command }
    }
}

const HELP: &str = "\
gongzhi —— 共治城市社区治理平台的规则,在本机命令行上使用

与服务器使用同一套领域规则(gongzhi-domain)和同一份内置数据:
在上传之前,街道、社区可以先在自己的电脑上检查文件。

用法:
  gongzhi <子命令> [参数] [选项]

子命令:
  due <起算日期> <工作日天数>      计算截止日期(按国务院节假日安排,起算日不计入)
  seal-check <请求.json>           按社区印章规则判断证明能否出具
  check-households <住户.csv>      检查住户与居民导入文件(UTF-8 或 GBK)
  check-grids <网格.geojson>       检查网格边界:重叠、缺口及其面积

选项:
  -h, --help       显示帮助(子命令后加 --help 显示该子命令的帮助)
  -V, --version    显示版本

退出码:0 无问题;1 发现问题(文件有错误、证明不予出具、无法计算日期);
        2 用法错误或无法读取文件。

示例:
  gongzhi due 2026-09-28 15
  gongzhi seal-check request.json
  gongzhi check-households 幸福社区住户.csv --grids 网格.geojson
  gongzhi check-grids 网格.geojson
";

fn run(argv: Vec<String>) -> Result<Outcome, Failure> {
    let mut args = Args::new(argv);
    let Some(command) = args.next_positional_or_flag() else {
        out!("{}", HELP.trim_end());
        return Err(Failure::Usage { message: "缺少子命令。".into(), command: None });
    };
    match command.as_str() {
        "-h" | "--help" | "help" => {
            out!("{}", HELP.trim_end());
            Ok(Outcome::Ok)
        }
        "-V" | "--version" => {
            out!("gongzhi {}(gongzhi-domain 规则)", env!("CARGO_PKG_VERSION"));
            Ok(Outcome::Ok)
        }
        "due" => due::run(args),
        "seal-check" => seal::run(args),
        "check-households" => households::run(args),
        "check-grids" => grids::run(args),
        other => Err(Failure::Usage { message: format!("未知的子命令“{other}”。"), command: None }),
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = match std::env::args_os().skip(1).map(|a| a.into_string()).collect() {
        Ok(v) => v,
        Err(bad) => {
            eprintln!("错误:参数“{}”不是有效的 UTF-8 文本。", bad.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    match run(argv) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(Failure::Usage { message, command }) => {
            eprintln!("错误:{message}");
            match command {
                Some(c) => eprintln!("运行 gongzhi {c} --help 查看用法。"),
                None => eprintln!("运行 gongzhi --help 查看用法。"),
            }
            ExitCode::from(2)
        }
        Err(Failure::Input(message)) => {
            eprintln!("错误:{message}");
            ExitCode::from(2)
        }
    }
}

/// Writes one line to standard output, ignoring a closed pipe.
pub fn emit(line: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(line.as_bytes()).and_then(|()| stdout.write_all(b"\n"));
}

/// Reads a whole file, or standard input for `-`, naming the file on failure.
pub fn read_input(path: &str) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|e| Failure::Input(format!("无法读取文件“{path}”:{}", io_reason(&e))))?;
    Ok(bytes)
}

/// A Chinese reason for the common I/O errors.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在".into(),
        K::PermissionDenied => "没有读取权限".into(),
        K::IsADirectory => "这是一个目录,不是文件".into(),
        _ => e.to_string(),
    }
}
