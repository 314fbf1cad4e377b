//! Administrative commands run on the server host, with the server's own authority.

use anyhow::{Context, bail};
use services::{Clock, Config, Db, Services};

pub const USAGE: &str = "\
usage:
  rendezvous                                   run the server (same as `rendezvous serve`)
  rendezvous api-key create --email E --name N issue an API key for the member with email E
  rendezvous api-key revoke --email E --id K   revoke key K of that member";

/// Runs `rendezvous api-key …`.
pub async fn api_key(config: Config, args: &[String]) -> anyhow::Result<()> {
    let services = Services::new(Db::connect(&config.database_url).await?, config, Clock::System);
    let email = domain::Email::parse(&flag(args, "--email")?).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let member = services
        .member_by_email(&email)
        .await
        .with_context(|| format!("no member with email {email}"))?;
    match args.first().map(String::as_str) {
        Some("create") => {
            let issued = services
                .issue_api_key(&member, member.id, &flag(args, "--name")?)
                .await?;
            println!("{}", issued.secret);
            eprintln!(
                "API key {} ({}) for {email}. Store it now: it is not shown again.",
                issued.key.id, issued.key.name
            );
        }
        Some("revoke") => {
            let id: i64 = flag(args, "--id")?.parse().context("--id must be a number")?;
            services.revoke_api_key(&member, id).await?;
            eprintln!("API key {id} revoked.");
        }
        _ => bail!("{USAGE}"),
    }
    services.db().close().await;
    Ok(())
}

fn flag(args: &[String], name: &str) -> anyhow::Result<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .with_context(|| format!("missing {name}\n{USAGE}"))
}
