//! The emulator's pools, in memory and (with `--state FILE`) on disk.
//!
//! The file is rewritten after every change: a new temporary file in the
//! same directory (an unpredictable name, created exclusively, so never an
//! existing file nor a symlink; mode 600), fsync, rename over the target,
//! fsync the directory. A reader (or a crash) therefore only ever sees the
//! old or the new whole file; the temporary files of writers that were
//! killed are removed at the next start. Writes run one at a time, in tasks
//! of their own, and take every change made while the previous one was under
//! way. Pools keep their timestamps, not their phases, so a restarted
//! emulator carries on each lifecycle where the clock says it is.
//!
//! `FILE` is resolved first (symlinks followed), and the emulator works on
//! the file it names: the lock, the reads and the writes. It holds an
//! exclusive lock on `FILE.lock` beside that file for as long as it runs,
//! taken before the file is read: a second emulator on the same file, by
//! whatever path, refuses to start and leaves it alone. The file is read
//! only if it is a regular file, with a size bound, and everything in it is
//! checked (the credentials, every pool), so a malformed one is refused at
//! start, by name, rather than failing every `list` later.

use std::collections::HashSet;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::rng;

/// Written in the file so a different file is refused, not misread.
pub const FORMAT: &str = "poolctl-emulator-state/1";

/// The biggest state file read: about 30,000 pools.
pub const MAX_STATE_BYTES: u64 = 64 * 1024 * 1024;

/// Appended to the state file's name for the lock file beside it.
pub const STATE_LOCK_SUFFIX: &str = ".lock";

/// The AK/SK and project id a client needs. The SK never appears in `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub ak: String,
    pub sk: String,
    pub project_id: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("ak", &self.ak)
            .field("sk", &crate::redact::REDACTED)
            .field("project_id", &self.project_id)
            .finish()
    }
}

/// One flavor of a pool and its node count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlavorCount {
    pub flavor: String,
    pub count: u64,
}

/// A pool as the emulator keeps it: what the create call answered, plus the
/// timestamps its status is derived from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPool {
    /// `metadata.name`, the pool id.
    pub name: String,
    /// The `os.modelarts/name` label.
    pub label: String,
    pub workspace: String,
    /// `Dedicate` or `Logical`.
    pub pool_type: String,
    pub resources: Vec<FlavorCount>,
    pub scope: Vec<String>,
    pub parent: Option<String>,
    /// Unix milliseconds.
    pub created_ms: u64,
    /// Time from creation to the end of provisioning, fixed at creation (so a
    /// restart with another `--provision-time` does not move running pools).
    pub provision_ms: u64,
    /// Unix milliseconds of the delete call, if any.
    pub deleted_ms: Option<u64>,
    /// How long the pool stays `Deleting`.
    pub delete_ms: u64,
    /// Unix milliseconds of the pay call for the pool's order, if it came
    /// (an unpaid order is paid automatically: see `lifecycle`). Absent in
    /// state files written before orders.
    #[serde(default)]
    pub paid_ms: Option<u64>,
    /// The scales of the pool, oldest first: one for each PATCH that changed
    /// `spec.resources` (see `lifecycle`). Absent in state files written
    /// before PATCH.
    #[serde(default)]
    pub scales: Vec<Scale>,
    /// `kind`, `apiVersion`, `metadata`, `spec` as the create call answered
    /// them, with every PATCH since applied.
    pub object: Value,
}

/// One scale of a pool: a PATCH that changed `spec.resources`. What the
/// pool shows from then on is derived from it and the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    /// Unix milliseconds of the PATCH.
    pub at_ms: u64,
    /// The nodes of each flavor there when it came (available or abnormal,
    /// nodes still leaving included, nodes still coming not).
    pub from: Vec<FlavorCount>,
    /// The node counts it asked for: `spec.resources` after it.
    pub to: Vec<FlavorCount>,
    /// The flavors whose added nodes never come: sold out in every zone
    /// their entry may use, as it was then. Empty for a scale that succeeds.
    #[serde(default)]
    pub sold_out: Vec<SoldOut>,
}

/// A flavor a scale could not add nodes of, and the zones it tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoldOut {
    pub flavor: String,
    pub azs: Vec<String>,
}

impl StoredPool {
    /// Gone for good: deleted and past its `Deleting` time.
    pub fn is_gone(&self, now_ms: u64) -> bool {
        self.deleted_ms
            .is_some_and(|d| now_ms >= d.saturating_add(self.delete_ms))
    }
}

#[derive(Debug, Deserialize)]
struct StateFile {
    format: String,
    credentials: Option<Credentials>,
    /// Read one by one, so an error can name the pool.
    pools: Vec<Value>,
}

