//! The emulator's pools, in memory and (with `--state FILE`) on disk.
//!
//! The file is rewritten after every change: a temporary file in the same
//! directory, fsync, rename over the target, fsync the directory. A reader (or
//! a crash) therefore only ever sees the old or the new whole file. Pools keep
//! their timestamps, not their phases, so a restarted emulator carries on each
//! lifecycle where the clock says it is.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
            .field("sk", &"<redacted>")
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

#[derive(Debug, Serialize, Deserialize)]
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
    pools: Vec<StoredPool>,
    /// Bumped on every change; the writer skips snapshots older than the file.
    version: u64,
}

/// The pools, shared by all requests.
pub struct Store {
    path: Option<PathBuf>,
    credentials: Credentials,
    inner: Mutex<Inner>,
    /// The version on disk. Held across the write, so files land in order.
    written: tokio::sync::Mutex<u64>,
}

impl Store {
    /// Loads `path` if it exists, and writes it once with `credentials`, so a
    /// restart finds them even before the first pool is created.
    pub fn open(path: Option<PathBuf>, credentials: Credentials) -> io::Result<Store> {
        let pools = match &path {
            Some(p) => read_file(p)?.map(|f| f.pools).unwrap_or_default(),
            None => Vec::new(),
        };
        let store = Store {
            path,
            credentials,
            inner: Mutex::new(Inner { pools, version: 0 }),
            written: tokio::sync::Mutex::new(0),
        };
        if let Some(p) = &store.path {
            let (bytes, _) = store.snapshot();
            write_atomic(p, &bytes)?;
        }
        Ok(store)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn snapshot(&self) -> (Vec<u8>, u64) {
        let inner = self.lock();
        let file = StateFile {
            format: FORMAT.into(),
            credentials: Some(self.credentials.clone()),
            pools: inner.pools.clone(),
        };
        // Plain data with string keys: serialisation cannot fail.
        let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
        bytes.push(b'\n');
        (bytes, inner.version)
    }

    /// Runs `f` on the pools. The pools that are gone for good are dropped first.
    pub fn read<R>(&self, now_ms: u64, f: impl FnOnce(&[StoredPool]) -> R) -> R {
        let inner = self.lock();
        let live: Vec<StoredPool> = inner
            .pools
            .iter()
            .filter(|p| !p.is_gone(now_ms))
            .cloned()
            .collect();
        drop(inner);
        f(&live)
    }

    /// Runs `f` on the pools under the lock; `f` says whether it changed
    /// anything. A change is on disk before this returns, so a client that saw
    /// the answer can count on it surviving a restart.
    pub async fn update<R>(
        &self,
        now_ms: u64,
        f: impl FnOnce(&mut Vec<StoredPool>) -> (R, bool),
    ) -> io::Result<R> {
        let (result, changed) = {
            let mut inner = self.lock();
            let before = inner.pools.len();
            inner.pools.retain(|p| !p.is_gone(now_ms));
            let (result, changed) = f(&mut inner.pools);
            let changed = changed || inner.pools.len() != before;
            if changed {
                inner.version += 1;
            }
            (result, changed)
        };
        if changed {
            self.persist().await?;
        }
        Ok(result)
    }

    async fn persist(&self) -> io::Result<()> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let mut written = self.written.lock().await;
        // Take the snapshot after the writer lock: it is at least as new as
        // the change that asked for it, and never older than what is on disk.
        let (bytes, version) = self.snapshot();
        if version <= *written {
            return Ok(());
        }
        tokio::task::spawn_blocking(move || write_atomic(&path, &bytes))
            .await
            .map_err(|e| io::Error::other(format!("state writer stopped: {e}")))??;
        *written = version;
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
                pools.push(pool("a"));
                ((), true)
            })
            .await
            .unwrap();
        let again = Store::open(Some(path.clone()), creds()).unwrap();
        assert_eq!(again.read(0, |p| p.to_vec()), vec![pool("a")]);
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

    #[tokio::test]
    async fn gone_pools_are_dropped_from_reads_and_from_the_file() {
        let store = Store::open(None, creds()).unwrap();
        store
            .update(0, |pools| {
                let mut p = pool("a");
                p.deleted_ms = Some(2_000);
                pools.push(p);
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
}
