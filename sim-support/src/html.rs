//! Server-rendered pages (consent screens, authorization errors): escaping and the page shell.
//! Plain HTML with no scripts, so a browser test and a test posting the form itself drive the
//! same path.

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A complete document around `body` (already HTML). The inline favicon keeps browsers from
/// requesting one, so browser tests see no console error.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"data:,\"><title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}\
         li{{margin:.5rem 0}}code{{font-size:.8em;color:#555}}button{{margin-right:1rem;padding:.5rem 1.5rem}}</style>\
         </head><body><main>{}</main></body></html>\n",
        escape(title),
        body
    )
}
