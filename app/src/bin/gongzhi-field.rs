//! The tablet bundle: mounts [`gongzhi_app::field::FieldApp`], the street pages only.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(gongzhi_app::field::FieldApp);
}
