//! Gongzhi (共治) browser app: mounts [`app::App`] on the page.

mod app;
mod components;
mod pages;
mod services;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
