use leptos::html::Button;
use leptos::prelude::*;

/// A destructive action behind a second step: `ask` is replaced by `question`, the confirming
/// form (`children`, whose submit button carries `confirm`) and Cancel. Focus moves to whichever
/// button is now in front, so keyboard users land on the next step.
#[component]
pub fn Confirm(
    /// The first button's text ("Delete").
    ask: &'static str,
    /// Read after `ask` by screen readers, so several such buttons on a page differ.
    #[prop(into)]
    named: String,
    #[prop(into)] question: String,
    confirm: NodeRef<Button>,
    children: Children,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let asking = NodeRef::<Button>::new();
    let show = move |open: bool| {
        confirming.set(open);
        let target = if open { confirm } else { asking };
        request_animation_frame(move || {
            if let Some(button) = target.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    view! {
        <button type="button" class="button button-danger" node_ref=asking hidden=move || confirming.get()
            on:click=move |_| show(true)>
            {ask}<span class="visually-hidden">{format!(" {named}")}</span>
        </button>
        <div class="confirm" role="group" aria-label=format!("Confirm: {ask}") hidden=move || !confirming.get()>
            <p>{question}</p>
            {children()}
            <button type="button" class="button" on:click=move |_| show(false)>"Cancel"</button>
        </div>
    }
}
