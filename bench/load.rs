//! Load driver for the pool API emulator (docs/emulator.md, "Load").
//!
//! N workers each loop, until `--duration` or `--max-cycles`: create a pool
//! with a unique name (signed POST, as the client sends it), show it, list
//! with a `labelSelector` on its name, delete it. Every answer is checked,
//! not only its status. At the end it prints the request count and rate,
//! latency percentiles per operation, errors by kind, and how many pools of
//! this run the server still has against how many it should have.
//!
//! ```sh
//! poolctl emulator --listen 127.0.0.1:0 > emu.env &
//! cargo run --release --example load -- --env-file emu.env --concurrency 50 --duration 60s
//! ```
//!
//! `--verify-state FILE` instead checks that the emulator at the endpoint
//! serves exactly the pools a state file holds (used after a `kill -9`).
//!
//! Loopback only: the endpoint must be 127.0.0.1, ::1 or localhost.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use poolctl::auth::signer::{self, SigningInput};
use serde_json::{json, Value};

#[derive(Parser, Debug)]
#[command(
    name = "load",
    about = "Load driver for `poolctl emulator` (loopback only)"
)]
struct Args {
    /// Emulator endpoint, `http://127.0.0.1:PORT` [default: POOLCTL_ENDPOINT]
    #[arg(long)]
    endpoint: Option<String>,
    /// Access key [default: HUAWEICLOUD_SDK_AK]
    #[arg(long)]
    ak: Option<String>,
    /// Secret key [default: HUAWEICLOUD_SDK_SK]
    #[arg(long)]
    sk: Option<String>,
    /// Project id [default: POOLCTL_PROJECT_ID]
    #[arg(long)]
    project_id: Option<String>,
    /// A file of the `export K=V` lines `poolctl emulator` prints; flags win
    /// over it, it wins over the environment
    #[arg(long, value_name = "FILE")]
    env_file: Option<PathBuf>,
    /// Workers, each with one request in flight
    #[arg(long, default_value_t = 50)]
    concurrency: usize,
    /// How long workers start new cycles (a cycle under way is finished)
    #[arg(long, default_value = "60s", value_parser = poolctl::duration::parse_duration)]
    duration: Duration,
    /// Cycles per worker at most; 0 = no limit
    #[arg(long, default_value_t = 0)]
    max_cycles: u64,
    /// Create this many pools first and keep them: the load then runs on a
    /// server that holds them (each write of the state file is that much larger)
    #[arg(long, default_value_t = 0)]
    preload: u64,
    /// Give up on one request after this long (counted as a `timeout` error)
    #[arg(long, default_value = "10s", value_parser = poolctl::duration::parse_duration)]
    request_timeout: Duration,
    /// At the end, how long to wait for deleted pools to finish deleting
    #[arg(long, default_value = "30s", value_parser = poolctl::duration::parse_duration)]
    settle: Duration,
    /// Skip the final pool count (the server is meant to go away mid-run)
    #[arg(long)]
    no_final_count: bool,
    /// Only check that the emulator serves exactly the pools of this state file
    #[arg(long, value_name = "FILE")]
    verify_state: Option<PathBuf>,
}

/// Where to send requests and how to sign them.
struct Target {
    origin: String,
    host: String,
    ak: String,
    sk: String,
    project: String,
}

/// `export K=V` lines, values plain or single-quoted as the emulator prints them.
fn parse_exports(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("export ") else {
            continue;
        };
        let Some((k, v)) = rest.split_once('=') else {
            continue;
        };
        let value = if v.starts_with('\'') {
            // 'a'\''b' -> a'b
            v.split("'\\''")
                .map(|s| s.trim_start_matches('\'').trim_end_matches('\''))
                .collect::<Vec<_>>()
                .join("'")
        } else {
            v.to_string()
        };
        out.insert(k.trim().to_string(), value);
    }
    out
}

