//! The dashboard's map: communities drawn from their grids' outlines (the
//! server projects them into `0 0 width height`), those below standard
//! hatched and labelled “未达标”, and the projects as points (late ones as
//! diamonds). The tables above say the same in text.

use gongzhi_api::facilities::FacilitiesMap;
use leptos::prelude::*;

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
            let fill = if a.below_standard { "url(#fac-hatch)" } else { "#dcfce7" };
            view! { <path d=a.path.clone() class="fac-area" fill=fill /> }
        })
        .collect_view();
    let labels = map
        .areas
        .iter()
        .map(|a| {
            let text = if a.below_standard { format!("{}(未达标)", a.name) } else { a.name.clone() };
            view! { <text x=a.label_x y=a.label_y class="fac-label" font-size=font>{text}</text> }
        })
        .collect_view();
    let points = map
        .points
        .iter()
        .map(|p| {
            if p.late {
                let d = format!(
                    "M{} {}L{} {}L{} {}L{} {}Z",
                    p.x,
                    p.y - r * 1.4,
                    p.x + r * 1.4,
                    p.y,
                    p.x,
                    p.y + r * 1.4,
                    p.x - r * 1.4,
                    p.y
                );
                view! { <path d=d class="fac-point fac-late"><title>{format!("{}(逾期)", p.name)}</title></path> }
                    .into_any()
            } else {
                view! { <circle cx=p.x cy=p.y r=r class="fac-point"><title>{p.name.clone()}</title></circle> }
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
        <figure class="chart fac-map" data-testid="facility-map">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=summary preserveAspectRatio="xMidYMid meet">
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
                <span class="lg lg-fac-ok">"达标社区"</span>
                <span class="lg lg-fac-short">"未达标社区(斜线)"</span>
                <span class="lg lg-fac-point">"新建住宅项目(圆点)"</span>
                <span class="lg lg-fac-late">"逾期项目(菱形)"</span>
            </figcaption>
        </figure>
    }
    .into_any()
}
