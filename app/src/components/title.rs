//! Page titles. leptos_meta writes the title into the server's HTML exactly as given, so a title
//! made of what people typed (an event type's name, a team's) could close `<title>` and open a
//! script; it is escaped there. In the browser leptos_meta sets `document.title`, which is plain
//! text, so the same title stays unescaped.

/// The root `<Title>` formatter: `format` builds the title from the page's own part, which is
/// then made safe for the server's HTML.
pub fn title_formatter(format: fn(String) -> String) -> impl Fn(String) -> String + Send + Sync + 'static {
    move |page| for_document(format(page))
}

fn for_document(title: String) -> String {
    if cfg!(feature = "ssr") {
        title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        title
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn a_title_cannot_close_the_title_element_in_the_servers_html() {
        let format = super::title_formatter(|page| format!("{page} · Rendezvous"));
        assert_eq!(
            format("D</title><script>x&y</script>".into()),
            "D&lt;/title&gt;&lt;script&gt;x&amp;y&lt;/script&gt; · Rendezvous"
        );
    }
}
