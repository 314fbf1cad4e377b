//! The browsable API reference at `/api/docs`: server-rendered HTML from the same OpenAPI document
//! as `/api/v1/openapi.json`, so it can never drift from the code. No scripts, no CDN.

use super::openapi::document_value;
use axum::response::Html;
use serde_json::{Map, Value};
use std::fmt::Write;
use std::sync::OnceLock;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// How many `$ref`s an example follows: deep enough for every wire type (a webhook envelope's
/// answers are four deep); stops runaway recursion on self-referencing schemas.
const MAX_DEPTH: usize = 8;

pub async fn page() -> Html<&'static str> {
    static PAGE: OnceLock<String> = OnceLock::new();
    Html(PAGE.get_or_init(|| render(&document_value())))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline `code` spans of the descriptions, escaped.
fn prose(text: &str) -> String {
    escape(text)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

fn anchor(method: &str, path: &str) -> String {
    let slug: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{method}{slug}")
}

fn render(doc: &Value) -> String {
    let info = &doc["info"];
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>API reference · Rendezvous</title><link rel=\"stylesheet\" href=\"/pkg/rendezvous.css\">\
         <link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\"></head><body>\
         <div class=\"reference\"><nav class=\"reference-nav\" aria-label=\"Operations\">{}</nav>\
         <main class=\"reference-main\"><header class=\"reference-header\"><h1>{}</h1><p>{}</p>\
         <p><a href=\"/api/v1/openapi.json\">OpenAPI 3.1 document (JSON)</a></p></header>",
        navigation(doc),
        escape(info["title"].as_str().unwrap_or("API")),
        prose(info["description"].as_str().unwrap_or_default()),
    );
    for tag in tags(doc) {
        let _ = write!(
            out,
            "<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{name}</h2><p class=\"muted\">{desc}</p>",
            id = anchor("tag-", &tag.0),
            name = escape(&tag.0),
            desc = prose(&tag.1),
        );
        for (method, path, operation) in operations(doc).filter(|op| tag_of(op.2) == tag.0) {
            out.push_str(&render_operation(doc, method, path, operation));
        }
        out.push_str("</section>");
    }
    if webhooks(doc).next().is_some() {
        let _ = write!(
            out,
            "<section aria-labelledby=\"{WEBHOOKS_ID}\"><h2 id=\"{WEBHOOKS_ID}\">Webhook payloads</h2>\
             <p class=\"muted\">What Rendezvous sends to a registered endpoint: <code>POST</code> with this body, \
             signed in <code>Rendezvous-Signature</code>.</p>"
        );
        for (method, name, operation) in webhooks(doc) {
            out.push_str(&render_operation(doc, method, name, operation));
        }
        out.push_str("</section>");
    }
    out.push_str("</main></div></body></html>");
    out
}

const WEBHOOKS_ID: &str = "webhook-payloads";

fn tags(doc: &Value) -> Vec<(String, String)> {
    doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let text = |k: &str| t[k].as_str().unwrap_or_default().to_owned();
            (text("name"), text("description"))
        })
        .collect()
}

fn tag_of(operation: &Value) -> &str {
    operation["tags"][0].as_str().unwrap_or_default()
}

fn operations(doc: &Value) -> impl Iterator<Item = (&'static str, &str, &Value)> {
    path_items(&doc["paths"])
}

/// The document's `webhooks` section: path items keyed by event name instead of by path.
fn webhooks(doc: &Value) -> impl Iterator<Item = (&'static str, &str, &Value)> {
    path_items(&doc["webhooks"])
}

fn path_items(items: &Value) -> impl Iterator<Item = (&'static str, &str, &Value)> {
    items.as_object().into_iter().flatten().flat_map(|(key, item)| {
        METHODS
            .iter()
            .filter_map(move |m| item.get(*m).map(|op| (*m, key.as_str(), op)))
    })
}

fn navigation(doc: &Value) -> String {
    let mut out = String::from("<ul>");
    for (tag, _) in tags(doc) {
        let _ = write!(
            out,
            "<li><a href=\"#{}\">{}</a><ul>",
            anchor("tag-", &tag),
            escape(&tag)
        );
        out.push_str(&navigation_links(operations(doc).filter(|op| tag_of(op.2) == tag)));
        out.push_str("</ul></li>");
    }
    if webhooks(doc).next().is_some() {
        let _ = write!(out, "<li><a href=\"#{WEBHOOKS_ID}\">Webhook payloads</a><ul>");
        out.push_str(&navigation_links(webhooks(doc)));
        out.push_str("</ul></li>");
    }
    out.push_str("</ul>");
    out
}

