//! Pages as lazy routes: each page's code is split off into its own wasm
//! chunk (`wasm-split-cli` in `scripts/build-app.sh`), fetched the first time
//! the page is opened, so a new page adds to its own chunk, not to the first
//! load. `lazy_pages!` turns a component into a route type for
//! `<Route view={Lazy::<T>::new()}>`.

/// `lazy_pages! { RouteType => page::Component, … }`: one `LazyRoute` per page.
#[macro_export]
macro_rules! lazy_pages {
    ($( $route:ident => $page:path ),* $(,)?) => {$(
        pub struct $route;
        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            fn view(_this: Self) -> leptos::prelude::AnyView {
                leptos::prelude::IntoAny::into_any($page())
            }
        }
    )*};
}
