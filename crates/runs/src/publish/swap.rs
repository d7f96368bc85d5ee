//! Publishing by swapping the complete new folder with the target in one
//! atomic step (Linux `renameat2` with `RENAME_EXCHANGE`).

use crate::{Result, RunsError};
use std::path::Path;

/// The most files and folders a target may hold to be swapped: a larger one
/// is not a folder of outputs (a home folder), and linking it all would be slow.
const MAX_ENTRIES: usize = 10_000;

/// Publishes the complete folder `tmp` as `target`: the target's files that
/// `tmp` lacks are hard-linked (or copied) into it, then the two folders are
/// swapped and the old one removed. Returns `false`, with the target
/// untouched, where no atomic swap is possible, for the caller to publish file
/// by file; an error if a file of the target and one of the set are in each
/// other's way (nothing published).
pub(super) fn publish(target: &Path, tmp: &Path) -> Result<bool> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        // A new folder: one rename publishes it whole.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(std::fs::rename(tmp, target).is_ok());
        }
        Err(_) => return Ok(false),
    };
    if !meta.is_dir() || !swappable(target, tmp) {
        return Ok(false);
    }
    link_missing(target, tmp, Path::new(""))?;
    let _ = std::fs::set_permissions(tmp, meta.permissions());
    if !exchange(tmp, target) {
        return Ok(false);
    }
    // `tmp` now holds the previous folder.
    let _ = std::fs::remove_dir_all(tmp);
    Ok(true)
}

/// Whether the folder `target` may be swapped: it holds neither the working
/// folder nor `tmp` (then it is not a folder of outputs, and a swap would move
/// other processes' working folder), it lies on one file system and holds at
/// most [`MAX_ENTRIES`] entries.
fn swappable(target: &Path, tmp: &Path) -> bool {
    let Ok(real) = std::fs::canonicalize(target) else {
        return false;
    };
    let inside = |p: &Path| std::fs::canonicalize(p).is_ok_and(|p| p.starts_with(&real));
    if std::env::current_dir().is_ok_and(|cwd| inside(&cwd)) || tmp.parent().is_some_and(inside) {
        return false;
    }
    let mut count = 0;
    one_device(target, device(target), &mut count) && count <= MAX_ENTRIES
}

/// Counts the entries under `dir` into `count` (stopping past the limit);
/// `false` if one lies on another device than `dev`.
fn one_device(dir: &Path, dev: Option<u64>, count: &mut usize) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for e in entries {
        let Ok(e) = e else { return false };
        *count += 1;
        if *count > MAX_ENTRIES {
            return false;
        }
        let path = e.path();
        let Ok(m) = std::fs::symlink_metadata(&path) else {
            return false;
        };
        if m.is_dir() && (device(&path) != dev || !one_device(&path, dev, count)) {
            return false;
        }
    }
    true
}

#[cfg(unix)]
fn device(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).ok().map(|m| m.dev())
}

#[cfg(not(unix))]
fn device(_: &Path) -> Option<u64> {
    None
}

/// Links every entry of `target/rel` that `tmp/rel` lacks into it, so that
/// the swap keeps the files the set does not name.
fn link_missing(target: &Path, tmp: &Path, rel: &Path) -> Result<()> {
    let err = |rel: &Path| {
        let path = target.join(rel);
        move |cause| RunsError::Write { path, cause }
    };
    for e in std::fs::read_dir(target.join(rel)).map_err(err(rel))? {
        let e = e.map_err(err(rel))?;
        let rel = rel.join(e.file_name());
        let (from, to) = (target.join(&rel), tmp.join(&rel));
        let kind = e.file_type().map_err(err(&rel))?;
        let there = std::fs::symlink_metadata(&to).ok();
        if kind.is_dir() {
            match there {
                Some(m) if !m.is_dir() => {
                    return Err(RunsError::Write {
                        path: from,
                        cause: std::io::Error::other(
                            "a folder is in the way of this file; nothing of the set was published",
                        ),
                    })
                }
                Some(_) => {}
                None => {
                    std::fs::create_dir(&to).map_err(err(&rel))?;
                    if let Ok(m) = std::fs::metadata(&from) {
                        let _ = std::fs::set_permissions(&to, m.permissions());
                    }
                }
            }
            link_missing(target, tmp, &rel)?;
        } else if let Some(m) = there {
            if m.is_dir() {
                return Err(RunsError::Write {
                    path: from,
                    cause: std::io::Error::other(
                        "a file is where the set needs a folder; nothing of the set was published",
                    ),
                });
            }
            // Otherwise the set replaces this file.
        } else if std::fs::hard_link(&from, &to).is_err() {
            copy_entry(&from, &to, kind).map_err(err(&rel))?;
        }
    }
    Ok(())
}

/// Copies a file, or recreates a symbolic link, where hard links fail.
fn copy_entry(from: &Path, to: &Path, kind: std::fs::FileType) -> std::io::Result<()> {
    #[cfg(unix)]
    if kind.is_symlink() {
        return std::os::unix::fs::symlink(std::fs::read_link(from)?, to);
    }
    if kind.is_file() {
        std::fs::copy(from, to).map(|_| ())
    } else {
        Err(std::io::Error::other(
            "neither a file nor a folder, and it cannot be linked; nothing of the set was published",
        ))
    }
}

/// Swaps the folders `a` and `b` atomically; `false` where the system or the
/// file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        std::ffi::CString::new(a.as_os_str().as_bytes()),
        std::ffi::CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both paths are NUL-terminated strings that outlive the call;
    // renameat2 reads them and touches no other memory of this process.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}
