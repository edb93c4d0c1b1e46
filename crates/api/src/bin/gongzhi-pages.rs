//! Prints what the build needs from the page table (`gongzhi_api::pages`):
//! `gongzhi-pages field-prefixes` the tablet's paths as a JSON array, for the
//! service worker that `scripts/build-app.sh` writes; `gongzhi-pages routes`
//! one line per page (path, bundle, lazy route type, tab-separated), for
//! `scripts/bundle-size.sh`'s first-load figures; `gongzhi-pages split-order
//! office|field|resident` the order in which `scripts/split-wasm.sh` groups a bundle's
//! shared code (comma-separated split-name prefixes).

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
        Some("split-order") => {
            let bundle = match std::env::args().nth(2).as_deref() {
                Some("office") => gongzhi_api::pages::Bundle::Office,
                Some("field") => gongzhi_api::pages::Bundle::Field,
                Some("resident") => gongzhi_api::pages::Bundle::Resident,
                _ => {
                    eprintln!("usage: gongzhi-pages split-order office|field|resident");
                    std::process::exit(2);
                }
            };
            println!("{}", gongzhi_api::pages::split_order(bundle).join(","));
        }
        _ => {
            eprintln!("usage: gongzhi-pages field-prefixes | routes | split-order office|field|resident");
            std::process::exit(2);
        }
    }
}
