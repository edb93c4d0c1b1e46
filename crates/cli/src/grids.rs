//! `gongzhi check-grids grids.geojson`: a boundary file read by the domain's
//! import check (`grid::import::parse_boundaries`) and measured by
//! `grid::coverage::check_file`: overlaps between grids of a community and
//! the gaps they leave, with their areas, worded as the import reports them.

use gongzhi_domain::grid::coverage::{check_file_assuming, overlap_message};
use gongzhi_domain::grid::import::parse_boundaries;

use crate::args::{Args, Opt};
use crate::households::print_problems;
use crate::{Failure, Outcome};

const COMMAND: &str = "check-grids";

const HELP: &str = "\
gongzhi check-grids —— 检查网格边界文件:重叠、缺口及其面积

用法:
  gongzhi check-grids <网格.geojson> [--community <社区编码>]      (“-”表示从标准输入读取)

文件为 UTF-8 编码的 GeoJSON FeatureCollection(要素集合),与“网格数据导入”页面相同:
每个要素的 properties 有 code(网格或社区编码)、可选 name(名称),
新网格有 community(所属社区编码);geometry 为 Polygon 或 MultiPolygon(WGS-84 经纬度)。

检查:
  - 每个要素的编码、名称和边界(自相交、未闭合、坐标范围),与导入时的检查相同;
  - 同一社区的网格两两不得重叠(面积小于 1 平方米的描边误差不计);
  - 文件中有社区自身的边界时(某要素的 code 被其他要素的 community 引用),
    计算社区内未被网格覆盖的缺口和网格超出社区边界的部分。
服务器导入时还会与系统中已有的网格比较;本工具只看文件本身。

选项:
  --community <社区编码>  未写 community 属性的网格(更新已有网格时通常不写)都属于该社区,
                          文件中编码为它的要素是社区边界。文件含社区边界而网格未引用它时
                          请用此选项指明,否则社区边界会被当作又一个网格,与各网格“重叠”
  -h, --help              显示本帮助

退出码:0 无重叠(缺口、超出部分作为提示列出);1 文件有错误或网格重叠;2 无法读取文件。
";

/// Runs the subcommand.
pub fn run(args: Args) -> Result<Outcome, Failure> {
    let parsed = args.parse(COMMAND, &[Opt { name: "--community", value: Some("社区编码") }])?;
    if parsed.help {
        out!("{}", HELP.trim_end());
        return Ok(Outcome::Ok);
    }
    let [path]: [String; 1] = parsed.positionals(COMMAND, &["网格.geojson"])?.try_into().expect("one positional");
    let bytes = crate::read_input(&path)?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        out!("发现 1 处问题:GeoJSON 文件应为 UTF-8 编码。");
        return Ok(Outcome::Findings);
    };
    let features = match parse_boundaries(text) {
        Ok(f) => f,
        Err(problems) => {
            out!("发现 {} 处问题,未导入任何数据。请改正后重新上传。", problems.len());
            print_problems(&problems);
            return Ok(Outcome::Findings);
        }
    };
    let community = parsed.value("--community");
    if let Some(c) = community {
        if !features.iter().any(|f| f.code == c) {
            out!("提示:文件中没有编码为“{c}”的要素,无法计算缺口,只检查网格相互重叠。");
        }
    }
    let label = |i: usize| {
        let f = &features[i];
        match &f.name {
            Some(name) => format!("{}({name})", f.code),
            None => f.code.clone(),
        }
    };
    let mut overlapping = 0;
    for group in check_file_assuming(&features, community) {
        match (&group.community, group.community_feature) {
            (Some(_), Some(c)) => out!(
                "社区 {}:{} 个网格,社区面积约 {:.0} 平方米",
                label(c),
                group.grids.len(),
                features[c].boundary.area_m2()
            ),
            (Some(c), None) => out!("社区 {c}(文件中没有其边界,只检查网格相互重叠):{} 个网格", group.grids.len()),
            (None, _) => out!("未注明所属社区的网格(只检查相互重叠):{} 个", group.grids.len()),
        }
        for &g in &group.grids {
            out!("  网格 {}:面积约 {:.0} 平方米", label(g), features[g].boundary.area_m2());
        }
        for o in &group.overlaps {
            overlapping += 1;
            out!("  重叠:{}", overlap_message(&features[o.a].code, &features[o.b].code, o.area_m2));
        }
        if let Some(c) = &group.coverage {
            out!("  覆盖:{:.1}% 的社区面积由网格覆盖", c.covered_share * 100.0);
            for warning in [c.gap_message(), c.outside_message()].into_iter().flatten() {
                out!("  请留意:{warning}");
            }
        }
    }
    if overlapping > 0 {
        out!("发现 {overlapping} 处网格重叠,同一社区的网格不得交叉,导入将被拒绝。");
        Ok(Outcome::Findings)
    } else {
        out!("检查通过:{} 个要素,网格之间没有重叠。", features.len());
        Ok(Outcome::Ok)
    }
}
