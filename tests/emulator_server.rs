//! `poolctl emulator` as a server facing clients that are slow, idle, too
//! many or not who they say (issue 9, "the emulator as a server";
//! docs/emulator.md, "As a server"). Each test drives the real binary over
//! raw TCP, so it sees what a hostile client would.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{run, std_poolctl, Emulator};
use poolctl::auth::signer::{self, SigningInput};
use poolctl::emulator::HEADER_READ_TIMEOUT;

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn addr(emu: &Emulator) -> SocketAddr {
    emu.get("POOLCTL_ENDPOINT")
        .strip_prefix("http://")
        .unwrap()
        .parse()
        .unwrap()
}

/// A status and a body, read from a raw socket: the head, then as many body
/// bytes as `Content-Length` says. `None` when nothing complete came in time.
fn read_answer(sock: &mut TcpStream, limit: Duration) -> Option<(u16, String)> {
    let deadline = Instant::now() + limit;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + len {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                let body = String::from_utf8_lossy(&got[end + 4..end + 4 + len]).to_string();
                return Some((status, body));
            }
        }
        let left = deadline.checked_duration_since(Instant::now())?;
        sock.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match sock.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// Whether the server has closed `sock` (EOF or reset) within `limit`.
fn closed_within(sock: &mut TcpStream, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; 1024];
    loop {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return false;
        };
        sock.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match sock.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

/// The head of a signed request (`SDK-HMAC-SHA256` over `body`, dated
/// `date`), with `Content-Length: declared`.
fn signed_head(
    emu: &Emulator,
    ak: &str,
    method: &str,
    path: &str,
    body: &[u8],
    date: u64,
    declared: usize,
) -> String {
    let host = addr(emu).to_string();
    let sdk_date = poolctl::time::sdk_date_from_unix(date);
    let headers = vec![
        ("Host".to_string(), host.clone()),
        ("X-Sdk-Date".to_string(), sdk_date.clone()),
    ];
    let auth = signer::authorization(
        &SigningInput {
            method,
            path,
            query: &[],
            headers: &headers,
            body,
        },
        ak,
        &emu.get("HUAWEICLOUD_SDK_SK"),
    );
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nX-Sdk-Date: {sdk_date}\r\n\
         Content-Type: application/json\r\nAuthorization: {auth}\r\nContent-Length: {declared}\r\n\r\n"
    )
}

fn pools_path(emu: &Emulator) -> String {
    format!("/v2/{}/pools", emu.get("POOLCTL_PROJECT_ID"))
}

