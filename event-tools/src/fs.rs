//! Atomic file writes: a reader (or a crash) sees the old file or the new one, never half.

use std::fs;
use std::io::{self, Read, Write};
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
    /// A path refused before it was read or written (a link, a device, a file too large),
    /// with `why`.
    pub fn refused(action: &'static str, path: &Path, why: impl Into<String>) -> FileError {
        FileError {
            action,
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidInput, why.into()),
        }
    }

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

/// Writes `contents` to `path` atomically: into a new, uniquely named temporary file in the
/// same folder (created exclusively, so no existing file or link is written through), flushed
/// to disk, renamed over `path`, and the folder synced so the rename survives a crash. Creates
/// missing parent folders. A file that already has these bytes is left untouched, so running an
/// export twice changes nothing. A symbolic link at `path` is refused, not followed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<WriteOutcome, FileError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(FileError::refused(
                "refusing to replace the symbolic link",
                path,
                "the target is a link",
            ));
        }
        Ok(meta) if meta.is_file() && fs::read(path).is_ok_and(|old| old == contents) => {
            return Ok(WriteOutcome::Unchanged);
        }
        _ => {}
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(FileError::at("cannot create folder", folder))?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".kafka-events-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(FileError::at("cannot create a temporary file in", folder))?;
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(FileError::at("cannot write", temporary.path()))?;
    // On failure the temporary file is dropped, which removes it.
    temporary
        .persist(path)
        .map_err(|error| FileError::at("cannot replace", path)(error.error))?;
    sync_folder(folder).map_err(FileError::at("cannot sync folder", folder))?;
    Ok(WriteOutcome::Written)
}

/// Reads a regular file of at most `limit` bytes. A symbolic link, a device or a folder is
/// refused, not followed (a link committed under `schemas/` must not feed `/dev/zero` or a file
/// outside the tree to the gate), and so is a larger file (read no further than the limit).
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let refuse = |why: &str| FileError::refused("refusing to read", path, why);
    let meta = fs::symlink_metadata(path).map_err(FileError::at("cannot read", path))?;
    if meta.file_type().is_symlink() {
        return Err(refuse("it is a symbolic link"));
    }
    if !meta.is_file() {
        return Err(refuse("it is not a regular file"));
    }
    let file = fs::File::open(path).map_err(FileError::at("cannot read", path))?;
    let mut bytes = Vec::new();
    io::Read::take(file, limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileError::at("cannot read", path))?;
    if bytes.len() as u64 > limit {
        return Err(refuse(&format!("it is larger than {limit} bytes")));
    }
    Ok(bytes)
}

/// Flushes a folder's entries (the rename) to disk; a no-op where folders cannot be opened.
fn sync_folder(folder: &Path) -> io::Result<()> {
    if cfg!(unix) {
        fs::File::open(folder)?.sync_all()
    } else {
        Ok(())
    }
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
        let dir =
            std::env::temp_dir().join(format!("event-tools-fs-{name}-{}", std::process::id()));
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

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_refused_and_its_target_untouched() {
        let dir = scratch("symlink");
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("target.json");
        fs::write(&target, b"keep").unwrap();
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = write_atomic(&link, b"new").unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn reading_refuses_links_devices_and_oversized_files() {
        let dir = scratch("read");
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.json");
        fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular_file(&file, 10).unwrap(), b"0123456789");
        let error = read_regular_file(&file, 9).unwrap_err();
        assert!(error.to_string().contains("larger than 9 bytes"), "{error}");
        let link = dir.join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let error = read_regular_file(&link, 1 << 20).unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        let error = read_regular_file(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
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
