//! The emulator's pools, in memory and (with `--state FILE`) on disk.
//!
//! The file is rewritten after every change: a temporary file in the same
//! directory, fsync, rename over the target, fsync the directory. A reader (or
//! a crash) therefore only ever sees the old or the new whole file; the
//! temporary files of writers that were killed are removed at the next start.
//! Writes run one at a time, in tasks of their own, and take every change made
//! while the previous one was under way. Pools keep their timestamps, not
//! their phases, so a restarted emulator carries on each lifecycle where the
//! clock says it is.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Written in the file so a different file is refused, not misread.
pub const FORMAT: &str = "poolctl-emulator-state/1";

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
    /// `kind`, `apiVersion`, `metadata`, `spec` as the create call answered them.
    pub object: Value,
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
    pools: Vec<StoredPool>,
}

/// Reads a state file. A missing or empty file is no state (so `mktemp`
/// output works); anything else that does not parse is an error that names
/// the file.
fn read_file(path: &Path) -> io::Result<Option<StateFile>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let corrupt = |why: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: not a poolctl emulator state file ({why})",
                path.display()
            ),
        )
    };
    let file: StateFile = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
    if file.format != FORMAT {
        return Err(corrupt(format!(
            "format `{}`, expected `{FORMAT}`",
            file.format
        )));
    }
    Ok(Some(file))
}

/// The credentials a state file holds, so a restarted `poolctl emulator`
/// accepts the exports it printed before.
pub fn load_credentials(path: &Path) -> io::Result<Option<Credentials>> {
    Ok(read_file(path)?.and_then(|f| f.credentials))
}

/// Writes `bytes` to `path` so that no reader ever sees a partial file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "state path has no file name"))?
        .to_string_lossy()
        .into_owned();
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // The file holds the SK: readable by its owner only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable only once the directory is synced.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e: io::Error| {
        io::Error::new(
            e.kind(),
            format!("cannot write state file {}: {e}", path.display()),
        )
    })
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
/// crash) left next to `path`. Only those of processes that are gone: a
/// live one may be about to rename its file.
fn remove_stale_temporaries(path: &Path) {
    #[cfg(target_os = "linux")]
    {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let prefix = format!(".{}.tmp-", name.to_string_lossy());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(pid) = file_name
                .to_str()
                .and_then(|n| n.strip_prefix(&prefix))
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            let alive =
                pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists();
            if !alive {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

impl Store {
    /// Loads `path` if it exists, and writes it once with `credentials`, so a
    /// restart finds them even before the first pool is created.
    pub fn open(path: Option<PathBuf>, credentials: Credentials) -> io::Result<Store> {
        let pools = match &path {
            Some(p) => read_file(p)?.map(|f| f.pools).unwrap_or_default(),
            None => Vec::new(),
        };
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
                #[cfg(test)]
                writers: Arc::default(),
            }),
        })
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
            object: serde_json::json!({"kind": "Pool"}),
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
        assert_eq!(load_credentials(&path).unwrap(), Some(creds()));
        store
            .update(0, |pools| {
                pools.push(Arc::new(pool("a")));
                ((), true)
            })
            .await
            .unwrap();
        let again = Store::open(Some(path.clone()), creds()).unwrap();
        assert_eq!(again.read(0, |p| p.to_vec()), vec![Arc::new(pool("a"))]);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
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
        let err = load_credentials(&path).unwrap_err();
        assert!(err.to_string().contains("other/9"), "{err}");
        std::fs::write(&path, "").unwrap();
        assert!(Store::open(Some(path.clone()), creds()).is_ok());
    }

    /// A `kill -9` during a write leaves the temporary file behind, as big
    /// as the state; restarts must not pile them up.
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
        let names: Vec<String> = Store::open(Some(path), creds())
            .unwrap()
            .read(0, |p| p.iter().map(|p| p.name.clone()).collect());
        assert_eq!(names, ["first", "second"], "both changes are on disk");
    }
}
