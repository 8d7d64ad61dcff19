//! The command line: `munifed [--config FILE] COMMAND`.

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};

use crate::{
    config::Settings,
    db::{self, users::DbUser},
    domain::{
        moderation::{FederationMode, Severity},
        post::{PostInput, PostKind},
    },
    error::{AppError, AppResult, ErrorKind},
    federation::delivery,
    i18n::Message,
    service::{
        accounts::{self, AccountChanges, NewAccount},
        domains, follow, health, media, posts, relays,
        users::{self, Staff},
    },
    startup::{self, Application},
    state::{AppState, FedData},
    telemetry,
};

#[derive(Parser, Debug)]
#[command(
    name = "munifed",
    version,
    about = "Federated ActivityPub server for networks of local governments"
)]
pub struct Cli {
    /// A TOML file of settings, read on top of the defaults (config/default.toml).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server (the default when no command is given).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Copy the SQLite database into FILE (which must not exist), consistently, while the
    /// server runs. For PostgreSQL, use pg_dump.
    Backup { file: PathBuf },
    /// Make the SQLite database named by database.url, which must not exist yet, from a
    /// backup FILE, and bring it up to date.
    Restore { file: PathBuf },
    #[command(flatten)]
    Instance(InstanceCommand),
}

/// Commands that work on a prepared instance (database, accounts, federation).
#[derive(Subcommand, Debug)]
enum InstanceCommand {
    /// Manage the organisation accounts of this instance.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Follow an account on another instance, by handle (@name@host) or actor URL.
    Follow(FollowArgs),
    /// Stop following an account on another instance.
    Unfollow(FollowArgs),
    /// Show the delivery queue: counts by state, what is waiting, failing domains.
    Deliveries(DeliveriesArgs),
    /// Manage staff users (who may use the API and the panel).
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Publish a news item, call or event from a TOML or JSON file (the API's request shape).
    Publish(PublishArgs),
    /// The media cache of remote images.
    #[command(subcommand)]
    Media(MediaCommand),
    /// Relays the instance subscribes to.
    #[command(subcommand)]
    Relay(RelayCommand),
    /// Domain moderation: rules, the allow list, the federation mode, block lists.
    #[command(subcommand)]
    Domain(DomainCommand),
}

#[derive(Subcommand, Debug)]
enum DomainCommand {
    /// Set a domain's rule (it covers its subdomains). A suspension purges what was stored.
    Block {
        domain: String,
        /// suspend (nothing in or out), silence (kept out of the timeline unless
        /// followed; its follows need approval) or noop (with --reject-media alone).
        #[arg(long, default_value = "suspend")]
        severity: String,
        /// Neither fetch nor show its images.
        #[arg(long)]
        reject_media: bool,
        /// Ignore its reports.
        #[arg(long)]
        reject_reports: bool,
        /// Shown where the instance lists its rules, and exported.
        #[arg(long, default_value = "")]
        public_comment: String,
        /// For staff only.
        #[arg(long, default_value = "")]
        private_comment: String,
        /// Partly hide the domain where rules are shown in public.
        #[arg(long)]
        obfuscate: bool,
    },
    /// Lift a domain's rule.
    Unblock { domain: String },
    /// Put a domain on the allow list (what federates in allowlist mode).
    Allow {
        domain: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Take a domain off the allow list.
    Disallow { domain: String },
    /// List the rules, the allow list and the federation mode.
    List,
    /// Import a Mastodon-compatible CSV block list, or with --allow a plain allow list
    /// (one domain per line); prints what changed.
    Import {
        file: PathBuf,
        #[arg(long)]
        allow: bool,
        /// Replace the rules we already have for the listed domains (by default they are
        /// left as they are, as Mastodon does).
        #[arg(long)]
        overwrite: bool,
    },
    /// Print the rules as a Mastodon-compatible CSV block list, or with --allow the allow
    /// list.
    Export {
        #[arg(long)]
        allow: bool,
    },
    /// Set the federation mode: open (everyone but suspended domains) or allowlist (only
    /// the allowed domains).
    Mode { mode: String },
}

#[derive(Subcommand, Debug)]
enum RelayCommand {
    /// Subscribe: a relay inbox URL (…/inbox, Mastodon-style) or a relay actor URL
    /// (LitePub-style). The running server sends the Follow and records the Accept.
    Add { url: String },
    /// List the relays with their state.
    List,
    /// Unsubscribe (an Undo goes to the relay).
    Remove { url: String },
}

#[derive(Subcommand, Debug)]
enum MediaCommand {
    /// Evict the least recently shown files beyond media.cache_bytes and remove files
    /// nothing refers to (evicted images are fetched again when next shown).
    Prune,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user; the password is read from standard input.
    Create {
        /// The user's e-mail address (their login).
        email: String,
        /// admin, moderator or editor (admins publish as every account, editors as the
        /// accounts given with --account).
        #[arg(long)]
        role: String,
        /// Read the password from standard input (one line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// An account the user may publish as (repeat for several).
        #[arg(long = "account", value_name = "ACCOUNT")]
        accounts: Vec<String>,
    },
    /// Let a user publish as an account.
    Grant {
        /// The user's e-mail address.
        email: String,
        /// The account's name.
        account: String,
    },
    /// Stop a user publishing as an account.
    Ungrant {
        /// The user's e-mail address.
        email: String,
        /// The account's name.
        account: String,
    },
    /// Give a user another role (its panel sessions end).
    Role {
        /// The user's e-mail address.
        email: String,
        /// admin, moderator or editor.
        role: String,
    },
    /// Disable a user: its sessions end, its API tokens stop working.
    Disable {
        /// The user's e-mail address.
        email: String,
    },
    /// Enable a disabled user again.
    Enable {
        /// The user's e-mail address.
        email: String,
    },
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Create an API token for a user and print it (alone, on the last line). Only its hash
    /// is stored: keep it now.
    Create {
        /// The user's e-mail address.
        email: String,
        /// Make the token expire after this many days (default: never).
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: Option<u32>,
    },
    /// List the tokens: id, user, when made, last used and expiring.
    List,
    /// Revoke a token by the id `token list` shows.
    Revoke {
        /// The token's id.
        id: i64,
    },
}

#[derive(Args, Debug)]
struct PublishArgs {
    /// news, call or event.
    #[arg(value_parser = ["news", "call", "event"])]
    kind: String,
    /// The item: .toml or .json, with the fields of the API (title, summary, body, …).
    #[arg(long, value_name = "FILE")]
    file: PathBuf,
}

#[derive(Subcommand, Debug)]
enum AccountCommand {
    /// Create an organisation account.
    Create(CreateAccountArgs),
    /// Change an account's profile; followers' servers are sent the new profile.
    Update(UpdateAccountArgs),
    /// List the accounts with their follower counts.
    List,
    /// List pending follow requests of an account that approves followers by hand.
    Requests {
        /// The account (default: instance.account).
        #[arg(long = "as", value_name = "ACCOUNT")]
        account: Option<String>,
    },
    /// Approve a pending follow request.
    Approve(DecideArgs),
    /// Refuse a pending follow request.
    Reject(DecideArgs),
    /// Name the other accounts this one also is (alsoKnownAs), replacing the list (none
    /// clears it): an account moving here from another server must be named first.
    Alias {
        name: String,
        /// Handles (@name@host) or actor URLs.
        aliases: Vec<String>,
    },
    /// Move an account to another (a handle or actor URL) that names it as an alias: its
    /// followers' servers are told (Move) and follow the new account. Cannot be undone.
    Move { name: String, target: String },
    /// Write everything an account is as one JSON document: its profile and actor, its posts
    /// (as the API gives them, translations included), its outbox, followers and following
    /// (ActivityStreams collections).
    Export {
        name: String,
        /// Write to this file (which must not exist) instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Make an account from an export: its profile, then follow whom it followed; with
    /// --posts, publish its posts again (as new posts, sent to followers and relays).
    Import {
        file: PathBuf,
        /// The new account's name (default: the exported one's).
        #[arg(long = "as", value_name = "NAME")]
        name: Option<String>,
        #[arg(long)]
        posts: bool,
    },
}

#[derive(Args, Debug)]
struct CreateAccountArgs {
    /// Account name: lower-case letters, digits and _ (becomes @NAME@domain).
    name: String,
    /// Name shown to people, e.g. "City of Montevideo".
    #[arg(long)]
    display_name: Option<String>,
    /// Profile text (plain text; blank lines separate paragraphs).
    #[arg(long)]
    summary: Option<String>,
    /// Follow requests wait for approval instead of being accepted at once.
    #[arg(long)]
    manual_approval: bool,
    /// The organisation's website, linked with rel="me".
    #[arg(long)]
    website: Option<String>,
    /// A contact shown on the profile (e.g. an e-mail address).
    #[arg(long)]
    contact: Option<String>,
    /// URL of the organisation's logo, shown as its avatar.
    #[arg(long, value_name = "URL")]
    icon: Option<String>,
    /// URL of a banner image for the profile.
    #[arg(long, value_name = "URL")]
    header: Option<String>,
}

#[derive(Args, Debug)]
struct UpdateAccountArgs {
    /// The account to change.
    name: String,
    #[arg(long)]
    display_name: Option<String>,
    /// Profile text (plain text; blank lines separate paragraphs).
    #[arg(long)]
    summary: Option<String>,
    /// true: follow requests wait for approval; false: accepted at once.
    #[arg(long, value_name = "true|false")]
    manual_approval: Option<bool>,
    /// Website linked with rel="me" ("" removes it).
    #[arg(long)]
    website: Option<String>,
    /// Contact shown on the profile ("" removes it).
    #[arg(long)]
    contact: Option<String>,
    /// Logo URL ("" removes it).
    #[arg(long, value_name = "URL")]
    icon: Option<String>,
    /// Banner image URL ("" removes it).
    #[arg(long, value_name = "URL")]
    header: Option<String>,
}

#[derive(Args, Debug)]
struct DecideArgs {
    /// The follower, by handle or actor URL.
    follower: String,
    /// The account (default: instance.account).
    #[arg(long = "as", value_name = "ACCOUNT")]
    account: Option<String>,
}

#[derive(Args, Debug)]
struct FollowArgs {
    /// @name@host, name@host, or an actor URL.
    target: String,
    /// The local account that follows (default: instance.account).
    #[arg(long = "as", value_name = "ACCOUNT")]
    account: Option<String>,
}

#[derive(Args, Debug)]
struct DeliveriesArgs {
    /// Make every waiting delivery due now, then send what is due before exiting (except to
    /// a domain skipped for a minute because it stalled: the server's worker sends those).
    #[arg(long)]
    retry_now: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("munifed: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    if settings.federation.allow_private_addresses {
        // The federation library checks its own fetches against this variable. Set while
        // the process is still single-threaded.
        std::env::set_var("DANGER_FEDERATION_ALLOW_LOCAL_IP", "1");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("munifed: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("munifed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let app = Application::build(settings).await?;
            startup::release_freed_memory();
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let url = settings.database.url.clone();
            let applied = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
                let pool = db::open(&url, 1)?;
                let mut conn = pool.get()?;
                db::run_migrations(&mut conn)
            })
            .await??;
            println!(
                "database is up to date ({} migrations were pending)",
                applied.len()
            );
            Ok(())
        }
        Command::Backup { file } => {
            let url = settings.database.url.clone();
            let copied =
                tokio::task::spawn_blocking(move || db::backup::backup(&url, &file)).await??;
            println!(
                "backed up the database into {} ({} bytes)",
                copied.path.display(),
                copied.bytes
            );
            Ok(())
        }
        Command::Restore { file } => {
            let url = settings.database.url.clone();
            let copied =
                tokio::task::spawn_blocking(move || db::backup::restore(&url, &file)).await??;
            println!(
                "restored the database {} ({} bytes; {} migrations applied since the backup)",
                copied.path.display(),
                copied.bytes,
                copied.migrated.len()
            );
            Ok(())
        }
        Command::Instance(command) => {
            let data = startup::prepare(settings).await?.to_request_data();
            run_instance_command(command, &data).await
        }
    }
}

async fn run_instance_command(command: InstanceCommand, data: &FedData) -> anyhow::Result<()> {
    match command {
        InstanceCommand::Account(AccountCommand::Create(args)) => {
            let account = accounts::create(
                data,
                &Staff::Operator,
                NewAccount {
                    name: args.name,
                    display_name: args.display_name,
                    summary: args.summary,
                    manual_approval: args.manual_approval,
                    website: args.website,
                    contact: args.contact,
                    icon_url: args.icon,
                    header_url: args.header,
                },
            )
            .await?;
            println!("created {} ({})", account.handle(), account.ap_id);
        }
        InstanceCommand::Account(AccountCommand::Update(args)) => {
            let account = accounts::update(
                data,
                &Staff::Operator,
                &args.name,
                AccountChanges {
                    display_name: args.display_name,
                    summary: args.summary,
                    manual_approval: args.manual_approval,
                    website: args.website,
                    contact: args.contact,
                    icon_url: args.icon,
                    header_url: args.header,
                },
            )
            .await?;
            println!(
                "updated {}; followers are sent the new profile",
                account.handle()
            );
        }
        InstanceCommand::Account(AccountCommand::Alias { name, aliases }) => {
            let account = accounts::set_aliases(data, &Staff::Operator, &name, &aliases).await?;
            match account.aliases().as_slice() {
                [] => println!("{} has no aliases", account.handle()),
                aliases => println!("{} is also {}", account.handle(), aliases.join(", ")),
            }
        }
        InstanceCommand::Account(AccountCommand::Move { name, target }) => {
            let account = accounts::move_to(data, &Staff::Operator, &name, &target).await?;
            println!(
                "{} moved to {}; its followers' servers are told by the running server's \
                 delivery worker",
                account.handle(),
                account.moved_to.unwrap_or_default()
            );
        }
        InstanceCommand::Account(AccountCommand::Export { name, output }) => {
            let export = accounts::export(data, &Staff::Operator, &name).await?;
            let document = export_document(data, &export)?;
            let text = serde_json::to_string_pretty(&document)?;
            match output {
                Some(path) => {
                    let mut file = std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&path)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                    std::io::Write::write_all(&mut file, text.as_bytes())?;
                    println!(
                        "exported {} ({} posts, {} followers, {} followed) to {}",
                        export.account.handle(),
                        export.posts.len(),
                        export.followers.len(),
                        export.following.len(),
                        path.display()
                    );
                }
                None => println!("{text}"),
            }
        }
        InstanceCommand::Account(AccountCommand::Import { file, name, posts }) => {
            import_account(data, &file, name, posts).await?;
        }
        InstanceCommand::Account(AccountCommand::List) => {
            println!(
                "{:<30} {:>9} {:>8} {:>9}  name",
                "account", "followers", "pending", "following"
            );
            for entry in accounts::list(data).await? {
                println!(
                    "{:<30} {:>9} {:>8} {:>9}  {}",
                    entry.account.handle(),
                    entry.followers,
                    entry.pending_followers,
                    entry.following,
                    entry.account.display_name_or_username()
                );
            }
        }
        InstanceCommand::Account(AccountCommand::Requests { account }) => {
            let requests = follow::requests(data, &Staff::Operator, account.as_deref()).await?;
            if requests.is_empty() {
                println!("no pending follow requests");
            }
            for actor in requests {
                println!("{}  {}", actor.handle(), actor.ap_id);
            }
        }
        InstanceCommand::Account(AccountCommand::Approve(args)) => {
            let follower = follow::decide_request(
                data,
                &Staff::Operator,
                args.account.as_deref(),
                &args.follower,
                true,
            )
            .await?;
            println!("approved {}; the Accept is queued", follower.handle());
        }
        InstanceCommand::Account(AccountCommand::Reject(args)) => {
            let follower = follow::decide_request(
                data,
                &Staff::Operator,
                args.account.as_deref(),
                &args.follower,
                false,
            )
            .await?;
            println!("refused {}; the Reject is queued", follower.handle());
        }
        InstanceCommand::Follow(args) => {
            let outcome = follow::follow(
                data,
                &Staff::Operator,
                args.account.as_deref(),
                &args.target,
            )
            .await?;
            if outcome.sent {
                println!(
                    "Follow of {} is queued; the running server delivers it and records the Accept",
                    outcome.target.handle()
                );
            } else {
                println!(
                    "already following {} ({})",
                    outcome.target.handle(),
                    outcome.state
                );
            }
        }
        InstanceCommand::Unfollow(args) => {
            let target = follow::unfollow(
                data,
                &Staff::Operator,
                args.account.as_deref(),
                &args.target,
            )
            .await?;
            println!("unfollowed {}; the Undo is queued", target.handle());
        }
        InstanceCommand::User(UserCommand::Create {
            email,
            role,
            accounts,
            ..
        }) => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            let user = users::create(data, &Staff::Operator, &email, &role, password).await?;
            for account in &accounts {
                users::grant_account(data, &Staff::Operator, &user.email, account).await?;
            }
            println!("created user {} ({})", user.email, user.role);
            print_publishing_accounts(data, &user).await?;
        }
        InstanceCommand::User(UserCommand::Grant { email, account }) => {
            users::grant_account(data, &Staff::Operator, &email, &account).await?;
            println!("{email} may publish as {account}");
        }
        InstanceCommand::User(UserCommand::Ungrant { email, account }) => {
            users::revoke_account(data, &Staff::Operator, &email, &account).await?;
            println!("{email} may no longer publish as {account}");
        }
        InstanceCommand::User(UserCommand::Role { email, role }) => {
            users::set_role(data, &Staff::Operator, &email, &role).await?;
            println!("{email} is now {role}");
        }
        InstanceCommand::User(UserCommand::Disable { email }) => {
            users::set_disabled(data, &Staff::Operator, &email, true).await?;
            println!("{email} is disabled");
        }
        InstanceCommand::User(UserCommand::Enable { email }) => {
            users::set_disabled(data, &Staff::Operator, &email, false).await?;
            println!("{email} is enabled");
        }
        InstanceCommand::Token(TokenCommand::Create { email, days }) => {
            let token = users::create_token(data, &Staff::Operator, &email, days).await?;
            println!("API token for {email} (shown once; use it as Authorization: Bearer TOKEN):");
            println!("{token}");
        }
        InstanceCommand::Token(TokenCommand::List) => {
            let never = || "never".to_string();
            println!("id\tuser\tcreated\tlast used\texpires");
            for token in users::tokens(data, &Staff::Operator).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    token.id,
                    token.email,
                    token.created_at.format("%Y-%m-%d %H:%M"),
                    token
                        .last_used_at
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(never),
                    token
                        .expires_at
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(never),
                );
            }
        }
        InstanceCommand::Token(TokenCommand::Revoke { id }) => {
            users::revoke_token(data, &Staff::Operator, id).await?;
            println!("token {id} revoked");
        }
        InstanceCommand::Publish(args) => {
            let kind = PostKind::parse(&args.kind)
                .ok_or_else(|| anyhow::anyhow!("kind must be news, call or event"))?;
            let input = read_post_file(&args.file)?;
            let view = posts::create(data, &Staff::Operator, kind, input).await?;
            println!("published {}", data.urls.post(kind, view.post.id));
        }
        InstanceCommand::Relay(RelayCommand::Add { url }) => {
            let relay = relays::add(data, &Staff::Operator, &url).await?;
            println!("relay {} ({}): {}", relay.inbox, relay.kind, relay.state);
        }
        InstanceCommand::Relay(RelayCommand::List) => {
            let all = relays::list(data, &Staff::Operator).await?;
            if all.is_empty() {
                println!("no relays");
            }
            for relay in all {
                println!(
                    "{:<9} {:<8} {}  {}",
                    relay.state,
                    relay.kind,
                    relay.inbox,
                    relay.actor.unwrap_or_default()
                );
            }
        }
        InstanceCommand::Relay(RelayCommand::Remove { url }) => {
            let relay = relays::remove(data, &Staff::Operator, &url).await?;
            println!("unsubscribed from {}; the Undo is queued", relay.inbox);
        }
        InstanceCommand::Domain(command) => domain_command(data, command).await?,
        InstanceCommand::Media(MediaCommand::Prune) => {
            let pruned = media::prune(data).await?;
            println!(
                "{} files evicted, {} orphan files removed; {} bytes cached",
                pruned.evicted, pruned.orphans_removed, pruned.bytes_kept
            );
        }
        InstanceCommand::Deliveries(args) => {
            if args.retry_now {
                let due = health::retry_now(data, &Staff::Operator).await?;
                let sent = delivery::drain(data).await?;
                println!("{due} deliveries made due; {sent} attempted");
            }
            print_queue(data).await?;
        }
    }
    Ok(())
}