fn target(args: &Args) -> Result<Target, String> {
    let file = match &args.env_file {
        Some(p) => {
            parse_exports(&std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?)
        }
        None => BTreeMap::new(),
    };
    let pick = |flag: &Option<String>, var: &str| -> Result<String, String> {
        flag.clone()
            .or_else(|| file.get(var).cloned())
            .or_else(|| std::env::var(var).ok())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("no {var}: give the flag, --env-file, or the variable"))
    };
    let endpoint = pick(&args.endpoint, "POOLCTL_ENDPOINT")?;
    let url = reqwest::Url::parse(&endpoint).map_err(|e| format!("endpoint {endpoint}: {e}"))?;
    let loopback = url.host_str().is_some_and(|h| {
        h == "localhost"
            || h.trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    if url.scheme() != "http" || !loopback {
        return Err(format!(
            "endpoint {endpoint}: only http on loopback (127.0.0.1, ::1, localhost)"
        ));
    }
    let host = url.host_str().unwrap_or_default();
    let host = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    Ok(Target {
        origin: format!("http://{host}"),
        host,
        ak: pick(&args.ak, "HUAWEICLOUD_SDK_AK")?,
        sk: pick(&args.sk, "HUAWEICLOUD_SDK_SK")?,
        project: pick(&args.project_id, "POOLCTL_PROJECT_ID")?,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Create,
    Show,
    List,
    Delete,
}

const OPS: [Op; 4] = [Op::Create, Op::Show, Op::List, Op::Delete];

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Show => "show",
            Op::List => "list",
            Op::Delete => "delete",
        }
    }
}

struct Answer {
    status: u16,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error_code"].as_str().unwrap_or("-")
    }
}

/// Why a request did not give the expected answer.
fn io_kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timeout".into();
    }
    if e.is_connect() {
        return "connect refused/failed".into();
    }
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return format!("io {:?}", io.kind());
        }
        source = s.source();
    }
    if e.is_body() || e.is_decode() {
        return "incomplete body".into();
    }
    "transport error".into()
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

struct Api {
    target: Target,
    http: reqwest::Client,
}

impl Api {
    fn pools(&self) -> String {
        format!("/v2/{}/pools", self.target.project)
    }

    /// One signed request, headers as the client sends them.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(String, String)],
        body: &[u8],
    ) -> Result<Answer, String> {
        let q = signer::canonical_query(query);
        let url = if q.is_empty() {
            format!("{}{path}", self.target.origin)
        } else {
            format!("{}{path}?{q}", self.target.origin)
        };
        let headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("Host".to_string(), self.target.host.clone()),
            ("X-Project-Id".to_string(), self.target.project.clone()),
            (
                "X-Sdk-Date".to_string(),
                poolctl::time::sdk_date_from_unix(now_unix()),
            ),
        ];
        let authorization = signer::authorization(
            &SigningInput {
                method: method.as_str(),
                path,
                query,
                headers: &headers,
                body,
            },
            &self.target.ak,
            &self.target.sk,
        );
        let mut req = self.http.request(method, url).body(body.to_vec());
        // reqwest sets Host from the URL: the same value as signed.
        for (k, v) in headers.iter().filter(|(k, _)| k != "Host") {
            req = req.header(k, v);
        }
        req = req.header("Authorization", authorization);
        let resp = req.send().await.map_err(|e| io_kind(&e))?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(|e| io_kind(&e))?;
        let body = serde_json::from_slice(&bytes)
            .map_err(|_| format!("{status} with a body that is not JSON"))?;
        Ok(Answer { status, body })
    }

    async fn list(&self, query: &[(String, String)]) -> Result<Vec<Value>, String> {
        let a = self
            .send(reqwest::Method::GET, &self.pools(), query, b"")
            .await?;
        if a.status != 200 {
            return Err(format!("list: {} {}", a.status, a.code()));
        }
        a.body["items"]
            .as_array()
            .cloned()
            .ok_or_else(|| "list: no items".to_string())
    }
}

fn pool_body(label: &str) -> Vec<u8> {
    json!({
        "kind": "Pool",
        "apiVersion": "v2",
        "metadata": {
            "labels": {"os.modelarts/name": label, "os.modelarts/workspace.id": "0"},
            "annotations": {"os.modelarts/description": "poolctl load driver"}
        },
        "spec": {
            "type": "Dedicate",
            "scope": ["Train"],
            "network": {"name": "network-load"},
            "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 2}]
        }
    })
    .to_string()
    .into_bytes()
}

