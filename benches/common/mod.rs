//! What the benchmarks share: a fresh database (a temporary SQLite file, or a new PostgreSQL
//! database beside the one `MUNIFED_BENCH_DATABASE_URL` names), the release server in a
//! process of its own, `wrk`, and the result lines `benches/run.sh` gathers into its table.
#![allow(dead_code)]

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// A database for one run, dropped with it.
pub struct BenchDatabase {
    pub url: String,
    /// PostgreSQL: the server's URL and the database made for this run.
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl BenchDatabase {
    pub fn new() -> anyhow::Result<BenchDatabase> {
        let dir = tempfile::tempdir()?;
        let Ok(server) = std::env::var("MUNIFED_BENCH_DATABASE_URL") else {
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            return Ok(BenchDatabase {
                url,
                postgres: None,
                _dir: dir,
            });
        };
        let name = format!("munifed_bench_{}", std::process::id());
        let mut conn = PgConnection::establish(&server)?;
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn)?;
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn)?;
        let mut url = url::Url::parse(&server)?;
        url.set_path(&name);
        Ok(BenchDatabase {
            url: url.to_string(),
            postgres: Some((server, name)),
            _dir: dir,
        })
    }

    pub fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.postgres {
            if let Ok(mut conn) = PgConnection::establish(server) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

/// A port nobody listens on now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The settings every bench instance shares, with `extra` on top.
pub fn environment(database: &str, port: u16, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let bind = format!("127.0.0.1:{port}");
    let domain = format!("localhost:{port}");
    let mut env: Vec<(String, String)> = [
        ("MUNIFED__SERVER__BIND", bind.as_str()),
        ("MUNIFED__INSTANCE__DOMAIN", domain.as_str()),
        ("MUNIFED__FEDERATION__DEV_MODE", "true"),
        ("MUNIFED__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true"),
        ("MUNIFED__DELIVERY__WORKER", "false"),
        ("MUNIFED__DATABASE__URL", database),
        ("MUNIFED__LOG__LEVEL", "warn"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

/// The instance of `env` built (migrations, keys, its first account) but not serving nor
/// delivering, for a bench to fill its database before the server starts.
pub async fn preparing(env: &[(String, String)]) -> anyhow::Result<munifed::Application> {
    let mut env: Vec<(String, String)> = env
        .iter()
        .filter(|(key, _)| key != "MUNIFED__SERVER__BIND" && key != "MUNIFED__DELIVERY__WORKER")
        .cloned()
        .collect();
    env.push(("MUNIFED__SERVER__BIND".into(), "127.0.0.1:0".into()));
    env.push(("MUNIFED__DELIVERY__WORKER".into(), "false".into()));
    munifed::Application::build(munifed::config::Settings::load_with_env(None, env)?).await
}

/// The release server (`munifed serve`, built with the benches) in its own process, as
/// people run it; ready when `/healthz` answers.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(env: &[(String, String)], port: u16) -> anyhow::Result<Server> {
        let child = Command::new(env!("CARGO_BIN_EXE_munifed"))
            .arg("serve")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let base = format!("http://localhost:{port}");
        let started = Instant::now();
        while reqwest::get(format!("{base}/healthz")).await.is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                anyhow::bail!("the server did not start");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(Server { child, base })
    }

    /// The server's peak resident memory so far, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        status_kib(self.child.id(), "VmHWM") / 1024.0
    }

    /// CPU seconds the server has used so far.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&self.child.id().to_string())
    }

    pub fn rss_mib(&self) -> f64 {
        status_kib(self.child.id(), "VmRSS") / 1024.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// With `MUNIFED_BENCH_PROFILE=DIR`, records the server's stacks with `perf` (Debian's
/// linux-perf) into `DIR/NAME.perf.data` until stopped; `perf report -i …` reads it, and
/// `perf script -i … | inferno-collapse-perf | inferno-flamegraph` draws the flame graph.
pub struct Profile(Option<Child>);

impl Profile {
    pub fn start(server: &Server, name: &str) -> anyhow::Result<Profile> {
        let Ok(dir) = std::env::var("MUNIFED_BENCH_PROFILE") else {
            return Ok(Profile(None));
        };
        std::fs::create_dir_all(&dir)?;
        let output = std::path::Path::new(&dir).join(format!("{name}.perf.data"));
        let child = Command::new("perf")
            .args([
                "record",
                "-e",
                "cpu-clock",
                "-F",
                "499",
                "-g",
                "--call-graph",
                "dwarf,16384",
                "-o",
            ])
            .arg(output)
            .args(["-p", &server.child.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(Profile(Some(child)))
    }

    pub fn stop(self) -> anyhow::Result<()> {
        if let Some(child) = self.0 {
            Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()?;
            child.wait_with_output()?;
        }
        Ok(())
    }
}

/// CPU seconds (user and system) a process has used so far: `/proc/PID/stat` (`"self"` for
/// this one), in clock ticks of 1/100 s.
pub fn cpu_seconds(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // The fields after the command name, which may hold spaces, in parentheses.
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
            Some((ticks(11)? + ticks(12)?) / 100.0)
        })
        .unwrap_or(f64::NAN)
}

/// A `/proc/PID/status` figure in KiB.
pub fn status_kib(pid: u32, key: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(key))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(f64::NAN)
}

/// What `wrk` measured.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub requests: f64,
    pub seconds: f64,
    pub per_second: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// Runs `wrk` with `args` (and a Lua script when given) against `url`.
pub fn wrk(args: &[&str], url: &str, script: Option<&str>) -> anyhow::Result<Load> {
    let dir = tempfile::tempdir()?;
    let output = wrk_command(args, url, script, dir.path())?.output()?;
    parse_wrk(&String::from_utf8_lossy(&output.stdout))
}

/// Runs `wrk` until `done` says the work arrived (wrk itself runs for a fixed time), then
/// stops it as Ctrl-C would; its figures, with the time until `done`.
pub async fn wrk_until<F, Fut>(
    args: &[&str],
    url: &str,
    script: Option<&str>,
    mut done: F,
) -> anyhow::Result<Load>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let dir = tempfile::tempdir()?;
    let child = wrk_command(args, url, script, dir.path())?
        .stdout(Stdio::piped())
        .spawn()?;
    let start = Instant::now();
    // `done` may count rows, a scan of the table on the same cores as the server: every
    // 20 ms, that took 3 % of both cores on PostgreSQL (2 ms a look). The figures' clocks are
    // read at these looks, within 100 ms of a run of several seconds.
    while !done().await? {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seconds = start.elapsed().as_secs_f64();
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()?;
    let output = child.wait_with_output()?;
    let mut load = parse_wrk(&String::from_utf8_lossy(&output.stdout))?;
    load.seconds = seconds;
    Ok(load)
}

fn wrk_command(
    args: &[&str],
    url: &str,
    script: Option<&str>,
    dir: &std::path::Path,
) -> anyhow::Result<Command> {
    let mut command = Command::new("wrk");
    command.args(args).arg("--latency");
    if let Some(script) = script {
        let path = dir.join("script.lua");
        std::fs::write(&path, script)?;
        command.arg("-s").arg(path);
    }
    command.arg(url);
    Ok(command)
}

fn parse_wrk(text: &str) -> anyhow::Result<Load> {
    let figure = |prefix: &str| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(prefix).map(str::trim))
            .map(str::to_string)
    };
    let per_second = figure("Requests/sec:")
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("no figures from wrk: {text}"))?;
    // "12000 requests in 4.01s, 2.10MB read"
    let (requests, seconds) = text
        .lines()
        .find(|line| line.contains(" requests in "))
        .and_then(|line| {
            let mut words = line.split_whitespace();
            let requests = words.next()?.parse::<f64>().ok()?;
            let seconds = words.nth(2)?.trim_end_matches(',');
            Some((requests, duration_ms(seconds)? / 1000.0))
        })
        .ok_or_else(|| anyhow::anyhow!("no request count from wrk: {text}"))?;
    let p99_ms = figure("99%")
        .and_then(|v| duration_ms(&v))
        .ok_or_else(|| anyhow::anyhow!("no latency from wrk: {text}"))?;
    let errors = figure("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        + figure("Socket errors:").map_or(0, |v| {
            v.split(',')
                .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                .sum()
        });
    Ok(Load {
        requests,
        seconds,
        per_second,
        p99_ms,
        errors,
    })
}