/// A request whose headers cannot authenticate is answered 401 at once,
/// without waiting for its body: the client below announces 12 MB and sends
/// none of it. Before, the emulator read (and held) the whole body first.
#[test]
fn headers_that_cannot_authenticate_are_refused_before_the_body() {
    let emu = Emulator::start(&[]);
    let host = addr(&emu).to_string();
    let pools = pools_path(&emu);
    let ak = emu.get("HUAWEICLOUD_SDK_AK");
    let date = poolctl::time::sdk_date_from_unix(now_secs());
    let stale = poolctl::time::sdk_date_from_unix(now_secs() - 20 * 60);
    let declared = 12_000_000;
    let cases: Vec<(&str, String, &str)> = vec![
        ("no credentials", String::new(), "APIG.0301"),
        (
            "unknown access key",
            format!(
                "X-Sdk-Date: {date}\r\nAuthorization: SDK-HMAC-SHA256 Access=EMUNOTTHEKEY00000000, \
                 SignedHeaders=host;x-sdk-date, Signature={}\r\n",
                "0".repeat(64)
            ),
            "APIG.0301",
        ),
        (
            "malformed Authorization",
            format!("X-Sdk-Date: {date}\r\nAuthorization: SDK-HMAC-SHA256 whatever\r\n"),
            "APIG.0301",
        ),
        (
            "date out of the window",
            format!(
                "X-Sdk-Date: {stale}\r\nAuthorization: SDK-HMAC-SHA256 Access={ak}, \
                 SignedHeaders=host;x-sdk-date, Signature={}\r\n",
                "0".repeat(64)
            ),
            "APIG.0301",
        ),
        (
            "a signed header missing",
            format!(
                "X-Sdk-Date: {date}\r\nAuthorization: SDK-HMAC-SHA256 Access={ak}, \
                 SignedHeaders=host;x-not-sent;x-sdk-date, Signature={}\r\n",
                "0".repeat(64)
            ),
            "APIG.0301",
        ),
        (
            "an unknown token",
            "X-Auth-Token: not-a-token-of-this-emulator\r\n".to_string(),
            "ModelArts.50001000",
        ),
    ];
    for (what, auth, code) in cases {
        let mut sock = TcpStream::connect(addr(&emu)).unwrap();
        write!(
            sock,
            "POST {pools} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
             {auth}Content-Length: {declared}\r\n\r\n{{\"kind\":"
        )
        .unwrap();
        let t0 = Instant::now();
        let answer = read_answer(&mut sock, Duration::from_secs(3));
        let (status, body) =
            answer.unwrap_or_else(|| panic!("{what}: no answer before the body was sent"));
        assert_eq!(status, 401, "{what}: {body}");
        assert!(body.contains(code), "{what}: {body}");
        assert!(t0.elapsed() < Duration::from_secs(2), "{what}");
    }

    // A known key with a fresh date passes the header check; its signature
    // covers the body, so it is checked once the body is in.
    let body = b"{\"kind\": \"Pool\"}";
    let mut sock = TcpStream::connect(addr(&emu)).unwrap();
    let mut head = signed_head(&emu, &ak, "POST", &pools, body, now_secs(), body.len());
    head = head.replace("Signature=", "Signature=0");
    sock.write_all(head.as_bytes()).unwrap();
    sock.write_all(body).unwrap();
    let (status, text) = read_answer(&mut sock, Duration::from_secs(5)).expect("an answer");
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("signature mismatch"), "{text}");

    // A good signature over the body still goes through (a 400 from the
    // pool validation: the body is no pool).
    let mut sock = TcpStream::connect(addr(&emu)).unwrap();
    let head = signed_head(&emu, &ak, "POST", &pools, body, now_secs(), body.len());
    sock.write_all(head.as_bytes()).unwrap();
    sock.write_all(body).unwrap();
    let (status, text) = read_answer(&mut sock, Duration::from_secs(5)).expect("an answer");
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("ModelArts.50004000"), "{text}");
}

