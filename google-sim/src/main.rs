//! `google-sim [--port N]`: runs the simulator until SIGTERM or Ctrl-C. Prints exactly one line,
//! `google-sim listening on http://127.0.0.1:PORT`, so a parent process can read the URL.

use std::io::Write;
use std::net::SocketAddr;

use google_sim::{SimConfig, Simulator};

const USAGE: &str = "usage: google-sim [--port PORT]   (default 0: any free port)";

fn parse_port(mut args: impl Iterator<Item = String>) -> Result<u16, String> {
    let mut port = 0;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--port" => args.next().ok_or("--port needs a value")?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => match other.strip_prefix("--port=") {
                Some(value) => value.to_owned(),
                None => return Err(format!("unknown argument {other}\n{USAGE}")),
            },
        };
        port = value.parse().map_err(|_| format!("invalid port {value}"))?;
    }
    Ok(port)
}

async fn terminated() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let port = match parse_port(std::env::args().skip(1)) {
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
    let running = Simulator::start_on(SimConfig::default(), SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "google-sim listening on {}", running.base_url)?;
    stdout.flush()?;
    terminated().await;
    running.shutdown().await;
    Ok(())
}
