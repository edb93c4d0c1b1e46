//! `sqlx::migrate!` embeds the migrations when the server is compiled, and
//! cargo does not watch that folder by itself: a new migration file must
//! rebuild the binary, or it runs with the migrations it had.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
