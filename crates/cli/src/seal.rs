//! `gongzhi seal-check request.json`: the seal rules' decision for a
//! certificate request, read into the struct `POST /api/seal/evaluate`
//! deserialises (`CertificateRequestInput`), parsed against the catalogue in
//! force — the national edition, and the province's and the city's edition
//! files when given, composed for today by `seal::compose` as the server
//! composes its stored editions — and decided by `seal::decide`.

use gongzhi_domain::seal::{compose, decide, CatalogLayer, CertificateRequestInput, RequesterKind};
use gongzhi_domain::{DomainError, RequestError};

use crate::args::{Args, Opt};
use crate::{Failure, Outcome};

const COMMAND: &str = "seal-check";

const HELP: &str = "\
gongzhi seal-check —— 按社区印章规则判断一份证明能否出具

用法:
  gongzhi seal-check [--province 省级目录.json] [--city 市级目录.json] <请求.json>
                                    (“-”表示从标准输入读取)

  --province、--city   省级、市级证明事项目录文件(与“证明事项目录”页面加载的文件相同);
                      不给则只按国家清单判断。已生效的版本按今天(北京时间)叠加。

请求文件与 POST /api/seal/evaluate 的请求体相同(JSON 对象,各值均为文本,
未写的字段按空白处理):
  {
    \"requester_kind\": \"department\",        申请单位类型:department 职能部门、
                                             enterprise 企业、social_organisation 社会组织、
                                             public_institution 事业单位
    \"requester_name\": \"市公安局某派出所\",    申请单位名称
    \"requester_department\": \"gaj\",         申请部门编码(职能部门必填)
    \"resident_name\": \"王秀英\",              居民姓名
    \"resident_id_number\": \"11010519491231002X\",  居民公民身份号码(校验码须正确)
    \"matter\": \"household_registration\",   证明事项编码(见 crates/domain/seal-catalog.json)
    \"matter_name\": \"……\",                    目录外事项名称(matter 为空时;按一般规则判断)
    \"purpose\": \"办理户籍\",                  证明用途
    \"content\": \"兹证明……\",                  证明内容(不得为空)
    \"copies\": \"1\",                          份数 1–10,默认 1
    \"basis_law\": \"……\", \"basis_article\": \"第……条\", \"basis_text\": \"……\"
                                             依据的法律法规名称、条款号、条文内容
  }

不予出具的情形:未提供具体条款;属于申请单位自身职责;涉及经济担保或连带责任;
列入国家不应由村(居)民委员会出具的证明事项清单;不属于法律法规规定的社区职责。
申请部门的名称取自服务器数据库,本工具以部门编码代替。

退出码:0 可以出具;1 不予出具或请求有字段错误;2 无法读取文件或不是 JSON 对象。
";

/// Runs the subcommand.
pub fn run(args: Args) -> Result<Outcome, Failure> {
    let parsed = args.parse(
        COMMAND,
        &[Opt { name: "--province", value: Some("省级目录文件") }, Opt { name: "--city", value: Some("市级目录文件") }],
    )?;
    if parsed.help {
        out!("{}", HELP.trim_end());
        return Ok(Outcome::Ok);
    }
    let [path]: [String; 1] = parsed.positionals(COMMAND, &["请求.json"])?.try_into().expect("one positional");
    let bytes = crate::read_input(&path)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| Failure::Input(format!("文件“{path}”不是 UTF-8 编码的 JSON。")))?;
    let input: CertificateRequestInput = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        Failure::Input(format!(
            "文件“{path}”:{}(第 {} 行第 {} 列)",
            RequestError::BodyInvalid.message(),
            e.line(),
            e.column()
        ))
    })?;
    let national = CatalogLayer::national(true);
    let mut layers = Vec::new();
    for option in ["--province", "--city"] {
        let Some(file) = parsed.value(option) else { continue };
        let bytes = crate::read_input(file)?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| Failure::Input(format!("{option} 文件“{file}”不是 UTF-8 编码的 JSON。")))?;
        let layer = match CatalogLayer::parse(text, &national) {
            Ok(l) => l,
            Err(problems) => {
                out!("{option} 文件“{file}”有 {} 处问题,不能使用:", problems.len());
                for p in &problems {
                    out!("  {}", p.message());
                }
                return Ok(Outcome::Findings);
            }
        };
        let expected = if option == "--province" { "province" } else { "city" };
        if layer.level.code() != expected {
            return Err(Failure::Input(format!(
                "{option} 文件“{file}”的层级(level)是 {},应为 {expected}。",
                layer.level.code()
            )));
        }
        layers.push(layer);
    }
    let catalog = compose(&national, &layers, crate::due::today()?);
    let request = match input.parse(&catalog) {
        Ok(r) => r,
        Err(errors) => {
            out!("请求有 {} 处问题,无法判断:", errors.len());
            for e in &errors {
                out!("  {}({}):{}", e.label, e.field, e.message());
            }
            return Ok(Outcome::Findings);
        }
    };
    let kind = RequesterKind::label(request.requester_kind);
    out!("目录版本:{}", catalog.version);
    if request.matter.is_uncatalogued() {
        out!("证明事项:{}(目录外事项)", request.matter.name);
    } else {
        out!("证明事项:{}({})", request.matter.name, request.matter.code);
    }
    out!("申请单位:{}({kind})", request.requester_name);
    // The server names the department from its database, falling back to the code.
    let decision = decide(&request, |code| code.to_string());
    if decision.needs_judgement {
        out!("结论:目录外事项,已引用具体条款,未发现不得出具的情形。须由社区工作者审核、社区负责人批准,二人分别写明判断理由。");
        Ok(Outcome::Ok)
    } else if decision.allowed {
        out!("结论:可以出具。经社区工作者审核、社区负责人批准后盖章,并登记用印登记簿。");
        Ok(Outcome::Ok)
    } else {
        out!("结论:不予出具。理由({} 条):", decision.reasons.len());
        for (i, r) in decision.reasons.iter().enumerate() {
            out!("  {}. {}[{}]", i + 1, r.message(), r.code());
        }
        Ok(Outcome::Findings)
    }
}
