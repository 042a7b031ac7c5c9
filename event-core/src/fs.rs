//! Atomic file writes: a reader (or a crash) sees the old file or the new one, never half.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An I/O failure, with the path it happened at.
#[derive(Debug, thiserror::Error)]
#[error("{action} `{}`: {source}", path.display())]
pub struct FileError {
    /// What was being done, e.g. "cannot write".
    pub action: &'static str,
    /// The file or folder.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: io::Error,
}

impl FileError {
    /// A closure mapping an `io::Error` at `path` to a [`FileError`].
    pub fn at<'a>(
        action: &'static str,
        path: &'a Path,
    ) -> impl FnOnce(io::Error) -> FileError + 'a {
        move |source| FileError {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

/// Whether a write changed the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The file is new or its content changed.
    Written,
    /// The file already had exactly this content; it was not touched.
    Unchanged,
}

/// Writes `contents` to `path` atomically: into a temporary file in the same folder, flushed
/// to disk, then renamed over `path`. Creates missing parent folders. A file that already has
/// these bytes is left untouched, so running an export twice changes nothing.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<WriteOutcome, FileError> {
    if fs::read(path).is_ok_and(|existing| existing == contents) {
        return Ok(WriteOutcome::Unchanged);
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(FileError::at("cannot create folder", folder))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()
    })();
    if let Err(source) = written {
        let _ = fs::remove_file(&temporary);
        return Err(FileError {
            action: "cannot write",
            path: temporary,
            source,
        });
    }
    fs::rename(&temporary, path).map_err(|source| {
        let _ = fs::remove_file(&temporary);
        FileError {
            action: "cannot replace",
            path: path.to_owned(),
            source,
        }
    })?;
    Ok(WriteOutcome::Written)
}

/// `value` as pretty JSON with a final newline: the form of every file kafka-events writes.
pub fn to_json_bytes(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("event-core-fs-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_creates_folders_and_skips_identical_content() {
        let dir = scratch("write");
        let path = dir.join("a/b.json");
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteOutcome::Written);
        assert_eq!(
            write_atomic(&path, b"one").unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(write_atomic(&path, b"two").unwrap(), WriteOutcome::Written);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_unwritable_target_is_an_error_naming_the_path() {
        let dir = scratch("unwritable");
        fs::create_dir_all(&dir).unwrap();
        let blocker = dir.join("file");
        fs::write(&blocker, b"x").unwrap();
        let error = write_atomic(&blocker.join("child.json"), b"x").unwrap_err();
        assert!(error.to_string().contains("file"), "{error}");
        fs::remove_dir_all(dir).unwrap();
    }
}