/// `812.00us`, `1.20ms`, `2.01s`, `1.5m` in milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Some(us) = text.strip_suffix("us") {
        return us.parse::<f64>().ok().map(|v| v / 1000.0);
    }
    if let Some(ms) = text.strip_suffix("ms") {
        return ms.parse().ok();
    }
    if let Some(s) = text.strip_suffix('s') {
        return s.parse::<f64>().ok().map(|v| v * 1000.0);
    }
    if let Some(m) = text.strip_suffix('m') {
        return m.parse::<f64>().ok().map(|v| v * 60_000.0);
    }
    None
}

/// One line of the summary table: `RESULT|figure|value|unit|reference|ratio`, where the
/// reference is the ceiling or target the figure is measured against.
pub fn result(figure: &str, value: f64, unit: &str, reference: &str, ratio: Option<f64>) {
    // A profiled run is slower: its figures say so.
    let profiled = if std::env::var_os("MUNIFED_BENCH_PROFILE").is_some() {
        " (profiled)"
    } else {
        ""
    };
    let figure = format!("{figure}{profiled}");
    let ratio = ratio.map_or_else(|| "-".to_string(), |r| format!("{:.0}%", r * 100.0));
    println!("RESULT|{figure}|{value:.1}|{unit}|{reference}|{ratio}");
}
