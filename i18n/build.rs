//! Reads `locales/<code>.toml`, checks every catalogue against English and writes the `Key` enum
//! and the catalogues' text as Rust. A missing or extra key, a changed `{placeholder}` or an empty
//! text fails the build, so no page or email can ever show a key or a hole.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// Sections only English must have: what only team members read (the dashboard and the emails
/// hosts get) goes through the same catalogue but stays English for now. Other languages may
/// leave them out; their text is then English.
const ENGLISH_ONLY: &[&str] = &["host", DASHBOARD];
/// Keys of this section are what the booking pages show; the page gets just these.
const PAGE: &str = "page";
/// The dashboard's texts: their own enum (`Dash`) and table, compiled into every build (the
/// dashboard bundle needs them; the booking bundle never names one, so carries none).
const DASHBOARD: &str = "dashboard";
/// Facts about the language itself rather than text to show.
const META: &str = "meta";

struct Catalogue {
    code: String,
    meta: BTreeMap<String, String>,
    text: BTreeMap<String, String>,
}

fn main() {
    let dir = Path::new("locales");
    println!("cargo:rerun-if-changed=locales");
    let mut catalogues = read_all(dir);
    let english_at = catalogues
        .iter()
        .position(|c| c.code == "en")
        .expect("locales/en.toml is the reference catalogue and must exist");
    let english = catalogues.remove(english_at);
    let problems: Vec<String> = catalogues.iter().flat_map(|c| check(&english, c)).collect();
    if !problems.is_empty() {
        panic!(
            "the catalogues disagree with locales/en.toml:\n  {}",
            problems.join("\n  ")
        );
    }
    catalogues.insert(0, english);
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalogue.rs");
    std::fs::write(out, generate(&catalogues)).expect("writing catalogue.rs");
}

fn read_all(dir: &Path) -> Vec<Catalogue> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("reading locales/")
        .map(|e| e.expect("listing locales/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files.iter().map(|path| read(path)).collect()
}

fn read(path: &Path) -> Catalogue {
    let code = path.file_stem().and_then(|s| s.to_str()).expect("file name").to_owned();
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let table: toml::Table = raw.parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut meta, mut text) = (BTreeMap::new(), BTreeMap::new());
    for (section, entries) in table {
        let entries = entries
            .as_table()
            .unwrap_or_else(|| panic!("{}: [{section}] must be a table", path.display()));
        let mut flat = BTreeMap::new();
        flatten(&section, entries, &mut flat, path);
        if section == META {
            meta.extend(
                flat.into_iter()
                    .map(|(key, value)| (key[META.len() + 1..].to_owned(), value)),
            );
        } else {
            text.extend(flat);
        }
    }
    for needed in ["name", "chrono_locale"] {
        assert!(meta.contains_key(needed), "{}: [meta] needs `{needed}`", path.display());
    }
    Catalogue { code, meta, text }
}

/// `[dashboard.members]` `title = "…"` becomes `dashboard.members.title`: a section may group its
/// texts in sub-tables, one per page.
fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>, path: &Path) {
    for (key, value) in table {
        let name = format!("{prefix}.{key}");
        match value {
            toml::Value::String(text) => {
                out.insert(name, text.clone());
            }
            toml::Value::Table(inner) => flatten(&name, inner, out, path),
            _ => panic!("{}: {name} must be text", path.display()),
        }
    }
}

fn english_only(key: &str) -> bool {
    ENGLISH_ONLY
        .iter()
        .any(|s| key.split_once('.').is_some_and(|(section, _)| section == *s))
}

