//! A small command-line parser: positional arguments, `--flag`, and
//! `--option value` / `--option=value`; `--` ends the options, `-` is a
//! positional (standard input). Every error names the argument, in Chinese.

use std::collections::{HashMap, VecDeque};

/// A command line that cannot be run.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError {
    /// What is wrong, naming the argument.
    pub message: String,
    /// The subcommand whose `--help` explains it.
    pub command: Option<&'static str>,
}

/// The arguments after the program name.
pub struct Args {
    items: VecDeque<String>,
}

/// What an option of a subcommand takes.
pub struct Opt {
    /// `--name`.
    pub name: &'static str,
    /// What its value is called in messages; `None` for a flag without a value.
    pub value: Option<&'static str>,
}

/// A subcommand's arguments, parsed.
#[derive(Debug, Default)]
pub struct Parsed {
    /// `-h` or `--help` was given.
    pub help: bool,
    positionals: Vec<String>,
    flags: Vec<&'static str>,
    values: HashMap<&'static str, String>,
}

impl Args {
    /// Wraps the arguments (without the program name).
    pub fn new(argv: Vec<String>) -> Self {
        Self { items: argv.into() }
    }

    /// Takes the next argument as it is (the subcommand's name).
    pub fn next_positional_or_flag(&mut self) -> Option<String> {
        self.items.pop_front()
    }

    /// Parses the rest for `command`, which knows `opts`.
    pub fn parse(self, command: &'static str, opts: &[Opt]) -> Result<Parsed, UsageError> {
        let err = |message: String| UsageError { message, command: Some(command) };
        let mut parsed = Parsed::default();
        let mut items = self.items;
        let mut options_done = false;
        while let Some(arg) = items.pop_front() {
            if options_done || arg == "-" || !arg.starts_with('-') {
                parsed.positionals.push(arg);
                continue;
            }
            if arg == "--" {
                options_done = true;
                continue;
            }
            if arg == "-h" || arg == "--help" {
                parsed.help = true;
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (arg.clone(), None),
            };
            let Some(opt) = opts.iter().find(|o| o.name == name) else {
                return Err(err(format!("子命令 {command} 没有选项“{name}”。")));
            };
            match (opt.value, inline) {
                (None, None) => parsed.flags.push(opt.name),
                (None, Some(_)) => return Err(err(format!("选项“{}”不带值。", opt.name))),
                (Some(label), inline) => {
                    let value = match inline.or_else(|| items.pop_front()) {
                        Some(v) if !v.is_empty() => v,
                        _ => return Err(err(format!("选项“{}”缺少{label}。", opt.name))),
                    };
                    if parsed.values.insert(opt.name, value).is_some() {
                        return Err(err(format!("选项“{}”给了不止一次。", opt.name)));
                    }
                }
            }
        }
        Ok(parsed)
    }
}

impl Parsed {
    /// Exactly these positional arguments, by their Chinese names.
    pub fn positionals(&self, command: &'static str, names: &[&str]) -> Result<Vec<String>, UsageError> {
        let err = |message: String| UsageError { message, command: Some(command) };
        if let Some(missing) = names.get(self.positionals.len()) {
            return Err(err(format!("缺少参数“{missing}”。")));
        }
        if let Some(extra) = self.positionals.get(names.len()) {
            return Err(err(format!("多余的参数“{extra}”。")));
        }
        Ok(self.positionals.clone())
    }

    /// Whether the flag `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    /// The value of `--name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: &[Opt] = &[Opt { name: "--provisional", value: None }, Opt { name: "--holidays", value: Some("目录") }];

    fn parse(argv: &[&str]) -> Result<Parsed, UsageError> {
        Args::new(argv.iter().map(|s| s.to_string()).collect()).parse("due", OPTS)
    }

    #[test]
    fn options_and_positionals_in_any_order() {
        let p = parse(&["2026-09-28", "--holidays=/x", "15", "--provisional"]).unwrap();
        assert_eq!(p.positionals("due", &["起算日期", "工作日天数"]).unwrap(), ["2026-09-28", "15"]);
        assert!(p.flag("--provisional"));
        assert_eq!(p.value("--holidays"), Some("/x"));
        let p = parse(&["--holidays", "/y", "--", "-5"]).unwrap();
        assert_eq!(p.value("--holidays"), Some("/y"));
        assert_eq!(p.positionals("due", &["工作日天数"]).unwrap(), ["-5"]);
    }

    #[test]
    fn errors_name_the_argument() {
        let msg = |argv: &[&str], names: &[&str]| match parse(argv) {
            Err(e) => e.message,
            Ok(p) => p.positionals("due", names).unwrap_err().message,
        };
        assert_eq!(msg(&["--x"], &[]), "子命令 due 没有选项“--x”。");
        assert_eq!(msg(&["--holidays"], &[]), "选项“--holidays”缺少目录。");
        assert_eq!(msg(&["--provisional=1"], &[]), "选项“--provisional”不带值。");
        assert_eq!(msg(&["2026-09-28"], &["起算日期", "工作日天数"]), "缺少参数“工作日天数”。");
        assert_eq!(msg(&["a", "b", "c"], &["起算日期", "工作日天数"]), "多余的参数“c”。");
    }
}