/// A state file, read and checked.
struct Loaded {
    credentials: Option<Credentials>,
    pools: Vec<StoredPool>,
}

fn invalid(path: &Path, why: impl fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{}: not a poolctl emulator state file ({why})",
            path.display()
        ),
    )
}

/// Reads at most [`MAX_STATE_BYTES`] of `path`; `None` when it does not
/// exist. Anything but a regular file (a FIFO, a device, a directory) is
/// refused before it is opened: reading a FIFO waits for a writer forever,
/// `/dev/zero` never ends. The open does not block either way (`O_NONBLOCK`)
/// and the check is made again on what was opened, in case the file was
/// replaced in between.
fn read_bounded(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let with_path = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let not_regular = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a regular file", path.display()),
        )
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => return Err(not_regular()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(with_path(e)),
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(with_path(e)),
    };
    if !file.metadata().map_err(with_path)?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(MAX_STATE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(with_path)?;
    if bytes.len() as u64 > MAX_STATE_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "{}: larger than {} MiB, the most a state file may hold",
                path.display(),
                MAX_STATE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(Some(bytes))
}

/// Reads a state file. A missing or empty file is no state (so `mktemp`
/// output works); anything else that does not parse, or holds a malformed
/// pool, is an error that names the file (and the pool).
fn read_file(path: &Path) -> io::Result<Option<Loaded>> {
    let Some(bytes) = read_bounded(path)? else {
        return Ok(None);
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let file: StateFile = serde_json::from_slice(&bytes).map_err(|e| invalid(path, e))?;
    if file.format != FORMAT {
        return Err(invalid(
            path,
            format!("format `{}`, expected `{FORMAT}`", file.format),
        ));
    }
    if let Some(c) = &file.credentials {
        check_credentials(c).map_err(|why| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: malformed credentials: {why}", path.display()),
            )
        })?;
    }
    let mut names = HashSet::new();
    let mut pools = Vec::with_capacity(file.pools.len());
    for (i, value) in file.pools.into_iter().enumerate() {
        let which = match value.get("name").and_then(Value::as_str) {
            Some(name) => format!("pool {i} `{}`", super::reply::shorten(name).escape_debug()),
            None => format!("pool {i}"),
        };
        let malformed = |why: String| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: malformed {which}: {why}", path.display()),
            )
        };
        let pool: StoredPool =
            serde_json::from_value(value).map_err(|e| malformed(e.to_string()))?;
        check_pool(&pool).map_err(malformed)?;
        if !names.insert(pool.name.clone()) {
            return Err(malformed("another pool has the same name".into()));
        }
        pools.push(pool);
    }
    Ok(Some(Loaded {
        credentials: file.credentials,
        pools,
    }))
}

/// Saved credentials are served, and printed in `export` lines: each must
/// be visible ASCII (0x21-0x7e), not empty. The message names the field and
/// never shows the value (the SK is one of them).
fn check_credentials(c: &Credentials) -> Result<(), String> {
    for (field, value) in [("ak", &c.ak), ("sk", &c.sk), ("project_id", &c.project_id)] {
        if value.is_empty() {
            return Err(format!("`{field}` is empty"));
        }
        if let Some(at) = value.chars().position(|c| !matches!(c, '\x21'..='\x7e')) {
            return Err(format!(
                "`{field}` must be visible ASCII characters (0x21-0x7e): character {} is not",
                at + 1
            ));
        }
    }
    Ok(())
}

/// What show, list and the lifecycle rely on in a stored pool.
fn check_pool(p: &StoredPool) -> Result<(), String> {
    if p.name.is_empty() || p.label.is_empty() {
        return Err("`name` and `label` must not be empty".into());
    }
    if !["Dedicate", "Logical"].contains(&p.pool_type.as_str()) {
        return Err(format!(
            "`pool_type` must be Dedicate or Logical, not `{}`",
            super::reply::shorten(&p.pool_type).escape_debug()
        ));
    }
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    if !p.object.is_object() {
        return Err(format!(
            "`object` must be the pool object (kind, apiVersion, metadata, spec), not {}",
            kind(&p.object)
        ));
    }
    let metadata = &p.object["metadata"];
    if metadata["name"].as_str() != Some(p.name.as_str()) {
        return Err("`object.metadata.name` must be the pool's `name`".into());
    }
    for (field, value) in [
        ("object.metadata.labels", &metadata["labels"]),
        ("object.spec", &p.object["spec"]),
    ] {
        if !value.is_object() {
            return Err(format!("`{field}` must be an object, not {}", kind(value)));
        }
    }
    check_scales(p)
}