fn navigation_links<'a>(items: impl Iterator<Item = (&'static str, &'a str, &'a Value)>) -> String {
    let mut out = String::new();
    for (method, path, _) in items {
        let _ = write!(
            out,
            "<li><a href=\"#{}\"><span class=\"method method-{method}\">{}</span> {}</a></li>",
            anchor(method, path),
            method.to_uppercase(),
            escape(path)
        );
    }
    out
}

fn render_operation(doc: &Value, method: &str, path: &str, op: &Value) -> String {
    let security = op["security"].as_array();
    let auth = match security {
        Some(options) if options.iter().any(|o| o.as_object().is_some_and(Map::is_empty)) => "Public, or an API key",
        Some(_) => "API key required",
        None => "Public",
    };
    let mut out = format!(
        "<article class=\"card operation\" id=\"{}\"><h3><span class=\"method method-{method}\">{}</span> \
         <code>{}</code></h3><p class=\"muted\">{auth}</p>",
        anchor(method, path),
        method.to_uppercase(),
        escape(path)
    );
    if let Some(text) = op["description"].as_str().or(op["summary"].as_str()) {
        let _ = write!(out, "<p>{}</p>", prose(text));
    }
    out.push_str(&parameters(op));
    if let Some(schema) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
        let example = example(doc, &Value::Object(schema.clone()), 0);
        let _ = write!(
            out,
            "<h4>Request body</h4><pre><code>{}</code></pre>",
            escape(&serde_json::to_string_pretty(&example).unwrap_or_default())
        );
    }
    out.push_str(&responses(doc, op));
    out.push_str("</article>");
    out
}

fn parameters(op: &Value) -> String {
    let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) else {
        return String::new();
    };
    let mut out = String::from(
        "<h4>Parameters</h4><table class=\"table\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">In</th>\
         <th scope=\"col\">Required</th><th scope=\"col\">Description</th></tr></thead><tbody>",
    );
    for p in params {
        let example = p["example"]
            .as_str()
            .map(|e| format!(" Example: <code>{}</code>", escape(e)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}{example}</td></tr>",
            escape(p["name"].as_str().unwrap_or_default()),
            escape(p["in"].as_str().unwrap_or_default()),
            if p["required"].as_bool().unwrap_or(false) {
                "yes"
            } else {
                "no"
            },
            prose(p["description"].as_str().unwrap_or_default()),
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn responses(doc: &Value, op: &Value) -> String {
    let mut out = String::from("<h4>Responses</h4><dl class=\"responses\">");
    for (status, response) in op["responses"].as_object().into_iter().flatten() {
        // Every <dt> has its <dd>: a status without a body still has a description.
        let _ = write!(
            out,
            "<dt><span class=\"status status-{}\">{}</span></dt><dd>{}",
            &status[..1],
            escape(status),
            prose(response["description"].as_str().unwrap_or_default())
        );
        if let Some(schema) = response["content"]["application/json"]["schema"].as_object() {
            let example = example(doc, &Value::Object(schema.clone()), 0);
            let _ = write!(
                out,
                "<pre><code>{}</code></pre>",
                escape(&serde_json::to_string_pretty(&example).unwrap_or_default())
            );
        }
        out.push_str("</dd>");
    }
    out.push_str("</dl>");
    out
}

/// An example value for a schema: its own example if it has one, else one built from its shape.
/// `depth` counts the references followed so far.
fn example(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return example(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    if let Some(example) = schema.get("example").or_else(|| schema["examples"].get(0)) {
        return example.clone();
    }
    let variants = schema["oneOf"].as_array().or(schema["allOf"].as_array());
    if let Some(variant) = variants.and_then(|v| v.iter().find(|s| s["type"] != "null")) {
        return example(doc, variant, depth);
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match kind.as_str() {
        Some("object") => Value::Object(
            schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, property)| (name.clone(), example(doc, property, depth)))
                .collect(),
        ),
        Some("array") => Value::Array(vec![example(doc, &schema["items"], depth)]),
        Some("integer") | Some("number") => Value::from(0),
        Some("boolean") => Value::Bool(true),
        Some("string") => Value::from("string"),
        _ => Value::Null,
    }
}
