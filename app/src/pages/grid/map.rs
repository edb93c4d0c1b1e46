//! The grid drawn from its own GeoJSON as SVG (no tile service: production
//! networks reach none). Pan with one finger, pinch or wheel to zoom; a tap
//! picks a household, or a position when reporting an event.

use std::collections::{BTreeMap, HashMap};

use gongzhi_api::{EventPin, HouseholdPin, NeighbourOutline};
use leptos::prelude::*;

use crate::services::fixed::fixed;

/// A local flat projection of the grid's area: x east, y south, in metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    lon0: f64,
    lat0: f64,
    k: f64,
}

const M: f64 = 111_195.0;

impl Projection {
    fn new(lon0: f64, lat0: f64) -> Self {
        Self { lon0, lat0, k: gongzhi_domain::grid::boundary::cos_latitude(lat0) }
    }

    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.lon0) * M * self.k, (self.lat0 - lat) * M)
    }

    pub fn lonlat(&self, x: f64, y: f64) -> (f64, f64) {
        (self.lon0 + x / (M * self.k), self.lat0 - y / M)
    }
}

/// The map's visible box in projected metres.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ViewBox {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl ViewBox {
    fn attr(&self) -> String {
        format!("{} {} {} {}", fixed(self.x, 1), fixed(self.y, 1), fixed(self.w, 1), fixed(self.h, 1))
    }

    /// Zooms by `f` (>1 closer) keeping the point (px, py) in place.
    fn zoom(self, f: f64, px: f64, py: f64) -> Self {
        let w = (self.w / f).clamp(40.0, 5000.0);
        let f = self.w / w;
        let h = self.h / f;
        Self { x: px - (px - self.x) / f, y: py - (py - self.y) / f, w, h }
    }
}

fn ring_path(p: &Projection, ring: &[[f64; 2]]) -> String {
    let mut d = String::new();
    for (i, c) in ring.iter().enumerate() {
        let (x, y) = p.xy(c[0], c[1]);
        d.push_str(&format!("{}{},{} ", if i == 0 { "M" } else { "L" }, fixed(x, 1), fixed(y, 1)));
    }
    d.push('Z');
    d
}

/// Colour class of a household by visit status.
fn status_class(status: &str) -> &'static str {
    match status {
        "overdue" => "hh hh-overdue",
        "due_soon" => "hh hh-due",
        "up_to_date" => "hh hh-ok",
        "visited" => "hh hh-visited",
        _ => "hh hh-plain",
    }
}

