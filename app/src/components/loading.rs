//! Pages that wait for one resource: a skeleton first, then the value or the error.

use crate::error::AppError;
use leptos::either::Either;
use leptos::prelude::*;

/// A skeleton until `resource` has loaded, then `render` of its value, or `failed` of its error.
/// A Transition, so reloading after an action keeps the current view until the new one is ready.
pub fn loaded_or<T, V, E>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
    failed: impl Fn(AppError) -> E + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    E: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || {
                let (render, failed) = (render.clone(), failed.clone());
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => Either::Left(render(value)),
                        Err(error) => Either::Right(failed(error)),
                    }
                })
            }}
        </Transition>
    }
}