/// What one worker saw.
#[derive(Default)]
struct Tally {
    /// Latencies in microseconds, per operation.
    latency: BTreeMap<Op, Vec<u64>>,
    errors: BTreeMap<String, u64>,
    created: u64,
    deleted: u64,
    cycles: u64,
}

struct Shared {
    api: Arc<Api>,
    run: String,
    start: Instant,
    /// Requests completed in each second since the start.
    per_second: Vec<AtomicU64>,
}

impl Shared {
    async fn timed(
        &self,
        tally: &mut Tally,
        op: Op,
        method: reqwest::Method,
        path: &str,
        query: &[(String, String)],
        body: &[u8],
    ) -> Result<Answer, ()> {
        let t0 = Instant::now();
        let result = self.api.send(method, path, query, body).await;
        let took = t0.elapsed();
        tally
            .latency
            .entry(op)
            .or_default()
            .push(took.as_micros() as u64);
        let second = self.start.elapsed().as_secs() as usize;
        if let Some(slot) = self.per_second.get(second) {
            slot.fetch_add(1, Ordering::Relaxed);
        }
        result.map_err(|why| tally.error(op, &why))
    }
}

impl Tally {
    fn error(&mut self, op: Op, why: &str) {
        *self
            .errors
            .entry(format!("{}: {why}", op.name()))
            .or_default() += 1;
    }

    /// Counts `a` as an error unless it is a 200.
    fn ok(&mut self, op: Op, a: &Answer) -> bool {
        if a.status == 200 {
            return true;
        }
        self.error(op, &format!("HTTP {} {}", a.status, a.code()));
        false
    }
}

async fn worker(shared: Arc<Shared>, id: usize, deadline: Instant, max_cycles: u64) -> Tally {
    let mut t = Tally::default();
    let pools = shared.api.pools();
    let mut i = 0u64;
    while Instant::now() < deadline && (max_cycles == 0 || i < max_cycles) {
        let label = format!("{}-w{id}-{i}", shared.run);
        i += 1;
        t.cycles += 1;
        let body = pool_body(&label);
        let Ok(a) = shared
            .timed(
                &mut t,
                Op::Create,
                reqwest::Method::POST,
                &pools,
                &[],
                &body,
            )
            .await
        else {
            continue;
        };
        if !t.ok(Op::Create, &a) {
            continue;
        }
        let name = a.body["metadata"]["name"].as_str().unwrap_or_default();
        if !name.starts_with(&format!("{label}-")) || a.body["status"] != json!({"resources": {}}) {
            t.error(Op::Create, "wrong answer (name or status)");
            continue;
        }
        let name = name.to_string();
        t.created += 1;
        let path = format!("{pools}/{name}");

        if let Ok(a) = shared
            .timed(&mut t, Op::Show, reqwest::Method::GET, &path, &[], b"")
            .await
        {
            if t.ok(Op::Show, &a)
                && (a.body["metadata"]["name"] != name.as_str()
                    || !a.body["status"]["phase"].is_string())
            {
                t.error(Op::Show, "wrong answer (name or phase)");
            }
        }

        let query = [(
            "labelSelector".to_string(),
            format!("os.modelarts/name={label}"),
        )];
        if let Ok(a) = shared
            .timed(&mut t, Op::List, reqwest::Method::GET, &pools, &query, b"")
            .await
        {
            if t.ok(Op::List, &a) {
                let items = a.body["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                if items.len() != 1 || items[0]["metadata"]["name"] != name.as_str() {
                    t.error(
                        Op::List,
                        &format!("wrong answer ({} items for one name)", items.len()),
                    );
                }
            }
        }

        if let Ok(a) = shared
            .timed(&mut t, Op::Delete, reqwest::Method::DELETE, &path, &[], b"")
            .await
        {
            if t.ok(Op::Delete, &a) {
                if a.body["status"]["phase"] == "Deleting" {
                    t.deleted += 1;
                } else {
                    t.error(Op::Delete, "wrong answer (phase not Deleting)");
                }
            }
        }
    }
    t
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(us: u64) -> String {
    format!("{:.1}", us as f64 / 1000.0)
}

/// Creates `--preload` pools, `--concurrency` at a time; returns how many.
async fn preload(args: &Args, api: &Arc<Api>, run: &str) -> Result<u64, String> {
    if args.preload == 0 {
        return Ok(0);
    }
    let t0 = Instant::now();
    let next = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..args.concurrency)
        .map(|_| {
            let (api, next, run, total) =
                (api.clone(), next.clone(), run.to_string(), args.preload);
            tokio::spawn(async move {
                let mut made = 0u64;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return Ok::<u64, String>(made);
                    }
                    let body = pool_body(&format!("{run}-pre-{i}"));
                    let a = api
                        .send(reqwest::Method::POST, &api.pools(), &[], &body)
                        .await
                        .map_err(|e| format!("preload: {e}"))?;
                    if a.status != 200 {
                        return Err(format!("preload: {} {}", a.status, a.code()));
                    }
                    made += 1;
                }
            })
        })
        .collect();
    let mut made = 0;
    for t in tasks {
        made += t.await.map_err(|e| format!("preload: {e}"))??;
    }
    eprintln!(
        "load: preloaded {made} pools in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    Ok(made)
}

