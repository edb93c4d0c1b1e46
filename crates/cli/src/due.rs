//! `gongzhi due 2026-09-28 15`: the due date after N working days, on the
//! calendar the server builds (server/src/holidays.rs): the schedules bundled
//! with the domain crate, then any holiday-cn files of a data directory, plus
//! the statutory holidays for provisional answers.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::calendar::{CalendarError, ScheduleDay};
use gongzhi_domain::statutory::schedules_in_force;
use gongzhi_domain::{DomainError, DueDate, DueQuery, HolidaySchedule, WorkingDayCalendar};

use crate::args::{Args, Opt};
use crate::{Failure, Outcome};

const COMMAND: &str = "due";

const HELP: &str = "\
gongzhi due —— 计算 N 个工作日后的截止日期

用法:
  gongzhi due <起算日期> <工作日天数> [--provisional] [--holidays <目录>]

  <起算日期>     年-月-日,例如 2026-09-28;起算日不计入(民法典第二百零一条),
                 第 1 个工作日是其后的第一个工作日
  <工作日天数>   1 到 1000

按国务院办公厅节假日安排计算:法定节假日不计,调休上班的周末计入。
内置 2024–2026 年安排(与服务器相同,crates/domain/holiday-cn)。

选项:
  --provisional      遇到尚未公布安排的年份时,按《全国年节及纪念日放假办法》的
                     法定节假日暂定计算(与 API 的 provisional=allow 相同),并注明“暂定”
  --holidays <目录>  另读该目录下的 holiday-cn 格式年度文件(如服务器数据目录的
                     holidays/,管理员导入的新年度安排),同一年份替换内置安排
  -h, --help         显示本帮助

环境变量 GONGZHI_TODAY=年-月-日 指定“今天”(与服务器相同),决定暂定计算覆盖的年份。

退出码:0 已算出;1 涉及尚未公布安排的年份(未加 --provisional);2 参数错误。

示例:
  gongzhi due 2026-09-28 15
  gongzhi due 2026-12-20 15 --provisional
";

/// Runs the subcommand.
pub fn run(args: Args) -> Result<Outcome, Failure> {
    let opts = [
        Opt { name: "--provisional", value: None },
        Opt { name: "--holidays", value: Some("目录(holiday-cn 年度文件所在目录)") },
    ];
    let parsed = args.parse(COMMAND, &opts)?;
    if parsed.help {
        out!("{}", HELP.trim_end());
        return Ok(Outcome::Ok);
    }
    let [from, days]: [String; 2] =
        parsed.positionals(COMMAND, &["起算日期", "工作日天数"])?.try_into().expect("two positionals");
    let query = DueQuery::parse(Some(&from), Some(&days)).map_err(|errors| Failure::Usage {
        message: errors.iter().map(|e| e.message()).collect::<Vec<_>>().join("\n      "),
        command: Some(COMMAND),
    })?;
    let today = today()?;
    let calendar = calendar(parsed.value("--holidays").map(Path::new), today)?;
    if parsed.flag("--provisional") {
        match calendar.reckon(|c| query.evaluate(c)) {
            Ok(r) => {
                print_due(&r.value);
                if let Some(note) = r.note() {
                    out!("暂定:{note}。");
                }
                Ok(Outcome::Ok)
            }
            Err(e) => refused(&e),
        }
    } else {
        match query.evaluate(&calendar) {
            Ok(due) => {
                print_due(&due);
                Ok(Outcome::Ok)
            }
            Err(e) => refused(&e),
        }
    }
}

fn refused(e: &CalendarError) -> Result<Outcome, Failure> {
    out!("无法计算:{}", e.message());
    if matches!(e, CalendarError::YearUnknown { .. }) {
        out!("加 --provisional 可按法定节假日暂定计算(结果注明“暂定”)。");
    }
    Ok(Outcome::Findings)
}

/// Today in Asia/Shanghai, or `GONGZHI_TODAY` as the server reads it.
pub fn today() -> Result<NaiveDate, Failure> {
    match std::env::var("GONGZHI_TODAY") {
        Ok(raw) if !raw.trim().is_empty() => {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| Failure::Usage {
                message: format!("环境变量 GONGZHI_TODAY 的值“{raw}”不是“年-月-日”格式的日期。"),
                command: Some(COMMAND),
            })
        }
        _ => Ok(gongzhi_domain::time::shanghai_date(chrono::Utc::now())),
    }
}

/// The server's calendar: bundled schedules, then `dir/*.json` in name order
/// (each replacing the bundled year it names), plus the statutory schedules
/// from 2025 to six years after today.
pub fn calendar(dir: Option<&Path>, today: NaiveDate) -> Result<WorkingDayCalendar, Failure> {
    let mut calendar = WorkingDayCalendar::from_schedules(bundled_schedules());
    calendar.set_statutory(schedules_in_force(today));
    let Some(dir) = dir else { return Ok(calendar) };
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::Input(format!("无法读取目录“{}”:{}", dir.display(), crate::io_reason(&e))))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::Input(format!("无法读取文件“{}”:{}", path.display(), crate::io_reason(&e))))?;
        // As the server: a broken file stops the run, a half-loaded calendar gives wrong deadlines.
        let schedule = HolidaySchedule::from_json(&text)
            .map_err(|e| Failure::Input(format!("文件“{}”:{}", path.display(), e.message())))?;
        calendar.insert(schedule);
    }
    Ok(calendar)
}

fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn days(list: &[ScheduleDay]) -> String {
    list.iter().map(|d| format!("{}({},{})", d.date, weekday(d.date), d.name)).collect::<Vec<_>>().join("、")
}

fn print_due(due: &DueDate) {
    out!("起算日期:{}({}),起算日不计入", due.from, weekday(due.from));
    out!("工作日天数:{}", due.working_days);
    out!("截止日期:{}({})", due.due, weekday(due.due));
    out!("共 {} 个自然日,其中周末 {} 天不计", due.calendar_days, due.skipped_weekend_days);
    if due.skipped_holidays.is_empty() {
        out!("跨越的节假日:无");
    } else {
        out!("跨越的节假日({} 天,不计):{}", due.skipped_holidays.len(), days(&due.skipped_holidays));
    }
    if due.make_up_working_days.is_empty() {
        out!("调休上班日:无");
    } else {
        out!("调休上班日({} 天,计入):{}", due.make_up_working_days.len(), days(&due.make_up_working_days));
    }
}
