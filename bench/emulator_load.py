#!/usr/bin/env python3
"""Unauthenticated load on `poolctl emulator` (issue 9; docs/reliability.md,
"The emulator as a server"): its peak memory, and whether signed requests
still get through.

    bench/emulator_load.py [--bin target/release/poolctl] [--duration 60]
                           [--idle 300] [--slow 80] [--auth none|badsig]

Starts `BIN emulator --listen 127.0.0.1:0` and, for DURATION seconds, keeps:

- IDLE connections open that send nothing (a closed one is reopened after 1 s);
- SLOW connections that each send the head of a POST announcing a 12 MB body
  (Content-Length 12000000, under the gateway's 12 MiB limit), then the body
  at 64 KiB every 0.1 s (640 KiB/s each). `--auth none` sends no credentials;
  `--auth badsig` sends the emulator's own access key, a fresh X-Sdk-Date and
  a wrong signature, so the header check passes and only the signature over
  the body can refuse it. When the server answers or closes, the connection
  is reopened after 0.5 s;
- a probe: every 0.5 s a signed `GET /v2/{project}/pools` (SDK-HMAC-SHA256,
  computed here) on a new connection, with a 10 s timeout.

Then stops the emulator with SIGTERM (it must exit 0) and prints its peak
resident memory (VmHWM from /proc/PID/status), its memory every 10 s, the
answers the slow bodies got, how often the server closed idle connections,
and the probes' latencies and failures. Exit 0 when every probe succeeded.
Linux only (it reads /proc); loopback only.
"""

import argparse
import datetime
import hashlib
import hmac
import os
import signal
import socket
import subprocess
import sys
import threading
import time

BODY_LEN = 12_000_000
CHUNK = 64 * 1024
CHUNK_EVERY = 0.1


def vm(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def mib(n):
    return "%.1f MiB" % (n / 1048576) if n is not None else "?"


def sdk_date(t=None):
    t = time.time() if t is None else t
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def signed_get(host, path, ak, sk):
    """The head of a signed GET without query or body."""
    date = sdk_date()
    canonical = "\n".join([
        "GET",
        path if path.endswith("/") else path + "/",
        "",
        "host:%s" % host,
        "x-sdk-date:%s" % date,
        "",
        "host;x-sdk-date",
        hashlib.sha256(b"").hexdigest(),
    ])
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (date, hashlib.sha256(canonical.encode()).hexdigest())
    signature = hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    auth = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-sdk-date, Signature=%s" % (ak, signature)
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nX-Sdk-Date: %s\r\nAuthorization: %s\r\n"
            "Connection: close\r\n\r\n" % (path, host, date, auth)).encode()