/// A post from a TOML or JSON file (chosen by its extension; TOML otherwise).
async fn print_publishing_accounts(data: &FedData, user: &DbUser) -> anyhow::Result<()> {
    let accounts = users::publishing_accounts(data, user).await?;
    if accounts.is_empty() {
        println!(
            "publishes as no account yet (munifed user grant {} ACCOUNT)",
            user.email
        );
    } else {
        println!("publishes as: {}", accounts.join(", "));
    }
    Ok(())
}

fn read_post_file(path: &std::path::Path) -> anyhow::Result<PostInput> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let input = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
    } else {
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
    };
    Ok(input)
}

async fn print_queue(data: &FedData) -> anyhow::Result<()> {
    let (counts, pending, failing) = db::run(&data.db, |conn| {
        Ok((
            db::deliveries::count_by_state(conn)?,
            db::deliveries::pending(conn, 20)?,
            db::domains::failing_domains(conn)?,
        ))
    })
    .await?;
    println!("deliveries by state:");
    if counts.is_empty() {
        println!("  (none)");
    }
    for (state, count) in counts {
        println!("  {state:<10} {count}");
    }
    if !pending.is_empty() {
        println!("next pending (up to 20):");
        for d in pending {
            println!(
                "  #{:<6} {}  attempts {}  next {} UTC  {}",
                d.id,
                d.inbox,
                d.attempts,
                d.next_attempt_at.format("%Y-%m-%d %H:%M:%S"),
                d.last_error.unwrap_or_default()
            );
        }
    }
    if !failing.is_empty() {
        println!("failing domains:");
        for h in failing {
            if let Some(since) = h.failing_since {
                println!(
                    "  {:<40} failing since {} UTC",
                    h.domain,
                    since.format("%Y-%m-%d %H:%M:%S")
                );
            }
        }
    }
    Ok(())
}