/// Connections that send nothing, half a request, or nothing after an
/// answer are closed after the header-read timeout, which is also the idle
/// keep-alive timeout. Before, they stayed open for good.
#[test]
fn idle_and_half_sent_connections_are_closed() {
    let emu = Emulator::start(&[]);
    let silent = TcpStream::connect(addr(&emu)).unwrap();
    let mut half = TcpStream::connect(addr(&emu)).unwrap();
    half.write_all(b"GET /v2/x/pools HTTP/1.1\r\nHost: a\r\nX-Slow: ")
        .unwrap();
    let mut kept = TcpStream::connect(addr(&emu)).unwrap();
    kept.write_all(b"GET /v2/x/pools HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    let (status, _) = read_answer(&mut kept, Duration::from_secs(5)).expect("an answer");
    assert_eq!(status, 401);
    let t0 = Instant::now();
    let mut socks = [silent, half, kept];
    for (i, sock) in socks.iter_mut().enumerate() {
        assert!(
            !closed_within(sock, Duration::from_millis(200)),
            "connection {i} closed at once"
        );
    }
    for (i, sock) in socks.iter_mut().enumerate() {
        let left = (HEADER_READ_TIMEOUT + Duration::from_secs(3)).saturating_sub(t0.elapsed());
        assert!(
            closed_within(sock, left),
            "connection {i} still open after {:?}",
            t0.elapsed()
        );
    }
    assert!(t0.elapsed() >= HEADER_READ_TIMEOUT - Duration::from_secs(1));
}

/// More idle connections than the cap: the ones idle the longest are closed
/// to make room, and a signed request still gets its answer at once.
/// Before, every connection was kept, with no cap.
#[test]
fn connections_are_capped_and_signed_requests_still_pass() {
    use poolctl::emulator::MAX_CONNECTIONS;
    let emu = Emulator::start(&[]);
    let extra = 44;
    // The first is the oldest by far: the others come after a pause, so
    // their idle times never tie with it (they are kept in milliseconds).
    let mut socks = vec![TcpStream::connect(addr(&emu)).unwrap()];
    std::thread::sleep(Duration::from_millis(50));
    socks.extend((1..MAX_CONNECTIONS + extra).map(|_| TcpStream::connect(addr(&emu)).unwrap()));
    // Let the server accept them all.
    std::thread::sleep(Duration::from_millis(500));
    let t0 = Instant::now();
    let r = run(emu.poolctl().args(["list", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        t0.elapsed() < Duration::from_secs(3),
        "a signed list took {:?} with the server full of idle connections",
        t0.elapsed()
    );
    let closed = socks
        .iter_mut()
        .filter_map(|s| closed_within(s, Duration::from_millis(5)).then_some(()))
        .count();
    assert!(
        closed > extra,
        "{closed} of {} idle connections closed; the cap is {MAX_CONNECTIONS}",
        MAX_CONNECTIONS + extra
    );
    // The oldest went first.
    assert!(closed_within(&mut socks[0], Duration::from_millis(5)));
}

/// `--listen 0.0.0.0:0` says where it really listens, warns that this is
/// not loopback, and still gives clients here a loopback endpoint.
#[cfg(unix)]
#[test]
fn the_bound_address_is_printed_and_a_non_loopback_one_warned_about() {
    for (listen, warned) in [("0.0.0.0:0", true), ("127.0.0.1:0", false)] {
        let mut child = std_poolctl()
            .args(["emulator", "--listen", listen])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut text = String::new();
        while !text.contains("serving on") {
            if stderr.read_line(&mut text).unwrap() == 0 {
                break;
            }
        }
        let mut stdout = String::new();
        let status = StdCommand::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let code = child.wait().unwrap().code();
        stderr.read_to_string(&mut text).unwrap();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        assert_eq!(code, Some(0), "{text}");
        let port = stdout
            .lines()
            .find_map(|l| l.strip_prefix("export POOLCTL_ENDPOINT=http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("clients here get a loopback endpoint: {stdout}"));
        let ip = listen.split(':').next().unwrap();
        assert!(
            text.contains(&format!("serving on http://{ip}:{port} ")),
            "{listen}: {text}"
        );
        assert_eq!(
            text.contains("warning:") && text.contains("not a loopback address"),
            warned,
            "{listen}: {text}"
        );
    }
}

/// A request head over 64 KiB is refused (431) without being buffered
/// further. Before, hyper's default let about 400 KB through.
#[test]
fn a_request_head_over_64_kib_is_refused() {
    let emu = Emulator::start(&[]);
    for (size, status) in [(60_000, 401), (66_000, 431), (300_000, 431)] {
        let mut sock = TcpStream::connect(addr(&emu)).unwrap();
        let head = format!(
            "GET /v2/x/pools HTTP/1.1\r\nHost: a\r\nX-Big: {}\r\n\r\n",
            "a".repeat(size)
        );
        // The server may close before it has read it all.
        let _ = sock.write_all(head.as_bytes());
        let answer = read_answer(&mut sock, Duration::from_secs(5));
        assert_eq!(answer.map(|(s, _)| s), Some(status), "{size}");
    }
}

/// Keeps `n` connections open that each sent half a request head without
/// credentials, reopening each one the server closes, until dropped.
struct HalfSentFlood {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<usize>>,
}

impl HalfSentFlood {
    fn start(to: SocketAddr, n: usize) -> HalfSentFlood {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let open = move || -> Option<TcpStream> {
            let mut s = TcpStream::connect_timeout(&to, Duration::from_millis(500)).ok()?;
            s.write_all(b"GET /v2/x/pools HTTP/1.1\r\nHo").ok()?;
            s.set_nonblocking(true).ok()?;
            Some(s)
        };
        let thread = std::thread::spawn(move || {
            let mut socks: Vec<Option<TcpStream>> = (0..n).map(|_| open()).collect();
            let mut reopened = 0;
            while !stopping.load(Ordering::Relaxed) {
                for slot in socks.iter_mut() {
                    let closed = match slot {
                        None => true,
                        Some(s) => {
                            let mut buf = [0u8; 512];
                            match s.read(&mut buf) {
                                Ok(0) => true,
                                Ok(_) => false,
                                Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
                            }
                        }
                    };
                    if closed {
                        *slot = open();
                        reopened += 1;
                    }
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            reopened
        });
        HalfSentFlood {
            stop,
            thread: Some(thread),
        }
    }

    /// How many connections were reopened after the server closed them.
    fn stop(mut self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap()
    }
}

impl Drop for HalfSentFlood {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// 400 connections, over the cap of 256, each holding half a request head
/// without credentials and reopened as soon as it is closed: a signed
/// `poolctl list` still answers at once. Before, each eviction waited 250 ms
/// for the evicted connection to end, one at a time, and a new connection
/// queued behind the flood's reconnections: the list took 6 to 76 s.
#[test]
fn a_flood_of_half_sent_heads_never_delays_a_signed_request() {
    let emu = Emulator::start(&[]);
    let flood = HalfSentFlood::start(addr(&emu), 400);
    std::thread::sleep(Duration::from_millis(1500));
    for i in 0..3 {
        let t0 = Instant::now();
        let r = run(emu
            .poolctl()
            .args(["list", "-o", "json", "--request-timeout", "5s"]));
        let took = t0.elapsed();
        assert_eq!(r.code, 0, "list {i}: {}", r.stderr);
        assert!(
            took < Duration::from_secs(2),
            "list {i} took {took:?} under a flood of half-sent heads: {}",
            r.stderr
        );
    }
    let reopened = flood.stop();
    assert!(
        reopened > 144,
        "the flood was held off: {reopened} reopened"
    );
}

/// 260 connections with the emulator's access key (printed in the exports)
/// and a wrong signature, each sending 1 byte of a 100-byte body, then
/// nothing: with every slot in a body read, a new connection takes the slot
/// of the body read that began the longest ago (at least
/// BODY_SHED_AFTER ago), which is answered 408. Before, every slot was held
/// for the 30 s body-read timeout and a signed `poolctl list` took 27 s.
#[test]
fn stalled_bodies_with_the_access_key_do_not_lock_signed_requests_out() {
    use poolctl::emulator::{BODY_SHED_AFTER, MAX_CONNECTIONS};
    let emu = Emulator::start(&[]);
    let ak = emu.get("HUAWEICLOUD_SDK_AK");
    let pools = pools_path(&emu);
    let body = vec![b'{'; 100];
    let mut socks: Vec<TcpStream> = (0..MAX_CONNECTIONS + 4)
        .map(|_| {
            let mut s = TcpStream::connect(addr(&emu)).unwrap();
            let head = signed_head(&emu, &ak, "POST", &pools, &body, now_secs(), body.len())
                .replace("Signature=", "Signature=0");
            s.write_all(head.as_bytes()).unwrap();
            s.write_all(&body[..1]).unwrap();
            s
        })
        .collect();
    let t0 = Instant::now();
    let r = run(emu
        .poolctl()
        .args(["list", "-o", "json", "--request-timeout", "20s"]));
    let took = t0.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        took < BODY_SHED_AFTER + Duration::from_secs(2),
        "a signed list took {took:?} with every slot in a stalled body: {}",
        r.stderr
    );
    // The first ones were cut, with a 408 that says why.
    let (status, text) = read_answer(&mut socks[0], Duration::from_secs(3))
        .expect("the oldest stalled body is answered");
    assert_eq!(status, 408, "{text}");
    assert!(text.contains("ModelArts.50004000"), "{text}");
}

/// A non-loopback IPv4 address of this machine, if it has one: the source
/// address the routing table picks (a UDP `connect` sends nothing).
fn lan_ipv4() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("10.255.255.255:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// `poolctl emulator --listen LISTEN`, running: its export lines and what
/// it said on stderr up to `serving on`.
#[cfg(unix)]
struct Served {
    child: std::process::Child,
    stdout: String,
    stderr: String,
}

#[cfg(unix)]
impl Served {
    fn start(listen: &str) -> Served {
        let mut child = std_poolctl()
            .args(["emulator", "--listen", listen])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = |from: Box<dyn Read + Send>| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(from).lines() {
                    if tx.send(line.unwrap_or_default()).is_err() {
                        break;
                    }
                }
            });
            rx
        };
        let out = lines(Box::new(child.stdout.take().unwrap()));
        let err = lines(Box::new(child.stderr.take().unwrap()));
        let mut stderr = String::new();
        while !stderr.contains("serving on") {
            let Ok(line) = err.recv_timeout(Duration::from_secs(20)) else {
                break;
            };
            stderr.push_str(&line);
            stderr.push('\n');
        }
        // Every export line is written before `serving on`, a warning right
        // after it.
        let drain = |rx: &std::sync::mpsc::Receiver<String>, text: &mut String| {
            while let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) {
                text.push_str(&line);
                text.push('\n');
            }
        };
        let mut stdout = String::new();
        drain(&out, &mut stdout);
        drain(&err, &mut stderr);
        Served {
            child,
            stdout,
            stderr,
        }
    }

    fn exports(&self) -> Vec<(String, String)> {
        self.stdout
            .lines()
            .filter_map(|l| l.strip_prefix("export ")?.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// SIGTERM, and the exit code.
    fn stop(mut self) -> Option<i32> {
        StdCommand::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap().code()
    }
}

/// Listening on a LAN address, the exports point at it, and a client
/// refuses plain http to another host unless told: the exports end with
/// `POOLCTL_ALLOW_PLAIN_HTTP=1`, and the warning says credentials cross the
/// network in cleartext. Before, `poolctl list` with the exports exited 2.
/// Loopback and all-interfaces listens (exports on 127.0.0.1) get no opt-in.
#[cfg(unix)]
#[test]
fn a_lan_address_exports_the_plain_http_opt_in() {
    for listen in ["0.0.0.0:0", "127.0.0.1:0"] {
        let served = Served::start(listen);
        let (stdout, stderr) = (served.stdout.clone(), served.stderr.clone());
        assert_eq!(served.stop(), Some(0), "{stderr}");
        assert!(
            stdout.starts_with("export POOLCTL_ENDPOINT=http://127.0.0.1:"),
            "{listen}: {stdout}"
        );
        assert!(!stdout.contains("ALLOW_PLAIN_HTTP"), "{listen}: {stdout}");
        assert!(!stderr.contains("cleartext"), "{listen}: {stderr}");
    }
    let Some(ip) = lan_ipv4() else {
        eprintln!("skipped: this machine has no non-loopback IPv4 address");
        return;
    };
    let served = Served::start(&format!("{ip}:0"));
    let (stdout, stderr) = (served.stdout.clone(), served.stderr.clone());
    let mut list = common::poolctl();
    for (k, v) in served.exports() {
        list.env(k, v);
    }
    let r = run(list.args(["list", "-o", "json"]));
    assert_eq!(served.stop(), Some(0), "{stderr}");
    assert_eq!(
        stdout.lines().last().unwrap_or_default(),
        "export POOLCTL_ALLOW_PLAIN_HTTP=1",
        "{stdout}"
    );
    assert!(
        stdout.starts_with(&format!("export POOLCTL_ENDPOINT=http://{ip}:")),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning:")
            && stderr.contains("not a loopback address")
            && stderr.contains("cleartext"),
        "{stderr}"
    );
    // The exports work as they are.
    assert_eq!(r.code, 0, "{}", r.stderr);
}
