//! `rendezvous`: runs the server. Configuration comes from the environment and an optional `.env`.

use services::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = dotenvy::dotenv();
    let config = Config::from_env()?;
    init_logging(&config.log_filter);
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => {}
        Some("api-key") => return server::cli::api_key(config, &args[1..]).await,
        Some("help" | "--help" | "-h") => {
            println!("{}", server::cli::USAGE);
            return Ok(());
        }
        Some(other) => anyhow::bail!("unknown command `{other}`\n{}", server::cli::USAGE),
    }
    let public_url = config.public_url.clone();
    let (listener, router, services) = server::prepare(config, services::Clock::System).await?;
    let bound = listener.local_addr()?;
    tracing::info!(%bound, %public_url, "listening");
    println!("Rendezvous is running at {public_url} (listening on {bound})");
    server::serve(listener, router, services, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

fn init_logging(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("RENDEZVOUS_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Resolves on SIGTERM or Ctrl-C, letting in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
