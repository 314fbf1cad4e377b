//! The README's signature checks, in Python and in Node, run as written against a delivery signed
//! the way the server signs it: they accept it and reject a changed body, another secret and an
//! old timestamp. (The project's test command installs both interpreters.)

use services::webhooks::signature::signature_header;
use std::process::Command;

/// The first fenced block in `language` after the "## Webhooks" heading.
fn snippet(language: &str) -> String {
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find("## Webhooks").expect("a Webhooks section")..];
    let fence = format!("```{language}\n");
    let start = section.find(&fence).unwrap_or_else(|| panic!("no {language} block")) + fence.len();
    section[start..][..section[start..].find("```").expect("closed block")].to_owned()
}

/// Runs `program` on the snippet plus a call of `verify`, returning what it printed for each case.
fn run(program: &str, source: &str) -> Vec<String> {
    let output = Command::new(program)
        .arg(if program == "node" { "-e" } else { "-c" })
        .arg(source)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (scripts/setup.sh test): {e}"));
    assert!(
        output.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(str::to_lowercase)
        .collect()
}

struct Case {
    secret: &'static str,
    header: String,
    body: &'static str,
}

fn cases() -> Vec<Case> {
    let now = chrono::Utc::now().timestamp();
    let body = r#"{"event":"booking.created","booking":{"uid":"abc"}}"#;
    let signed = |secrets: &[&[u8]], at: i64| signature_header(secrets, at, body.as_bytes());
    vec![
        Case {
            secret: "whsec_new",
            header: signed(&[b"whsec_new"], now),
            body,
        },
        Case {
            secret: "whsec_old",
            header: signed(&[b"whsec_new", b"whsec_old"], now),
            body,
        },
        Case {
            secret: "whsec_new",
            header: signed(&[b"whsec_new"], now),
            body: r#"{"event":"booking.created","booking":{"uid":"abd"}}"#,
        },
        Case {
            secret: "whsec_other",
            header: signed(&[b"whsec_new"], now),
            body,
        },
        Case {
            secret: "whsec_new",
            header: signed(&[b"whsec_new"], now - 3600),
            body,
        },
    ]
}

const EXPECTED: [&str; 5] = ["true", "true", "false", "false", "false"];

#[test]
fn the_readmes_python_check_accepts_a_real_signature_and_rejects_forgeries_and_replays() {
    let calls: String = cases()
        .iter()
        .map(|c| format!("print(verify({:?}, {:?}, {:?}.encode()))\n", c.secret, c.header, c.body))
        .collect();
    assert_eq!(run("python3", &format!("{}\n{calls}", snippet("python"))), EXPECTED);
}

#[test]
fn the_readmes_node_check_accepts_a_real_signature_and_rejects_forgeries_and_replays() {
    let calls: String = cases()
        .iter()
        .map(|c| {
            format!(
                "console.log(verify({:?}, {:?}, Buffer.from({:?})));\n",
                c.secret, c.header, c.body
            )
        })
        .collect();
    assert_eq!(run("node", &format!("{}\n{calls}", snippet("js"))), EXPECTED);
}
