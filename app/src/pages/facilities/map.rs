//! The dashboard's map: communities drawn from their grids' outlines (the
//! server projects them into `0 0 width height`), those below standard
//! hatched and labelled “未达标”, and the projects as points (late ones as
//! diamonds). The tables above say the same in text. Colours and strokes are
//! SVG attributes, not stylesheet rules: the stylesheet is part of every
//! first visit, this map only of the facilities pages.

use gongzhi_api::facilities::FacilitiesMap;
use leptos::prelude::*;

const OK: &str = "#dcfce7";
const POINT: &str = "#1d4ed8";
const LATE: &str = "#b91c1c";
const HATCH: &str = "url(#fac-hatch)";

/// A legend's sample, drawn as on the map.
fn swatch(mark: impl IntoView + 'static) -> impl IntoView {
    view! {
        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" style="vertical-align:-3px;margin-right:.3rem">
            {mark}
        </svg>
    }
}

/// A diamond of half-diagonal `r` around (x, y).
fn diamond(x: f64, y: f64, r: f64) -> String {
    format!("M{x} {}L{} {y}L{x} {}L{} {y}Z", y - r, x + r, y + r, x - r)
}

#[component]
pub fn FacilityMap(map: FacilitiesMap) -> impl IntoView {
    if map.areas.is_empty() && map.points.is_empty() {
        return view! { <p class="empty" data-testid="facility-map">"尚无可绘制的社区边界。"</p> }.into_any();
    }
    let (w, h) = (map.width.max(1.0), map.height.max(1.0));
    // Sizes in the map's units, so text and marks read the same at any scale.
    let font = (w / 40.0).max(8.0);
    let r = (w / 110.0).max(3.0);
    let areas = map
        .areas
        .iter()
        .map(|a| {
            let fill = if a.below_standard { HATCH } else { OK };
            view! { <path d=a.path.clone() fill=fill stroke="#111827" stroke-width="2" vector-effect="non-scaling-stroke" /> }
        })
        .collect_view();
    let labels = map
        .areas
        .iter()
        .map(|a| {
            let text = if a.below_standard { format!("{}(未达标)", a.name) } else { a.name.clone() };
            view! {
                <text x=a.label_x y=a.label_y font-size=font font-weight="700" text-anchor="middle" fill="#111827"
                    stroke="#fff" stroke-width={font / 4.0} paint-order="stroke">{text}</text>
            }
        })
        .collect_view();
    let points = map
        .points
        .iter()
        .map(|p| {
            if p.late {
                view! {
                    <path d=diamond(p.x, p.y, r * 1.4) fill=LATE stroke="#fff" stroke-width="2" vector-effect="non-scaling-stroke">
                        <title>{format!("{}(逾期)", p.name)}</title>
                    </path>
                }
                .into_any()
            } else {
                view! {
                    <circle cx=p.x cy=p.y r=r fill=POINT stroke="#fff" stroke-width="2" vector-effect="non-scaling-stroke">
                        <title>{p.name.clone()}</title>
                    </circle>
                }
                .into_any()
            }
        })
        .collect_view();
    let below: Vec<&str> = map.areas.iter().filter(|a| a.below_standard).map(|a| a.name.as_str()).collect();
    let late = map.points.iter().filter(|p| p.late).count();
    let summary = format!(
        "社区设施布点图:{} 个社区,未达标 {}{};新建住宅项目 {} 个,其中逾期 {late} 个",
        map.areas.len(),
        below.len(),
        if below.is_empty() { String::new() } else { format!("({})", below.join("、")) },
        map.points.len(),
    );
    view! {
        <figure class="map-wrap" style="margin:0" data-testid="facility-map">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=summary preserveAspectRatio="xMidYMid meet"
                style="display:block;width:100%;height:auto;max-height:70vh">
                <defs>
                    <pattern id="fac-hatch" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="10" height="10" fill="#fee2e2" />
                        <line x1="0" y1="0" x2="0" y2="10" stroke="#991b1b" stroke-width="4" />
                    </pattern>
                </defs>
                {areas}
                {labels}
                {points}
            </svg>
            <figcaption class="map-legend">
                <span>{swatch(view! { <rect x="1" y="1" width="16" height="16" fill=OK stroke="#111827" /> })}"达标社区"</span>
                <span>{swatch(view! { <rect x="1" y="1" width="16" height="16" fill=HATCH stroke="#111827" /> })}"未达标社区(斜线)"</span>
                <span>{swatch(view! { <circle cx="9" cy="9" r="6" fill=POINT /> })}"新建住宅项目(圆点)"</span>
                <span>{swatch(view! { <path d="M9 1L17 9L9 17L1 9Z" fill=LATE /> })}"逾期项目(菱形)"</span>
            </figcaption>
        </figure>
    }
    .into_any()
}