async fn domain_command(data: &AppState, command: DomainCommand) -> AppResult<()> {
    let operator = &Staff::Operator;
    match command {
        DomainCommand::Block {
            domain,
            severity,
            reject_media,
            reject_reports,
            public_comment,
            private_comment,
            obfuscate,
        } => {
            let severity = Severity::parse(&severity)
                .ok_or_else(|| AppError::bad_request("error-cli-severity"))?;
            let input = domains::RuleInput {
                domain,
                severity,
                reject_media,
                reject_reports,
                public_comment,
                private_comment,
                obfuscate,
            };
            let rule = domains::set_rule(data, operator, input).await?;
            println!("{}: {}", rule.domain, rule.severity.as_str());
        }
        DomainCommand::Unblock { domain } => {
            domains::remove_rule(data, operator, &domain).await?;
            println!("{domain}: no rule");
        }
        DomainCommand::Allow { domain, comment } => {
            let added = domains::allow(data, operator, &domain, &comment).await?;
            println!(
                "{domain}: {}",
                if added { "allowed" } else { "already allowed" }
            );
        }
        DomainCommand::Disallow { domain } => {
            domains::disallow(data, operator, &domain).await?;
            println!("{domain}: no longer allowed");
        }
        DomainCommand::List => {
            println!("federation mode: {}", domains::mode(data).await?.as_str());
            for rule in domains::rules(data, operator).await? {
                let mut flags = vec![];
                if rule.reject_media {
                    flags.push("reject_media");
                }
                if rule.reject_reports {
                    flags.push("reject_reports");
                }
                println!(
                    "{:<8} {} {} {}",
                    rule.severity.as_str(),
                    rule.domain,
                    flags.join(","),
                    rule.private_comment
                );
            }
            for (domain, comment) in domains::allowed(data, operator).await? {
                println!("allowed  {domain} {comment}");
            }
        }
        DomainCommand::Import {
            file,
            allow,
            overwrite,
        } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                AppError::bad_request(
                    Message::new("error-cli-cannot-read")
                        .arg("file", file.display())
                        .arg("error", e),
                )
            })?;
            let summary = if allow {
                domains::import_allowed(data, operator, &text).await?
            } else {
                domains::import_rules(data, operator, &text, overwrite).await?
            };
            println!("{summary}");
            for (line, why) in &summary.invalid {
                println!("  line {line}: {why}");
            }
        }
        DomainCommand::Export { allow } => {
            let text = if allow {
                domains::export_allowed(data, operator).await?
            } else {
                domains::export_rules(data, operator).await?
            };
            print!("{text}");
        }
        DomainCommand::Mode { mode } => {
            let mode = FederationMode::parse(&mode)
                .ok_or_else(|| AppError::bad_request("error-cli-mode"))?;
            domains::set_mode(data, operator, mode).await?;
            println!("federation mode: {}", mode.as_str());
        }
    }
    Ok(())
}

