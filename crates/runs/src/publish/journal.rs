//! Publishing file by file under a commit marker, where the folders cannot be
//! swapped: the marker, written once every file is complete, names the set;
//! a set killed after it is completed by the next one started beside the same
//! target ([`roll_forward`]), one killed before it leaves the old files.

use crate::{Result, RunsError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The commit marker in the temporary folder: the target relative to the
/// folder holding the temporary one, then the set's files, one a line.
const COMMIT: &str = ".corridor-commit";

/// Sub-folder of the temporary folder keeping the files a publication replaces
/// until it is complete.
const PREVIOUS: &str = ".corridor-previous";

/// Moves the set's `files` from `tmp` into `target` one by one; on an error
/// the files already moved are put back and the error returned.
pub(super) fn publish(target: &Path, tmp: &Path, files: &[PathBuf]) -> Result<()> {
    for name in files {
        in_the_way(target, name).map_err(|cause| RunsError::Write {
            path: target.join(name),
            cause,
        })?;
    }
    let commit = tmp.join(COMMIT);
    write_commit(target, tmp, files).map_err(|cause| RunsError::Write {
        path: commit.clone(),
        cause,
    })?;
    let mut moved: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    for name in files {
        let to = target.join(name);
        if let Err(cause) = move_in(tmp, name, &to, &mut moved) {
            roll_back(moved);
            let _ = std::fs::remove_file(&commit);
            return Err(RunsError::Write { path: to, cause });
        }
    }
    Ok(())
}

/// Completes the publication of a killed set in `tmp` (a folder in `dir`)
/// if it reached its commit marker; does nothing otherwise.
pub(super) fn roll_forward(tmp: &Path, dir: &Path) {
    let Ok(text) = std::fs::read_to_string(tmp.join(COMMIT)) else {
        return;
    };
    let mut lines = text.lines();
    let Some(target) = lines.next() else {
        return;
    };
    let target = dir.join(target);
    for name in lines {
        let from = tmp.join(name);
        if from.is_file() {
            let to = target.join(name);
            if let Some(parent) = to.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::rename(&from, &to);
        }
    }
}

/// An error if a folder is where the file `name` goes, or a file where one
/// of its folders goes: checked before anything moves.
pub(super) fn in_the_way(target: &Path, name: &Path) -> std::io::Result<()> {
    let to = target.join(name);
    if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
        return Err(std::io::Error::other(
            "a folder is in the way of this file; nothing of the set was published",
        ));
    }
    let mut folder = to.parent();
    while let Some(f) = folder {
        if std::fs::metadata(f).is_ok_and(|m| !m.is_dir()) {
            return Err(std::io::Error::other(format!(
                "{} is a file where the set needs a folder; nothing of the set was published",
                f.display()
            )));
        }
        if f == target {
            break;
        }
        folder = f.parent();
    }
    Ok(())
}

/// Writes the commit marker atomically (a complete file renamed into place).
fn write_commit(target: &Path, tmp: &Path, files: &[PathBuf]) -> std::io::Result<()> {
    let relative = if tmp.parent() == Some(target) {
        ".".to_string()
    } else {
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| ".".into())
    };
    let mut text = relative + "\n";
    for name in files {
        text.push_str(&name.to_string_lossy());
        text.push('\n');
    }
    let part = tmp.join(format!("{COMMIT}.part"));
    let mut f = std::fs::File::create(&part)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(part, tmp.join(COMMIT))
}

/// Moves `name` from `tmp` to `to`, keeping the file it replaces in the
/// temporary folder; records the move in `moved`.
fn move_in(
    tmp: &Path,
    name: &Path,
    to: &Path,
    moved: &mut Vec<(PathBuf, Option<PathBuf>)>,
) -> std::io::Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let previous = if to.exists() {
        let keep = tmp.join(PREVIOUS).join(name);
        if let Some(dir) = keep.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(to, &keep)?;
        Some(keep)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(tmp.join(name), to) {
        if let Some(keep) = &previous {
            let _ = std::fs::rename(keep, to);
        }
        return Err(e);
    }
    moved.push((to.to_path_buf(), previous));
    Ok(())
}

/// Undoes `moved`, newest first: previous files back, new ones removed.
fn roll_back(moved: Vec<(PathBuf, Option<PathBuf>)>) {
    for (to, previous) in moved.into_iter().rev() {
        match previous {
            Some(keep) => {
                let _ = std::fs::rename(keep, &to);
            }
            None => {
                let _ = std::fs::remove_file(&to);
            }
        }
    }
}