#[component]
pub fn GridMap(
    boundary: Vec<Vec<[f64; 2]>>,
    neighbours: Vec<NeighbourOutline>,
    households: Vec<HouseholdPin>,
    events: Vec<EventPin>,
    /// Households with a visit waiting in the outbox.
    #[prop(into)]
    pending: Signal<Vec<i64>>,
    selected: RwSignal<Option<i64>>,
    /// The device's position, when known.
    #[prop(into)]
    here: Signal<Option<(f64, f64)>>,
    /// When set, a tap reports a position instead of picking a household.
    picking: RwSignal<bool>,
    picked: RwSignal<Option<(f64, f64)>>,
) -> impl IntoView {
    // Frame the grid (or its households when no boundary is drawn yet).
    let pts: Vec<[f64; 2]> = if boundary.is_empty() {
        households.iter().map(|h| [h.lon, h.lat]).collect()
    } else {
        boundary.iter().flatten().copied().collect()
    };
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in &pts {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    if pts.is_empty() {
        (x0, y0, x1, y1) = (0.0, 0.0, 0.001, 0.001);
    }
    let proj = Projection::new(x0, y1);
    let (w, h) = proj.xy(x1, y0);
    let pad = 0.08 * w.max(h).max(50.0);
    let home = ViewBox { x: -pad, y: -pad, w: w + 2.0 * pad, h: h + 2.0 * pad };
    let view = RwSignal::new(home);

    let outline: Vec<String> = boundary.iter().map(|r| ring_path(&proj, r)).collect();
    let others: Vec<(String, String, (f64, f64))> = neighbours
        .iter()
        .flat_map(|n| {
            n.boundary.first().map(|r| {
                let c = r.iter().fold((0.0, 0.0), |a, c| (a.0 + c[0], a.1 + c[1]));
                let k = r.len().max(1) as f64;
                (n.name.clone(), ring_path(&proj, r), proj.xy(c.0 / k, c.1 / k))
            })
        })
        .collect();
    // Building labels at the middle of each building's households.
    let mut buildings: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
    for hh in &households {
        let (x, y) = proj.xy(hh.lon, hh.lat);
        let e = buildings.entry(hh.building.clone()).or_default();
        *e = (e.0 + x, e.1 + y, e.2 + 1.0);
    }
    let labels: Vec<(String, f64, f64)> =
        buildings.into_iter().filter(|(b, _)| !b.is_empty()).map(|(b, (x, y, n))| (b, x / n, y / n)).collect();

    let dots: Vec<(i64, f64, f64, String, String)> = households
        .iter()
        .map(|hh| {
            let (x, y) = proj.xy(hh.lon, hh.lat);
            (hh.id, x, y, hh.status.clone(), hh.address.clone())
        })
        .collect();
    let dot_r = 1.8;
    // Where each household is, for finding the one under a finger.
    let tap_dots: Vec<(i64, f64, f64)> = dots.iter().map(|(id, x, y, _, _)| (*id, *x, *y)).collect();

    // Pointers down, by id: position in client pixels.
    let pointers: StoredValue<HashMap<i32, (f64, f64)>> = StoredValue::new(HashMap::new());
    let moved = StoredValue::new(0.0f64);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();

    // Client pixels → projected metres.
    let to_map = move |cx: f64, cy: f64| -> Option<(f64, f64)> {
        let el = svg_ref.get_untracked()?;
        let r = el.get_bounding_client_rect();
        let v = view.get_untracked();
        // preserveAspectRatio="xMidYMid meet": one scale, centred.
        let s = (v.w / r.width()).max(v.h / r.height());
        let (ox, oy) = ((r.width() * s - v.w) / 2.0, (r.height() * s - v.h) / 2.0);
        Some((v.x - ox + (cx - r.left()) * s, v.y - oy + (cy - r.top()) * s))
    };
    let scale = move || -> f64 {
        svg_ref
            .get_untracked()
            .map(|el| {
                let r = el.get_bounding_client_rect();
                let v = view.get_untracked();
                (v.w / r.width()).max(v.h / r.height())
            })
            .unwrap_or(1.0)
    };

    let on_down = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| {
            p.insert(ev.pointer_id(), (f64::from(ev.client_x()), f64::from(ev.client_y())));
        });
        moved.set_value(0.0);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let id = ev.pointer_id();
        let now = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let Some(before) = pointers.with_value(|p| p.get(&id).copied()) else { return };
        let count = pointers.with_value(|p| p.len());
        if count == 1 {
            let s = scale();
            let (dx, dy) = (now.0 - before.0, now.1 - before.1);
            moved.update_value(|m| *m += dx.abs() + dy.abs());
            view.update(|v| {
                v.x -= dx * s;
                v.y -= dy * s;
            });
        } else if count == 2 {
            // Pinch: the distance between the two fingers sets the zoom.
            let other = pointers.with_value(|p| p.iter().find(|(k, _)| **k != id).map(|(_, v)| *v));
            if let Some(o) = other {
                let d0 = ((before.0 - o.0).powi(2) + (before.1 - o.1).powi(2)).sqrt();
                let d1 = ((now.0 - o.0).powi(2) + (now.1 - o.1).powi(2)).sqrt();
                if d0 > 0.0 {
                    if let Some((mx, my)) = to_map((now.0 + o.0) / 2.0, (now.1 + o.1) / 2.0) {
                        view.update(|v| *v = v.zoom(d1 / d0, mx, my));
                    }
                }
                moved.update_value(|m| *m += 100.0);
            }
        }
        pointers.update_value(|p| {
            p.insert(id, now);
        });
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        let was_tap = pointers.with_value(|p| p.len()) == 1 && moved.get_value() < 8.0;
        pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
        if !was_tap {
            return;
        }
        let Some((mx, my)) = to_map(f64::from(ev.client_x()), f64::from(ev.client_y())) else { return };
        if picking.get_untracked() {
            picked.set(Some(proj.lonlat(mx, my)));
            picking.set(false);
            return;
        }
        // The nearest household within a finger's width (about 24 px).
        let reach = 24.0 * scale();
        let nearest = households_near(&tap_dots, mx, my, reach);
        selected.set(nearest);
    };
    let on_cancel = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        if let Some((mx, my)) = to_map(f64::from(ev.client_x()), f64::from(ev.client_y())) {
            let f = if ev.delta_y() < 0.0 { 1.25 } else { 0.8 };
            view.update(|v| *v = v.zoom(f, mx, my));
        }
    };
    let zoom_by = move |f: f64| {
        view.update(|v| {
            let (cx, cy) = (v.x + v.w / 2.0, v.y + v.h / 2.0);
            *v = v.zoom(f, cx, cy);
        })
    };
    let here_xy = move || here.get().map(|(lon, lat)| proj.xy(lon, lat));
    let picked_xy = move || picked.get().map(|(lon, lat)| proj.xy(lon, lat));
    let centre_here = move |_| {
        if let Some((x, y)) = here_xy() {
            view.update(|v| {
                v.x = x - v.w / 2.0;
                v.y = y - v.h / 2.0;
            });
        }
    };
    let event_dots: Vec<(f64, f64, String)> = events
        .iter()
        .map(|e| {
            let (x, y) = proj.xy(e.lon, e.lat);
            (x, y, format!("事件:{}({})", e.category_label, e.status_label))
        })
        .collect();

    view! {
        <div class="map-wrap" class:map-picking=move || picking.get()>
            <svg
                node_ref=svg_ref
                class="grid-map"
                role="img"
                aria-label="网格地图"
                data-testid="grid-map"
                viewBox=move || view.get().attr()
                preserveAspectRatio="xMidYMid meet"
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_cancel
                on:pointerleave=on_cancel
                on:wheel=on_wheel
            >
                {others.into_iter().map(|(name, d, (x, y))| view! {
                    <path class="map-neighbour" d=d />
                    <text class="map-neighbour-label" x=fixed(x, 1) y=fixed(y, 1)>{name}</text>
                }).collect_view()}
                {outline.into_iter().map(|d| view! { <path class="map-outline" d=d /> }).collect_view()}
                {labels.into_iter().map(|(b, x, y)| view! {
                    <text class="map-building" x=fixed(x, 1) y=fixed(y - 16.0, 1)>{b}</text>
                }).collect_view()}
                {dots.into_iter().map(|(id, x, y, status, address)| {
                    let class = status_class(&status);
                    view! {
                        <circle
                            class=class
                            class:hh-pending=move || pending.with(|p| p.contains(&id))
                            class:hh-selected=move || selected.get() == Some(id)
                            cx=fixed(x, 1) cy=fixed(y, 1) r=fixed(dot_r, 1)
                        >
                            <title>{address}</title>
                        </circle>
                    }
                }).collect_view()}
                {event_dots.into_iter().map(|(x, y, t)| view! {
                    <g class="map-event" transform=format!("translate({},{})", fixed(x, 1), fixed(y, 1))>
                        <path d="M0,-9 L8,6 L-8,6 Z"><title>{t}</title></path>
                    </g>
                }).collect_view()}
                {move || picked_xy().map(|(x, y)| view! {
                    <g class="map-picked" transform=format!("translate({},{})", fixed(x, 1), fixed(y, 1))>
                        <circle r="7" />
                        <path d="M-12,0 L12,0 M0,-12 L0,12" />
                    </g>
                })}
                {move || here_xy().map(|(x, y)| view! {
                    <g class="map-here" data-testid="you-are-here" transform=format!("translate({},{})", fixed(x, 1), fixed(y, 1))>
                        <circle class="map-here-halo" r="14" />
                        <circle class="map-here-dot" r="5" />
                    </g>
                })}
            </svg>
            <div class="map-tools">
                <button class="btn map-btn" aria-label="放大" on:click=move |_| zoom_by(1.5)>"+"</button>
                <button class="btn map-btn" aria-label="缩小" on:click=move |_| zoom_by(1.0 / 1.5)>"−"</button>
                <button class="btn map-btn" aria-label="全图" on:click=move |_| view.set(home)>"全图"</button>
                <button class="btn map-btn" aria-label="我的位置" disabled=move || here.get().is_none() on:click=centre_here>"我"</button>
            </div>
            <p class="map-legend">
                <span class="lg lg-overdue">"逾期应访"</span>
                <span class="lg lg-due">"近期应访"</span>
                <span class="lg lg-ok">"已按时走访"</span>
                <span class="lg lg-visited">"近期已走访"</span>
                <span class="lg lg-plain">"一般住户"</span>
                <span class="lg lg-pending">"待同步"</span>
                <span class="lg lg-event">"未结事件"</span>
            </p>
        </div>
    }
}

fn households_near(dots: &[(i64, f64, f64)], x: f64, y: f64, reach: f64) -> Option<i64> {
    dots.iter()
        .map(|(id, hx, hy)| (*id, (hx - x).powi(2) + (hy - y).powi(2)))
        .filter(|(_, d)| *d <= reach * reach)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}
