//! The office bundle: mounts [`gongzhi_app::app::App`], every page.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(gongzhi_app::app::App);
}