/// What the lifecycle relies on in a pool's scales: in time order, each
/// flavor once in `from` and `to`, a sold-out flavor one the scale added
/// nodes of, and the last scale asking for the pool's `resources`.
fn check_scales(p: &StoredPool) -> Result<(), String> {
    let once = |list: &[FlavorCount], field: &str, i: usize| -> Result<(), String> {
        let mut seen = HashSet::new();
        for r in list {
            if r.flavor.is_empty() {
                return Err(format!("`scales[{i}].{field}` has a flavor with no name"));
            }
            if !seen.insert(r.flavor.as_str()) {
                return Err(format!(
                    "`scales[{i}].{field}` has flavor `{}` twice",
                    super::reply::shorten(&r.flavor).escape_debug()
                ));
            }
        }
        Ok(())
    };
    let count = |list: &[FlavorCount], flavor: &str| {
        list.iter()
            .find(|r| r.flavor == flavor)
            .map_or(0, |r| r.count)
    };
    for (i, s) in p.scales.iter().enumerate() {
        once(&s.from, "from", i)?;
        once(&s.to, "to", i)?;
        if i > 0 && s.at_ms < p.scales[i - 1].at_ms {
            return Err(format!(
                "`scales[{i}].at_ms` is before the scale listed before it"
            ));
        }
        for b in &s.sold_out {
            if count(&s.to, &b.flavor) <= count(&s.from, &b.flavor) {
                return Err(format!(
                    "`scales[{i}].sold_out` names flavor `{}`, which the scale adds no node of",
                    super::reply::shorten(&b.flavor).escape_debug()
                ));
            }
        }
    }
    if let Some(last) = p.scales.last() {
        if last.to != p.resources {
            return Err("the last of `scales` must ask for the pool's `resources` (`to`)".into());
        }
    }
    Ok(())
}

/// The file `path` names: symlinks followed to the end, even when the last
/// one points at a file not there yet, then made absolute, without `.` or
/// `..`. Two paths to one file resolve to the same, so they share its lock.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let failed = |e: io::Error| {
        io::Error::new(
            e.kind(),
            format!("cannot resolve the state file {}: {e}", path.display()),
        )
    };
    let mut at = std::path::absolute(path).map_err(failed)?;
    // As many hops as Linux allows (ELOOP).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&at).map_err(failed)?;
                let (dir, _) = split(&at).map_err(failed)?;
                at = dir.join(target);
            }
            Ok(_) => return std::fs::canonicalize(&at).map_err(failed),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let (dir, name) = split(&at).map_err(failed)?;
                let dir = std::fs::canonicalize(&dir).map_err(failed)?;
                return Ok(dir.join(name));
            }
            Err(e) => return Err(failed(e)),
        }
    }
    Err(failed(io::Error::other(
        "too many levels of symbolic links",
    )))
}

/// The directory and file name of `path`.
fn split(path: &Path) -> io::Result<(PathBuf, String)> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "state path has no file name"))?
        .to_string_lossy()
        .into_owned();
    Ok((dir, name))
}

/// Options that create a file readable by its owner only (it holds the SK)
/// and never open one through a symlink.
fn owner_only(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options
}

