//! The booking pages' early script (`early.js`), inlined at the end of the document with the
//! response's CSP nonce: it shows the server-rendered times in the visitor's zone and hour style
//! before the WASM arrives, without changing the page's structure (hydration then claims the
//! same nodes). Sent with comments and indentation stripped.

use std::sync::LazyLock;

static SCRIPT: LazyLock<String> = LazyLock::new(|| minify(include_str!("early.js")));

pub fn early_script() -> &'static str {
    &SCRIPT
}

/// Drops comments and blank space around lines. Every line of the script ends a statement or a
/// block, so lines join without newlines.
fn minify(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split(" // ").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_script_goes_out_without_comments_and_small() {
        let script = super::early_script();
        assert!(!script.contains("//") && !script.contains('\n'), "{script}");
        assert!(script.starts_with("(() => {") && script.ends_with("})();"));
        assert!(script.len() < 1600, "{} bytes", script.len());
    }
}