/// The pools of this run the server lists, and how many of them are `Deleting`.
async fn count_run_pools(api: &Api, run: &str) -> Result<(usize, usize), String> {
    let items = api.list(&[]).await?;
    let mine: Vec<&Value> = items
        .iter()
        .filter(|p| {
            p["metadata"]["labels"]["os.modelarts/name"]
                .as_str()
                .is_some_and(|l| l.starts_with(&format!("{run}-")))
        })
        .collect();
    let deleting = mine
        .iter()
        .filter(|p| p["status"]["phase"] == "Deleting")
        .count();
    Ok((mine.len(), deleting))
}

async fn load(args: &Args, api: Api) -> Result<bool, String> {
    let api = Arc::new(api);
    let run = format!(
        "load-{:06x}",
        (SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
            & 0xff_ffff) as u64
    );
    let preloaded = preload(args, &api, &run).await?;
    let start = Instant::now();
    let deadline = start + args.duration;
    let seconds =
        args.duration.as_secs() as usize + 2 * args.request_timeout.as_secs() as usize + 4;
    let shared = Arc::new(Shared {
        api,
        run: run.clone(),
        start,
        per_second: (0..seconds).map(|_| AtomicU64::new(0)).collect(),
    });
    eprintln!(
        "load: {} workers for {:?} against {} (run {run})",
        args.concurrency, args.duration, shared.api.target.origin
    );
    let workers: Vec<_> = (0..args.concurrency)
        .map(|id| tokio::spawn(worker(shared.clone(), id, deadline, args.max_cycles)))
        .collect();
    let mut total = Tally::default();
    for w in workers {
        let t = w.await.map_err(|e| format!("a worker failed: {e}"))?;
        for (op, mut l) in t.latency {
            total.latency.entry(op).or_default().append(&mut l);
        }
        for (k, n) in t.errors {
            *total.errors.entry(k).or_default() += n;
        }
        total.created += t.created;
        total.deleted += t.deleted;
        total.cycles += t.cycles;
    }
    let elapsed = start.elapsed();

    let mut all: Vec<u64> = Vec::new();
    println!(
        "{:<8} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "op", "requests", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for op in OPS {
        let mut l = total.latency.remove(&op).unwrap_or_default();
        l.sort_unstable();
        println!(
            "{:<8} {:>8} {:>9} {:>9} {:>9} {:>9}",
            op.name(),
            l.len(),
            ms(percentile(&l, 50.0)),
            ms(percentile(&l, 90.0)),
            ms(percentile(&l, 99.0)),
            ms(l.last().copied().unwrap_or(0)),
        );
        all.extend(l);
    }
    all.sort_unstable();
    println!(
        "{:<8} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "all",
        all.len(),
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 90.0)),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or(0)),
    );
    let requests = all.len() as u64;
    println!(
        "requests {requests} in {:.1} s: {:.0} requests/s; {} cycles, {} pools created, {} deleted",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        total.cycles,
        total.created,
        total.deleted
    );
    let windows: Vec<String> = shared
        .per_second
        .chunks(10)
        .take(args.duration.as_secs().div_ceil(10) as usize)
        .map(|c| {
            let n: u64 = c.iter().map(|a| a.load(Ordering::Relaxed)).sum();
            format!("{:.0}", n as f64 / c.len() as f64)
        })
        .collect();
    println!("requests/s by 10 s window: {}", windows.join(" "));
    let errors: u64 = total.errors.values().sum();
    if errors == 0 {
        println!("errors 0");
    } else {
        println!("errors {errors}:");
        for (k, n) in &total.errors {
            println!("  {n:>8}  {k}");
        }
    }

    if args.no_final_count {
        return Ok(errors == 0);
    }
    // Deleted pools stay `Deleting` for a while, then are gone.
    let expected = preloaded + total.created - total.deleted;
    let settle_until = Instant::now() + args.settle;
    let (on_server, deleting) = loop {
        let (n, deleting) = count_run_pools(&shared.api, &run).await?;
        if n as u64 <= expected || Instant::now() >= settle_until {
            break (n, deleting);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    println!(
        "pools of this run on the server: {on_server} ({deleting} still Deleting), expected {expected} ({preloaded} preloaded + {} created - {} deleted)",
        total.created, total.deleted
    );
    Ok(errors == 0 && on_server as u64 == expected)
}

/// The emulator must serve exactly the pools the state file holds.
async fn verify_state(path: &PathBuf, api: &Api) -> Result<bool, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    if file["format"] != "poolctl-emulator-state/1" {
        return Err(format!("{}: format {}", path.display(), file["format"]));
    }
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    let pools = file["pools"].as_array().cloned().unwrap_or_default();
    let mut must = BTreeSet::new();
    let mut may = BTreeSet::new();
    for p in &pools {
        let name = p["name"].as_str().unwrap_or_default().to_string();
        match p["deleted_ms"].as_u64() {
            None => {
                must.insert(name.clone());
            }
            // Deleting: served until it is gone; allow a margin either way.
            Some(d) if d + p["delete_ms"].as_u64().unwrap_or(0) > now_ms + 1000 => {
                must.insert(name.clone());
            }
            Some(_) => {}
        }
        may.insert(name);
    }
    let listed: BTreeSet<String> = api
        .list(&[])
        .await?
        .iter()
        .filter_map(|p| p["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    let missing: Vec<_> = must.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&may).collect();
    let mut shown = 0;
    for name in &must {
        let a = api
            .send(
                reqwest::Method::GET,
                &format!("{}/{name}", api.pools()),
                &[],
                b"",
            )
            .await?;
        if a.status == 200 && a.body["metadata"]["name"] == name.as_str() {
            shown += 1;
        }
    }
    println!(
        "state {} bytes, {} pools ({} not gone): listed {}, shown {shown}, missing {}, extra {}",
        bytes.len(),
        pools.len(),
        must.len(),
        listed.len(),
        missing.len(),
        extra.len()
    );
    Ok(missing.is_empty() && extra.is_empty() && shown == must.len())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let target = match target(&args) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("load: {e}");
            return ExitCode::from(2);
        }
    };
    if args.concurrency == 0 {
        eprintln!("load: --concurrency must be at least 1");
        return ExitCode::from(2);
    }
    let http = match reqwest::Client::builder()
        .timeout(args.request_timeout)
        .pool_max_idle_per_host(args.concurrency)
        .no_proxy()
        .build()
    {
        Ok(h) => h,
        Err(e) => {
            eprintln!("load: cannot build the HTTP client: {e}");
            return ExitCode::from(2);
        }
    };
    let api = Api { target, http };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("load: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = runtime.block_on(async {
        match &args.verify_state {
            Some(path) => verify_state(path, &api).await,
            None => load(&args, api).await,
        }
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("load: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_parse_plain_and_quoted() {
        let m = parse_exports("export A=x\nexport B='a b'\\''c'\nnoise\n");
        assert_eq!(m["A"], "x");
        assert_eq!(m["B"], "a b'c");
    }

    #[test]
    fn percentiles() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), 50);
        assert_eq!(percentile(&v, 99.0), 99);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
    }
}