/// A new temporary file beside the state file: an unpredictable name,
/// created exclusively (`O_CREAT|O_EXCL`: never a file that exists, never
/// through a symlink), mode 600.
fn create_temporary(dir: &Path, file_name: &str) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..8 {
        let tmp = dir.join(format!(".{file_name}.tmp-{:016x}", rng::os_random_u64()));
        match owner_only(OpenOptions::new().write(true).create_new(true)).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// Writes `bytes` to `path` so that no reader ever sees a partial file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (dir, file_name) = split(path)?;
    let mut created = None;
    let result = (|| {
        let (tmp, mut file) = create_temporary(&dir, &file_name)?;
        created = Some(tmp.clone());
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        created = None;
        // The rename itself is durable only once the directory is synced.
        #[cfg(unix)]
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Some(tmp) = created {
        // Ours: created exclusively above.
        let _ = std::fs::remove_file(tmp);
    }
    result.map_err(|e: io::Error| {
        io::Error::new(
            e.kind(),
            format!("cannot write state file {}: {e}", path.display()),
        )
    })
}

/// The exclusive lock on `FILE.lock`, held while the file is in use.
/// Released when dropped (or when the process ends, however it ends).
struct Lock(#[allow(dead_code)] File);

impl Lock {
    /// Locks the resolved file `path`; `given` is how the user named it.
    fn take(path: &Path, given: &Path) -> io::Result<Lock> {
        let mut name = path.as_os_str().to_owned();
        name.push(STATE_LOCK_SUFFIX);
        let lock_path = PathBuf::from(name);
        let file = owner_only(OpenOptions::new().read(true).write(true).create(true))
            .open(&lock_path)
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot open the lock file {}: {e}", lock_path.display()),
                )
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Lock(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::ResourceBusy,
                format!(
                    "{} is in use by another poolctl emulator (it holds {})",
                    given.display(),
                    lock_path.display()
                ),
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(io::Error::new(
                e.kind(),
                format!("cannot lock {}: {e}", lock_path.display()),
            )),
        }
    }
}

struct Inner {
    /// Shared with the readers and the writer: a read or a snapshot copies
    /// pointers, never the pools.
    pools: Vec<Arc<StoredPool>>,
    /// Bumped on every change; the writer skips snapshots older than the file.
    version: u64,
}

/// What the store and its writer tasks share.
struct Shared {
    path: Option<PathBuf>,
    credentials: Credentials,
    inner: Mutex<Inner>,
    /// The version on disk. Held across the write, so files land in order and
    /// one at a time.
    written: tokio::sync::Mutex<u64>,
    /// The lock on the file, until [`Store::close`].
    file_lock: Mutex<Option<Lock>>,
    /// Set by [`Store::close`]: no write after it.
    closed: AtomicBool,
    #[cfg(test)]
    writers: Arc<Writers>,
}

/// Tests only: writes under way, the most ever at once, and a gate that
/// holds every write until it opens.
#[cfg(test)]
#[derive(Default)]
struct Writers {
    now: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
    gate_closed: std::sync::atomic::AtomicBool,
}

/// The pools, shared by all requests.
pub struct Store {
    shared: Arc<Shared>,
}

/// The state file's bytes: pretty JSON and a final newline.
fn encode(credentials: &Credentials, pools: &[Arc<StoredPool>]) -> Vec<u8> {
    #[derive(Serialize)]
    struct View<'a> {
        format: &'a str,
        credentials: Option<&'a Credentials>,
        pools: Vec<&'a StoredPool>,
    }
    let view = View {
        format: FORMAT,
        credentials: Some(credentials),
        pools: pools.iter().map(|p| &**p).collect(),
    };
    // Plain data with string keys: serialisation cannot fail.
    let mut bytes = serde_json::to_vec_pretty(&view).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Removes the temporary files that writers killed mid-write (`kill -9`, a
/// crash) left next to `path`. Called with the lock held: no other emulator
/// writes there, so every one of them is a leftover. A symlink is removed,
/// never followed.
fn remove_stale_temporaries(path: &Path) {
    let Ok((dir, name)) = split(path) else {
        return;
    };
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let leftover = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if leftover {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Store {
    /// Resolves `path` (symlinks followed) and locks the file it names (a
    /// second emulator on it, by any path, is refused), then loads it if it
    /// exists, and writes it once with its credentials, so a restart finds
    /// them even before the first pool is created. The credentials are the
    /// file's, if it holds some, else `credentials`. Nothing is read unless
    /// the lock is taken, and nothing written unless the file was read and
    /// checked.
    pub fn open(given: Option<PathBuf>, credentials: Credentials) -> io::Result<Store> {
        let path = given.as_deref().map(resolve).transpose()?;
        let lock = match (&path, &given) {
            (Some(path), Some(given)) => Some(Lock::take(path, given)?),
            _ => None,
        };
        let loaded = match &path {
            Some(p) => read_file(p)?,
            None => None,
        };
        let (saved, pools) = match loaded {
            Some(f) => (f.credentials, f.pools),
            None => (None, Vec::new()),
        };
        let credentials = saved.unwrap_or(credentials);
        let pools: Vec<Arc<StoredPool>> = pools.into_iter().map(Arc::new).collect();
        if let Some(p) = &path {
            remove_stale_temporaries(p);
            write_atomic(p, &encode(&credentials, &pools))?;
        }
        Ok(Store {
            shared: Arc::new(Shared {
                path,
                credentials,
                inner: Mutex::new(Inner { pools, version: 0 }),
                written: tokio::sync::Mutex::new(0),
                file_lock: Mutex::new(lock),
                closed: AtomicBool::new(false),
                #[cfg(test)]
                writers: Arc::default(),
            }),
        })
    }

    /// The credentials served: the state file's, if it held some.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// Waits for a write under way, then lets go of the file: its lock is
    /// released and later changes are refused (the server has stopped).
    pub async fn close(&self) {
        let _written = self.shared.written.lock().await;
        self.shared.closed.store(true, Ordering::SeqCst);
        drop(
            self.shared
                .file_lock
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take(),
        );
    }

    /// The number of changes so far (0 at start): a request that changed
    /// nothing leaves it as it was.
    pub fn version(&self) -> u64 {
        self.shared.lock().version
    }

    /// Runs `f` on the pools that are not gone for good, outside the lock.
    pub fn read<R>(&self, now_ms: u64, f: impl FnOnce(&[Arc<StoredPool>]) -> R) -> R {
        let live: Vec<Arc<StoredPool>> = self
            .shared
            .lock()
            .pools
            .iter()
            .filter(|p| !p.is_gone(now_ms))
            .cloned()
            .collect();
        f(&live)
    }

    /// Runs `f` on the pools under the lock; `f` says whether it changed
    /// anything. The pools that are gone for good are dropped first. A change
    /// is on disk before this returns, so a client that saw the answer can
    /// count on it surviving a restart.
    ///
    /// Changes made while a write is under way go to disk together in the next
    /// one. The write runs in a task of its own: a request dropped halfway
    /// (its client hung up) leaves it to finish, and the next write waits.
    pub async fn update<R>(
        &self,
        now_ms: u64,
        f: impl FnOnce(&mut Vec<Arc<StoredPool>>) -> (R, bool),
    ) -> io::Result<R> {
        let (result, version) = {
            let mut inner = self.shared.lock();
            let before = inner.pools.len();
            inner.pools.retain(|p| !p.is_gone(now_ms));
            let (result, changed) = f(&mut inner.pools);
            if changed || inner.pools.len() != before {
                inner.version += 1;
                (result, Some(inner.version))
            } else {
                (result, None)
            }
        };
        if let (Some(version), Some(_)) = (version, &self.shared.path) {
            let shared = self.shared.clone();
            tokio::spawn(async move { shared.write_at_least(version).await })
                .await
                .map_err(|e| io::Error::other(format!("state writer stopped: {e}")))??;
        }
        Ok(result)
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Returns once the file holds `version` or a later one.
    async fn write_at_least(self: Arc<Self>, version: u64) -> io::Result<()> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let mut written = self.written.lock().await;
        if *written >= version {
            return Ok(());
        }
        if self.closed.load(Ordering::SeqCst) {
            return Err(io::Error::other(
                "the emulator is stopping: the change is not saved",
            ));
        }
        // Taken after the writer lock: at least as new as `version`, with
        // every change made while the previous write was under way.
        let (pools, snapshot) = {
            let inner = self.lock();
            (inner.pools.clone(), inner.version)
        };
        let credentials = self.credentials.clone();
        #[cfg(test)]
        let writers = self.writers.clone();
        tokio::task::spawn_blocking(move || {
            #[cfg(test)]
            {
                use std::sync::atomic::Ordering::SeqCst;
                let n = writers.now.fetch_add(1, SeqCst) + 1;
                writers.most.fetch_max(n, SeqCst);
                while writers.gate_closed.load(SeqCst) {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            }
            let done = write_atomic(&path, &encode(&credentials, &pools));
            #[cfg(test)]
            writers
                .now
                .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            done
        })
        .await
        .map_err(|e| io::Error::other(format!("state writer stopped: {e}")))??;
        *written = snapshot;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            ak: "EMUAK".into(),
            sk: "secret-sk".into(),
            project_id: "p".into(),
        }
    }

    fn pool(name: &str) -> StoredPool {
        StoredPool {
            name: name.into(),
            label: name.into(),
            workspace: "0".into(),
            pool_type: "Dedicate".into(),
            resources: vec![FlavorCount {
                flavor: "f".into(),
                count: 1,
            }],
            scope: vec![],
            parent: None,
            created_ms: 1_000,
            provision_ms: 100,
            deleted_ms: None,
            delete_ms: 200,
            paid_ms: None,
            scales: Vec::new(),
            object: serde_json::json!({
                "kind": "Pool", "apiVersion": "v2",
                "metadata": {"name": name, "labels": {}}, "spec": {}
            }),
        }
    }

    #[test]
    fn debug_never_shows_the_sk() {
        let text = format!("{:?}", creds());
        assert!(!text.contains("secret-sk"), "{text}");
    }

    #[tokio::test]
    async fn pools_and_credentials_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let store = Store::open(Some(path.clone()), creds()).unwrap();
        assert_eq!(
            read_file(&path).unwrap().unwrap().credentials,
            Some(creds())
        );
        store
            .update(0, |pools| {
                pools.push(Arc::new(pool("a")));
                ((), true)
            })
            .await
            .unwrap();
        // Locked while the store is open, free once it is closed.
        let err = Store::open(Some(path.clone()), creds()).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::ResourceBusy, "{err}");
        assert!(
            err.to_string().contains("another poolctl emulator"),
            "{err}"
        );
        store.close().await;
        let again = Store::open(Some(path.clone()), creds()).unwrap();
        assert_eq!(again.read(0, |p| p.to_vec()), vec![Arc::new(pool("a"))]);
        // No temporary file is left behind; the lock file stays.
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["state.json", "state.json.lock"]);
        #[cfg(unix)]
        for name in names {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(&name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    /// A closed store refuses changes instead of writing without its lock.
    #[tokio::test]
    async fn no_write_after_close() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let store = Store::open(Some(path.clone()), creds()).unwrap();
        store.close().await;
        let before = std::fs::read(&path).unwrap();
        let err = store
            .update(0, |pools| {
                pools.push(Arc::new(pool("late")));
                ((), true)
            })
            .await
            .unwrap_err();
        assert!(err.to_string().contains("stopping"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    /// The temporary file is created exclusively: an existing file or a
    /// symlink at its name is never opened, let alone written.
    #[cfg(unix)]
    #[test]
    fn temporaries_are_created_exclusively_and_never_through_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let (tmp, _file) = create_temporary(dir.path(), "state.json").unwrap();
        let name = tmp.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            name.starts_with(".state.json.tmp-") && name.len() == 32,
            "{name}"
        );
        let (other, _file) = create_temporary(dir.path(), "state.json").unwrap();
        assert_ne!(tmp, other, "names are drawn afresh");
        // What create_temporary opens, at a name that is a planted symlink.
        let planted = dir.path().join(".state.json.tmp-planted");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let opened = owner_only(OpenOptions::new().write(true).create_new(true)).open(&planted);
        assert_eq!(opened.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        std::fs::remove_file(&planted).unwrap();
        std::os::unix::fs::symlink(dir.path().join("absent"), &planted).unwrap();
        let opened = owner_only(OpenOptions::new().write(true).create_new(true)).open(&planted);
        assert!(opened.is_err(), "a dangling symlink is not followed either");
        assert!(!dir.path().join("absent").exists());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }

    /// Every path to one file resolves to that file, so they share its lock:
    /// through a symlink, a chain of them, a dangling one (the file it names
    /// is created there), `..`.
    #[cfg(unix)]
    #[tokio::test]
    async fn paths_to_one_file_share_its_lock() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap().join("real.json");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        symlink("real.json", dir.path().join("link.json")).unwrap();
        symlink("link.json", dir.path().join("chain.json")).unwrap();
        let others = [
            dir.path().join("link.json"),
            dir.path().join("chain.json"),
            dir.path().join("sub/../real.json"),
        ];
        // Not there yet: the symlinks dangle.
        for p in &others {
            assert_eq!(resolve(p).unwrap(), real, "{}", p.display());
        }
        let store = Store::open(Some(others[0].clone()), creds()).unwrap();
        assert!(std::fs::symlink_metadata(&others[0])
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(real.is_file(), "written through the symlink");
        for p in others.iter().chain([&real]) {
            let err = Store::open(Some(p.clone()), creds()).err().unwrap();
            assert_eq!(err.kind(), io::ErrorKind::ResourceBusy, "{}", p.display());
            let msg = err.to_string();
            assert!(msg.contains("real.json.lock"), "{msg}");
        }
        store.close().await;
        symlink("loop.json", dir.path().join("loop.json")).unwrap();
        let err = resolve(&dir.path().join("loop.json")).unwrap_err();
        assert!(err.to_string().contains("symbolic links"), "{err}");
    }

    /// Saved credentials must be visible ASCII and not empty; the message
    /// names the field, never the value.
    #[test]
    fn saved_credentials_are_checked() {
        assert_eq!(check_credentials(&creds()), Ok(()));
        for (field, value) in [("ak", ""), ("sk", "se cret"), ("project_id", "p\u{1b}")] {
            let mut c = creds();
            match field {
                "ak" => c.ak = value.into(),
                "sk" => c.sk = value.into(),
                _ => c.project_id = value.into(),
            }
            let err = check_credentials(&c).unwrap_err();
            assert!(err.contains(&format!("`{field}`")), "{err}");
            assert!(value.is_empty() || !err.contains(value), "{err}");
        }
    }

    /// A lock file that is a symlink is refused, not followed.
    #[cfg(unix)]
    #[test]
    fn a_symlinked_lock_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let elsewhere = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("state.json.lock")).unwrap();
        let err = Store::open(Some(path.clone()), creds()).err().unwrap();
        assert!(err.to_string().contains("state.json.lock"), "{err}");
        assert!(!elsewhere.exists() && !path.exists());
    }

    #[test]
    fn malformed_pools_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let fixed = serde_json::to_value(pool("pool-a-1")).unwrap();
        let mut null_object = fixed.clone();
        null_object["object"] = Value::Null;
        let write = |pools: Vec<Value>| {
            let file = serde_json::json!({"format": FORMAT, "credentials": null, "pools": pools});
            std::fs::write(&path, file.to_string()).unwrap();
        };
        write(vec![fixed.clone()]);
        assert_eq!(
            Store::open(Some(path.clone()), creds())
                .unwrap()
                .read(0, |p| p.len()),
            1
        );
        // A file written before orders has no `paid_ms`, one written
        // before PATCH no `scales`: it still loads.
        let mut older = fixed.clone();
        older.as_object_mut().unwrap().remove("paid_ms");
        older.as_object_mut().unwrap().remove("scales");
        write(vec![older]);
        let loaded = Store::open(Some(path.clone()), creds())
            .unwrap()
            .read(0, |p| p.to_vec());
        assert_eq!(loaded, vec![Arc::new(pool("pool-a-1"))]);
        let mut renamed = fixed.clone();
        renamed["name"] = "pool-b-2".into();
        let mut no_spec = fixed.clone();
        no_spec["object"]["spec"] = Value::Null;
        let mut missing = fixed.clone();
        missing.as_object_mut().unwrap().remove("created_ms");
        let scale = |at: u64, from: u64, to: u64| {
            serde_json::json!({"at_ms": at, "from": [{"flavor": "f", "count": from}],
                               "to": [{"flavor": "f", "count": to}], "sold_out": []})
        };
        let with_scales = |scales: Vec<Value>| {
            let mut p = fixed.clone();
            p["scales"] = Value::Array(scales);
            p
        };
        let scaled = with_scales(vec![scale(2_000, 1, 3), scale(3_000, 2, 1)]);
        write(vec![scaled.clone()]);
        let loaded = Store::open(Some(path.clone()), creds()).unwrap();
        assert_eq!(loaded.read(0, |p| p[0].scales.len()), 2);
        drop(loaded);
        let mut twice = scale(2_000, 1, 1);
        twice["to"] = serde_json::json!([{"flavor": "f", "count": 1}, {"flavor": "f", "count": 1}]);
        let mut sold = scale(2_000, 3, 1);
        sold["sold_out"] = serde_json::json!([{"flavor": "f", "azs": ["a"]}]);
        let mut nameless = scale(2_000, 1, 1);
        nameless["from"][0]["flavor"] = "".into();
        let mut negative = scale(2_000, 1, 1);
        negative["from"][0]["count"] = (-1).into();
        for (pools, expected) in [
            (
                vec![with_scales(vec![scale(2_000, 1, 2)])],
                "pool 0 `pool-a-1`: the last of `scales` must ask for the pool's `resources` (`to`)",
            ),
            (
                vec![with_scales(vec![scale(3_000, 1, 2), scale(2_000, 2, 1)])],
                "`scales[1].at_ms` is before the scale listed before it",
            ),
            (vec![with_scales(vec![twice])], "`scales[0].to` has flavor `f` twice"),
            (
                vec![with_scales(vec![sold])],
                "`scales[0].sold_out` names flavor `f`, which the scale adds no node of",
            ),
            (vec![with_scales(vec![nameless])], "`scales[0].from` has a flavor with no name"),
            (vec![with_scales(vec![negative])], "pool 0 `pool-a-1`: invalid value: integer `-1`"),
            (
                vec![with_scales(vec![Value::Null])],
                "pool 0 `pool-a-1`: invalid type: null, expected struct Scale",
            ),

            (vec![null_object], "pool 0 `pool-a-1`: `object` must be the pool object (kind, apiVersion, metadata, spec), not null"),
            (vec![renamed], "`object.metadata.name` must be the pool's `name`"),
            (vec![fixed.clone(), no_spec], "pool 1 `pool-a-1`: `object.spec` must be an object, not null"),
            (vec![fixed.clone(), missing], "pool 1 `pool-a-1`: missing field `created_ms`"),
            (vec![fixed.clone(), fixed.clone()], "pool 1 `pool-a-1`: another pool has the same name"),
            (vec![Value::Null], "malformed pool 0: invalid type: null"),
        ] {
            write(pools);
            let text = std::fs::read(&path).unwrap();
            let err = Store::open(Some(path.clone()), creds()).err().unwrap();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
            let msg = err.to_string();
            assert!(msg.contains("state.json") && msg.contains(expected), "{msg}");
            assert_eq!(std::fs::read(&path).unwrap(), text, "left untouched");
        }
    }

    #[test]
    fn the_read_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let f = File::create(&path).unwrap();
        f.set_len(MAX_STATE_BYTES + 1).unwrap();
        drop(f);
        let err = read_file(&path).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert!(err.to_string().contains("larger than 64 MiB"), "{err}");
        #[cfg(unix)]
        {
            let err = read_file(Path::new("/dev/zero")).err().unwrap();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
    }

    #[test]
    fn corrupt_files_are_refused_with_the_path_and_empty_ones_are_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(
            &path,
            "{\"format\": \"poolctl-emulator-state/1\", \"pools\": [",
        )
        .unwrap();
        let err = Store::open(Some(path.clone()), creds()).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("state.json"), "{err}");
        std::fs::write(
            &path,
            r#"{"format":"other/9","credentials":null,"pools":[]}"#,
        )
        .unwrap();
        let err = read_file(&path).err().unwrap();
        assert!(err.to_string().contains("other/9"), "{err}");
        std::fs::write(&path, "").unwrap();
        assert!(Store::open(Some(path.clone()), creds()).is_ok());
    }

    /// A `kill -9` during a write leaves the temporary file behind, as big
    /// as the state; restarts must not pile them up. The lock makes every
    /// one of them a leftover.
    #[cfg(target_os = "linux")]
    #[test]
    fn temporaries_of_dead_writers_are_removed_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        // Above the kernel's highest pid (2^22): no such process.
        let dead = dir.path().join(".state.json.tmp-4194304999");
        let other_file = dir.path().join(".other.json.tmp-4194304999");
        let live = dir
            .path()
            .join(format!(".state.json.tmp-{}", std::process::id()));
        for p in [&dead, &other_file] {
            std::fs::write(p, "{\"format\": \"poolctl-emu").unwrap();
        }
        Store::open(Some(path.clone()), creds()).unwrap();
        assert!(!dead.exists(), "a dead writer's temporary file is removed");
        assert!(
            other_file.exists(),
            "another state file's temporaries are left alone"
        );
        assert!(!live.exists());
        assert!(path.exists());
    }

    #[tokio::test]
    async fn gone_pools_are_dropped_from_reads_and_from_the_file() {
        let store = Store::open(None, creds()).unwrap();
        store
            .update(0, |pools| {
                let mut p = pool("a");
                p.deleted_ms = Some(2_000);
                pools.push(Arc::new(p));
                ((), true)
            })
            .await
            .unwrap();
        assert_eq!(store.read(2_100, |p| p.len()), 1);
        assert_eq!(store.read(2_200, |p| p.len()), 0);
        let left = store
            .update(2_200, |pools| (pools.len(), false))
            .await
            .unwrap();
        assert_eq!(left, 0);
    }

    /// A request whose client hangs up is dropped at its next await, maybe
    /// while its change is being written. The write must go on alone: if the
    /// writer lock went with the request, the next change would start a second
    /// write on the same temporary file, and the two could rename each other's
    /// half-written file into place (seen under load with client timeouts).
    #[tokio::test]
    async fn a_dropped_update_never_lets_two_writes_overlap() {
        use std::sync::atomic::Ordering::SeqCst;
        use std::time::Duration;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let store = Store::open(Some(path.clone()), creds()).unwrap();
        let writers = store.shared.writers.clone();
        // Opens the gate however the test ends, or the runtime waits forever.
        struct Open(Arc<Writers>);
        impl Drop for Open {
            fn drop(&mut self) {
                self.0.gate_closed.store(false, SeqCst);
            }
        }
        let gate = Open(writers.clone());
        writers.gate_closed.store(true, SeqCst);

        let mut first = Box::pin(store.update(0, |pools| {
            pools.push(Arc::new(pool("first")));
            ((), true)
        }));
        // One poll, then the request goes away with its write under way.
        tokio::select! {
            biased;
            _ = &mut first => panic!("the write cannot finish while the gate is closed"),
            _ = std::future::ready(()) => {}
        }
        drop(first);
        for _ in 0..500 {
            if writers.now.load(SeqCst) == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(writers.now.load(SeqCst), 1, "the first write is under way");

        let second = store.update(0, |pools| {
            pools.push(Arc::new(pool("second")));
            ((), true)
        });
        tokio::pin!(second);
        tokio::select! {
            biased;
            _ = &mut second => panic!("the write cannot finish while the gate is closed"),
            _ = tokio::time::sleep(Duration::from_millis(300)) => {}
        }
        let most = writers.most.load(SeqCst);
        drop(gate);
        assert_eq!(
            most, 1,
            "a second write of the state file started while the first was under way"
        );
        second.await.unwrap();
        assert_eq!(writers.most.load(SeqCst), 1);
        store.close().await;
        let names: Vec<String> = Store::open(Some(path), creds())
            .unwrap()
            .read(0, |p| p.iter().map(|p| p.name.clone()).collect());
        assert_eq!(names, ["first", "second"], "both changes are on disk");
    }
}
