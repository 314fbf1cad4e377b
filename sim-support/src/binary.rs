//! The simulators' binaries: `NAME [--port N]` runs until SIGTERM or Ctrl-C and prints exactly
//! one line, `NAME listening on http://127.0.0.1:PORT`, so a parent process can read the URL.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;

use crate::control::Handle;
use crate::running::Running;

fn parse_port(name: &str, mut args: impl Iterator<Item = String>) -> Result<u16, String> {
    let usage = format!("usage: {name} [--port PORT]   (default 0: any free port)");
    let mut port = 0;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--port" => args.next().ok_or("--port needs a value")?,
            "-h" | "--help" => return Err(usage),
            other => match other.strip_prefix("--port=") {
                Some(value) => value.to_owned(),
                None => return Err(format!("unknown argument {other}\n{usage}")),
            },
        };
        port = value.parse().map_err(|_| format!("invalid port {value}"))?;
    }
    Ok(port)
}

/// Listens for SIGTERM (and Ctrl-C) from now on: a parent that signals right after reading the
/// announcement must not kill the process before the handler exists.
fn termination() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// The whole `main` of a simulator binary: parses `--port` (exit 2 on bad arguments), logs to
/// stderr (`RUST_LOG`, default `warn`), starts the simulator on 127.0.0.1, announces it, and
/// shuts it down cleanly on SIGTERM or Ctrl-C.
pub fn main<C, F, Fut>(name: &'static str, start: F) -> anyhow::Result<()>
where
    C: Handle,
    F: FnOnce(SocketAddr) -> Fut,
    Fut: Future<Output = anyhow::Result<Running<C>>>,
{
    let port = match parse_port(name, std::env::args().skip(1)) {
        Ok(port) => port,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .init();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let running = start(SocketAddr::from(([127, 0, 0, 1], port))).await?;
            let terminated = termination()?;
            let mut stdout = std::io::stdout();
            writeln!(stdout, "{name} listening on {}", running.base_url)?;
            stdout.flush()?;
            terminated.await;
            running.shutdown().await;
            Ok(())
        })
}

#[cfg(test)]
mod tests {
    use super::parse_port;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn the_port_comes_from_either_spelling_and_defaults_to_any() {
        assert_eq!(parse_port("sim", args(&[])), Ok(0));
        assert_eq!(parse_port("sim", args(&["--port", "8080"])), Ok(8080));
        assert_eq!(parse_port("sim", args(&["--port=9090"])), Ok(9090));
    }

    #[test]
    fn unknown_arguments_and_bad_ports_are_refused_with_the_usage() {
        assert!(
            parse_port("sim", args(&["--verbose"]))
                .unwrap_err()
                .contains("usage: sim")
        );
        assert_eq!(parse_port("sim", args(&["--port", "x"])), Err("invalid port x".into()));
        assert!(parse_port("sim", args(&["--port"])).is_err());
    }
}
