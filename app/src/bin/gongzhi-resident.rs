//! The residents' bundle: mounts [`gongzhi_app::resident::ResidentApp`].

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(gongzhi_app::resident::ResidentApp);
}