/// The format of `munifed account export`, read back by `import`.
const EXPORT_VERSION: i64 = 1;

/// An account as one JSON document: the profile (as `account update` takes it), the actor
/// and the collections as ActivityStreams, the posts as the API gives them.
fn export_document(data: &FedData, export: &accounts::Export) -> anyhow::Result<serde_json::Value> {
    use serde_json::json;
    let account = &export.account;
    let collection = |items: Vec<serde_json::Value>| json!({ "type": "OrderedCollection", "totalItems": items.len(), "orderedItems": items });
    let outbox: Vec<serde_json::Value> = export
        .activities
        .iter()
        .filter_map(|payload| serde_json::from_str(payload).ok())
        .collect();
    Ok(json!({
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "munifed_export": EXPORT_VERSION,
        "exported_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "account": {
            "name": account.username,
            "display_name": account.display_name,
            "summary": crate::ingest::sanitize::plain_text(&account.summary),
            "manual_approval": account.manually_approves_followers,
            "website": account.website,
            "contact": account.contact,
            "icon_url": account.icon_url,
            "header_url": account.image_url,
            "also_known_as": account.aliases(),
            "moved_to": account.moved_to,
        },
        "actor": crate::federation::objects::actor::local_actor_json(account)?,
        "posts": export
            .posts
            .iter()
            .map(|view| crate::api::posts::PostResponse::new(view, data))
            .collect::<Vec<_>>(),
        "outbox": collection(outbox),
        "followers": collection(
            export.followers.iter().map(|a| json!(a.ap_id.as_str())).collect()
        ),
        "following": collection(
            export
                .following
                .iter()
                .map(|(a, _)| json!(a.ap_id.as_str()))
                .collect()
        ),
    }))
}