def read_status(sock, timeout):
    """The status of the first answer on `sock`, or None."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n


def idle_worker(addr, stop, stats):
    while not stop.is_set():
        try:
            s = socket.create_connection(addr, timeout=5)
        except OSError:
            stats.add("idle: connect failed")
            stop.wait(1)
            continue
        stats.add("idle: opened")
        s.settimeout(0.5)
        while not stop.is_set():
            try:
                if s.recv(1024) == b"":
                    stats.add("idle: closed by the server")
                    break
            except socket.timeout:
                continue
            except OSError:
                stats.add("idle: reset by the server")
                break
        s.close()
        stop.wait(1)


def slow_worker(addr, host, pools, auth, ak, stop, stats):
    chunk = b"x" * CHUNK
    while not stop.is_set():
        try:
            s = socket.create_connection(addr, timeout=5)
        except OSError:
            stats.add("slow: connect failed")
            stop.wait(0.5)
            continue
        head = "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n" % (pools, host)
        if auth == "badsig":
            head += ("X-Sdk-Date: %s\r\nAuthorization: SDK-HMAC-SHA256 Access=%s, "
                     "SignedHeaders=content-type;host;x-sdk-date, Signature=%s\r\n"
                     % (sdk_date(), ak, "0" * 64))
        head += "Content-Length: %d\r\n\r\n" % BODY_LEN
        sent = 0
        status = None
        try:
            s.sendall(head.encode())
            s.setblocking(False)
            while sent < BODY_LEN and not stop.is_set():
                # An answer (or a close) before the body is all sent?
                try:
                    peek = s.recv(4096, socket.MSG_PEEK)
                    status = read_status(s, 1) if peek else "closed"
                    break
                except BlockingIOError:
                    pass
                n = min(CHUNK, BODY_LEN - sent)
                try:
                    sent += s.send(chunk[:n])
                except BlockingIOError:
                    pass
                time.sleep(CHUNK_EVERY)
            if status is None and not stop.is_set():
                s.setblocking(True)
                status = read_status(s, 40)
        except OSError:
            status = "reset"
        s.close()
        if status is not None:
            stats.add("slow: answered %s after %s" % (status, "the whole body" if sent >= BODY_LEN else "part of the body"))
        stop.wait(0.5)


def probe(addr, host, pools, ak, sk, stop, latencies, failures):
    while not stop.is_set():
        t0 = time.monotonic()
        status = None
        try:
            s = socket.create_connection(addr, timeout=10)
            s.sendall(signed_get(host, pools, ak, sk))
            status = read_status(s, 10 - (time.monotonic() - t0))
            s.close()
        except OSError as e:
            status = "error %s" % e.__class__.__name__
        took = time.monotonic() - t0
        if status == 200:
            latencies.append(took)
        else:
            failures.append((round(took, 2), status))
        stop.wait(max(0, 0.5 - took))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", default="target/release/poolctl")
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--idle", type=int, default=300)
    p.add_argument("--slow", type=int, default=80)
    p.add_argument("--auth", choices=["none", "badsig"], default="none")
    args = p.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("POOLCTL_", "HUAWEICLOUD_"))}
    emu = subprocess.Popen([args.bin, "emulator", "--listen", "127.0.0.1:0"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    exports = {}
    while "POOLCTL_REGION" not in exports:
        line = emu.stdout.readline()
        if not line:
            sys.exit("the emulator did not start")
        if line.startswith("export "):
            k, v = line[len("export "):].strip().split("=", 1)
            exports[k] = v.strip("'")
    endpoint = exports["POOLCTL_ENDPOINT"][len("http://"):]
    host_ip, port = endpoint.rsplit(":", 1)
    addr = (host_ip, int(port))
    ak, sk = exports["HUAWEICLOUD_SDK_AK"], exports["HUAWEICLOUD_SDK_SK"]
    pools = "/v2/%s/pools" % exports["POOLCTL_PROJECT_ID"]
    print("emulator %s (pid %d) on %s; %d idle + %d slow (--auth %s), %g s"
          % (args.bin, emu.pid, endpoint, args.idle, args.slow, args.auth, args.duration))
    print("memory at start: VmRSS %s" % mib(vm(emu.pid, "VmRSS")))

    stop = threading.Event()
    stats = Stats()
    latencies, failures = [], []
    threads = [threading.Thread(target=idle_worker, args=(addr, stop, stats), daemon=True)
               for _ in range(args.idle)]
    threads += [threading.Thread(target=slow_worker, args=(addr, endpoint, pools, args.auth, ak, stop, stats),
                                 daemon=True) for _ in range(args.slow)]
    threads.append(threading.Thread(target=probe, args=(addr, endpoint, pools, ak, sk, stop, latencies, failures),
                                    daemon=True))
    for t in threads:
        t.start()
    t0 = time.monotonic()
    samples = []
    while time.monotonic() - t0 < args.duration:
        time.sleep(min(10, args.duration - (time.monotonic() - t0)))
        samples.append(vm(emu.pid, "VmRSS"))
    hwm = vm(emu.pid, "VmHWM")
    rss = vm(emu.pid, "VmRSS")
    stop.set()
    for t in threads:
        t.join(timeout=15)
    emu.send_signal(signal.SIGTERM)
    try:
        code = emu.wait(timeout=15)
    except subprocess.TimeoutExpired:
        emu.kill()
        code = "killed after 15 s"

    print("peak RSS (VmHWM): %s; RSS at the end of the load: %s" % (mib(hwm), mib(rss)))
    print("RSS every 10 s: %s" % ", ".join(mib(s) for s in samples))
    for k in sorted(stats.counts):
        print("  %s: %d" % (k, stats.counts[k]))
    latencies.sort()
    if latencies:
        pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
        print("signed probes: %d ok, p50 %.0f ms, p90 %.0f ms, max %.0f ms; %d failed %s"
              % (len(latencies), pick(0.5) * 1000, pick(0.9) * 1000, latencies[-1] * 1000,
                 len(failures), failures[:5]))
    else:
        print("signed probes: none ok; %d failed %s" % (len(failures), failures[:5]))
    print("emulator exit on SIGTERM: %s" % code)
    return 0 if not failures and latencies and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