fn check(english: &Catalogue, other: &Catalogue) -> Vec<String> {
    let mut problems = Vec::new();
    let file = format!("locales/{}.toml", other.code);
    for (key, reference) in &english.text {
        match other.text.get(key) {
            None if english_only(key) => {}
            None => problems.push(format!("{file}: `{key}` is missing")),
            Some(text) if text.trim().is_empty() => problems.push(format!("{file}: `{key}` is empty")),
            Some(text) if placeholders(text) != placeholders(reference) => problems.push(format!(
                "{file}: `{key}` has placeholders {:?}, English has {:?}",
                placeholders(text),
                placeholders(reference)
            )),
            Some(_) => {}
        }
    }
    for key in other.text.keys().filter(|k| !english.text.contains_key(*k)) {
        problems.push(format!("{file}: `{key}` is not in English"));
    }
    problems
}

/// The `{name}`s of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// `page.next_month` → `PageNextMonth`.
fn variant(key: &str) -> String {
    key.split(['.', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn generate(catalogues: &[Catalogue]) -> String {
    let english = &catalogues[0];
    let section = |key: &str, name: &str| key.split_once('.').is_some_and(|(s, _)| s == name);
    // Page keys first, so the browser's catalogue is a prefix of the server's.
    let mut keys: Vec<&String> = english.text.keys().filter(|k| section(k, PAGE)).collect();
    let page_keys = keys.len();
    keys.extend(
        english
            .text
            .keys()
            .filter(|k| !section(k, PAGE) && !section(k, DASHBOARD)),
    );
    let dashboard: Vec<&String> = english.text.keys().filter(|k| section(k, DASHBOARD)).collect();
    let mut out = String::new();
    out.push_str("/// A text of the catalogue; its variants are generated from `locales/en.toml`.\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[repr(u16)]\npub enum Key {\n");
    for key in &keys {
        let _ = writeln!(out, "    /// `{key}`: {:?}", english.text[*key]);
        let _ = writeln!(out, "    {},", variant(key));
    }
    out.push_str("}\n\n");
    let _ = writeln!(
        out,
        "/// How many texts a catalogue has.\npub const KEYS: usize = {};",
        keys.len()
    );
    let _ = writeln!(
        out,
        "/// The first `PAGE_KEYS` keys are the booking pages' (section `{PAGE}`).\npub const PAGE_KEYS: usize = {page_keys};"
    );
    let list = |f: &dyn Fn(&Catalogue) -> String| {
        catalogues
            .iter()
            .map(|c| format!("{:?}", f(c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let n = catalogues.len();
    let _ = writeln!(out, "const CODES: [&str; {n}] = [{}];", list(&|c| c.code.clone()));
    let _ = writeln!(
        out,
        "const NAMES: [&str; {n}] = [{}];",
        list(&|c| c.meta["name"].clone())
    );
    let _ = writeln!(
        out,
        "#[cfg_attr(not(feature = \"catalogues\"), allow(dead_code))]\nconst CHRONO_LOCALES: [&str; {n}] = [{}];",
        list(&|c| c.meta["chrono_locale"].clone())
    );
    let _ = writeln!(
        out,
        "#[cfg(feature = \"catalogues\")]\nstatic TEXT: [[&str; {}]; {n}] = [",
        keys.len()
    );
    for catalogue in catalogues {
        out.push_str("    [\n");
        for key in &keys {
            let text = catalogue.text.get(*key).unwrap_or(&english.text[*key]);
            let _ = writeln!(out, "        {text:?},");
        }
        out.push_str("    ],\n");
    }
    out.push_str("];\n\n");
    out.push_str("/// A text of the dashboard (English for now); generated from `locales/en.toml`.\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[repr(u16)]\npub enum Dash {\n");
    for key in &dashboard {
        let _ = writeln!(out, "    /// {:?}", english.text[*key]);
        let _ = writeln!(out, "    {},", variant(key.trim_start_matches("dashboard.")));
    }
    out.push_str("}\n\n");
    let _ = writeln!(out, "static DASH_TEXT: [&str; {}] = [", dashboard.len());
    for key in &dashboard {
        let _ = writeln!(out, "    {:?},", english.text[*key]);
    }
    out.push_str("];\n");
    out
}