/// A post of an export as `posts::create` takes it, checked: the API gives times with the
/// offset of the post's zone, and takes them as the wall-clock time in that zone.
fn import_post(item: serde_json::Value) -> anyhow::Result<(PostKind, PostInput)> {
    let kind = item["type"]
        .as_str()
        .and_then(PostKind::parse)
        .ok_or_else(|| anyhow::anyhow!("it has no type (news, call or event)"))?;
    let mut input: PostInput =
        serde_json::from_value(item).map_err(|e| anyhow::anyhow!("it cannot be read: {e}"))?;
    for time in [&mut input.deadline, &mut input.start, &mut input.end] {
        if let Some(parsed) = time
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            *time = Some(parsed.naive_local().format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    input
        .validate(kind)
        .map_err(|fields| anyhow::anyhow!("{}", AppError::from(ErrorKind::Validation(fields))))?;
    Ok((kind, input))
}

/// `munifed account import`: the account and its profile, then its follows (each one that
/// fails is reported, the others go on), then with `posts` its posts as new ones.
async fn import_account(
    data: &FedData,
    file: &std::path::Path,
    name: Option<String>,
    posts: bool,
) -> anyhow::Result<()> {
    use serde_json::Value;
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let document: Value = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not JSON: {e}", file.display()))?;
    if document["munifed_export"].as_i64() != Some(EXPORT_VERSION) {
        anyhow::bail!(
            "{} is not a munifed account export (version {EXPORT_VERSION})",
            file.display()
        );
    }
    let profile = &document["account"];
    let text_of = |key: &str| profile[key].as_str().map(str::to_string);
    let name = name
        .or_else(|| text_of("name"))
        .ok_or_else(|| anyhow::anyhow!("the export names no account: use --as NAME"))?;
    if !profile.is_object() {
        anyhow::bail!("{} has no account profile", file.display());
    }
    // Every post is read and checked before anything is made, so that a bad one leaves no
    // half-imported account behind.
    let mut to_publish = Vec::new();
    if posts {
        let items = document["posts"].as_array().cloned().unwrap_or_default();
        let mut problems = Vec::new();
        for (n, item) in items.into_iter().enumerate() {
            match import_post(item) {
                Ok(post) => to_publish.push(post),
                Err(e) => problems.push(format!("post {}: {e}", n + 1)),
            }
        }
        if !problems.is_empty() {
            anyhow::bail!("nothing was imported:\n{}", problems.join("\n"));
        }
    }
    let account = accounts::create(
        data,
        &Staff::Operator,
        NewAccount {
            name,
            display_name: text_of("display_name"),
            summary: text_of("summary"),
            manual_approval: profile["manual_approval"].as_bool().unwrap_or(false),
            website: text_of("website"),
            contact: text_of("contact"),
            icon_url: text_of("icon_url"),
            header_url: text_of("header_url"),
        },
    )
    .await?;
    println!("created {} ({})", account.handle(), account.ap_id);
    let followed: Vec<String> = document["following"]["orderedItems"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for target in &followed {
        match follow::follow(data, &Staff::Operator, Some(&account.username), target).await {
            Ok(outcome) => println!("follows {} ({})", outcome.target.handle(), outcome.state),
            Err(e) => eprintln!("munifed: could not follow {target}: {e}"),
        }
    }
    for (kind, mut input) in to_publish {
        input.account = Some(account.username.clone());
        match posts::create(data, &Staff::Operator, kind, input).await {
            Ok(post) => println!("published {}", data.urls.post(kind, post.post.id)),
            Err(e) => eprintln!("munifed: could not publish a post: {e}"),
        }
    }
    Ok(())
}
