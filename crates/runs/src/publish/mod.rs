//! Publishing a command's output files as a set.
//!
//! The files are written into a temporary folder beside the target. Then,
//! when the target is a folder of outputs, the files of the target that are
//! not part of the set are hard-linked (or copied) into the temporary folder
//! and the two folders are swapped in one atomic step ([`swap`]): a reader,
//! or a kill at any point, sees the whole old set or the whole new one. Where
//! no atomic swap is possible (the target holds the working folder or is a
//! symbolic link, it is large or spans file systems, the system has no
//! `renameat2`), the files are moved one by one under a commit marker
//! ([`journal`]): a kill after the marker is written is completed by the next
//! set started beside the same target, one before it leaves the old set.

mod journal;
mod swap;

use crate::{Result, RunsError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Marks the temporary folders of [`OutputSet`]: `.<target>.corridor-tmp-<pid>-<n>`.
const TMP_MARK: &str = ".corridor-tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The files of one command, written into a temporary folder beside the target
/// folder and published only when all are written: if anything fails
/// (or the process is killed) the target keeps its previous files. Temporary
/// folders left by killed processes are removed (or, past their commit point,
/// completed) when the next set is started beside the same target.
///
/// Files are named relative to the target and may lie in sub-folders
/// (`report-figures/map.svg`). Files already in the target that the set does
/// not name are kept.
#[derive(Debug)]
pub struct OutputSet {
    target: PathBuf,
    tmp: PathBuf,
    files: Vec<PathBuf>,
    published: bool,
}

impl OutputSet {
    /// Starts a set of files for the folder `target` (created on publication).
    pub fn new(target: &Path) -> Result<OutputSet> {
        let target = if target.as_os_str().is_empty() {
            Path::new(".")
        } else {
            target
        };
        // A target without a name (`.`, `..`) keeps its temporary folder
        // inside itself: its parent may not be writable.
        let (name, parent) = match target.file_name() {
            Some(n) => (
                n.to_string_lossy().into_owned(),
                match target.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                },
            ),
            None => ("out".into(), target.to_path_buf()),
        };
        let write_err = |path: &Path| {
            let path = path.to_path_buf();
            move |cause| RunsError::Write { path, cause }
        };
        std::fs::create_dir_all(&parent).map_err(write_err(&parent))?;
        settle_stale(&parent);
        let tmp = parent.join(format!(
            ".{name}{TMP_MARK}{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&tmp).map_err(write_err(&tmp))?;
        Ok(OutputSet {
            target: target.to_path_buf(),
            tmp,
            files: Vec::new(),
            published: false,
        })
    }

    /// The folder the files go to.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Adds the file `name` (relative to the target) with `bytes`.
    pub fn add(&mut self, name: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
        self.add_with(name, |f| std::io::Write::write_all(f, bytes))
    }

    /// Adds the file `name`, its content produced by `write`. An error from
    /// `write` fails the set: nothing of it is published.
    pub fn add_with(
        &mut self,
        name: impl AsRef<Path>,
        write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    ) -> Result<()> {
        let name = name.as_ref().to_path_buf();
        let path = self.tmp.join(&name);
        let err = |cause| RunsError::Write {
            path: self.target.join(&name),
            cause,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut f = std::fs::File::create(&path).map_err(err)?;
        write(&mut f).map_err(err)?;
        f.sync_all().map_err(err)?;
        self.files.push(name);
        Ok(())
    }

    /// Publishes the set: the target holds the new files, and those of its
    /// earlier files the set does not name. If publishing fails (a folder in
    /// the way of a file, a full or read-only disk), the target holds the
    /// whole previous set.
    pub fn publish(mut self) -> Result<()> {
        match swap::publish(&self.target, &self.tmp)? {
            true => {}
            false => journal::publish(&self.target, &self.tmp, &self.files)?,
        }
        self.published = true;
        let _ = std::fs::remove_dir_all(&self.tmp);
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Settles the temporary folders in `dir` whose process is gone (on systems
/// without `/proc`, those older than a day): one past its commit point is
/// completed ([`journal::roll_forward`]), any other removed.
fn settle_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let proc = Path::new("/proc/self").exists();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix('.')
            .and_then(|n| n.split_once(TMP_MARK))
            .map(|(_, rest)| rest)
        else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or("");
        let stale = if proc {
            pid.parse::<u32>()
                .is_ok_and(|p| p != std::process::id() && !Path::new("/proc").join(pid).exists())
        } else {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 86_400)
        };
        if stale {
            journal::roll_forward(&e.path(), dir);
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
