//! Prints what the build needs from the page table (`gongzhi_api::pages`):
//! `gongzhi-pages field-prefixes` the tablet's paths as a JSON array, for the
//! service worker that `scripts/build-app.sh` writes; `gongzhi-pages routes`
//! one line per page (path, bundle, lazy route type, tab-separated), for
//! `scripts/bundle-size.sh`'s first-load figures.

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("field-prefixes") => {
            let quoted: Vec<String> = gongzhi_api::pages::field_prefixes().iter().map(|p| format!("\"{p}\"")).collect();
            println!("[{}]", quoted.join(","));
        }
        Some("routes") => {
            for page in gongzhi_api::pages::PAGES {
                println!("{}\t{:?}\t{}", page.path, page.bundle, page.route);
            }
        }
        _ => {
            eprintln!("usage: gongzhi-pages field-prefixes | routes");
            std::process::exit(2);
        }
    }
}
