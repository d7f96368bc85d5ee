//! Publishing a command's output files as a set.

use crate::{Result, RunsError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Marks the temporary folders of [`OutputSet`]: `.<target>.corridor-tmp-<pid>-<n>`.
const TMP_MARK: &str = ".corridor-tmp-";

/// Sub-folder of the temporary folder keeping the files a publication replaces
/// until it is complete.
const PREVIOUS: &str = ".corridor-previous";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The files of one command, written into a temporary folder beside the target
/// folder and moved into it only when all are written: if anything fails
/// (or the process is killed) the target keeps its previous files. Temporary
/// folders left by killed processes are removed when the next set is started
/// beside the same target.
///
/// Files are named relative to the target and may lie in sub-folders
/// (`report-figures/map.svg`). Publishing renames them one by one, each rename
/// atomic, after all of them are complete.
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
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let write_err = |path: &Path| {
            let path = path.to_path_buf();
            move |cause| RunsError::Write { path, cause }
        };
        std::fs::create_dir_all(&parent).map_err(write_err(&parent))?;
        remove_stale(&parent);
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

    /// Moves every file into the target folder and removes the temporary one.
    /// If a move fails (a folder in the way of a file, a full or read-only
    /// disk), the files already moved are put back as they were, so the
    /// target holds the whole previous set; only a kill during these few
    /// renames can leave a mixture.
    pub fn publish(mut self) -> Result<()> {
        let mut moved: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        for name in &self.files {
            let to = self.target.join(name);
            if let Err(cause) = self.move_in(name, &to, &mut moved) {
                self.roll_back(moved);
                return Err(RunsError::Write { path: to, cause });
            }
        }
        self.published = true;
        let _ = std::fs::remove_dir_all(&self.tmp);
        Ok(())
    }

    /// Moves `name` to `to`, keeping the file it replaces in the temporary
    /// folder; records the move in `moved`.
    fn move_in(
        &self,
        name: &Path,
        to: &Path,
        moved: &mut Vec<(PathBuf, Option<PathBuf>)>,
    ) -> std::io::Result<()> {
        if to.is_dir() {
            return Err(std::io::Error::other(
                "a folder is in the way of this file; nothing of the set was published",
            ));
        }
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let previous = if to.exists() {
            let keep = self.tmp.join(PREVIOUS).join(name);
            if let Some(dir) = keep.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::rename(to, &keep)?;
            Some(keep)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(self.tmp.join(name), to) {
            if let Some(keep) = &previous {
                let _ = std::fs::rename(keep, to);
            }
            return Err(e);
        }
        moved.push((to.to_path_buf(), previous));
        Ok(())
    }

    /// Undoes `moved`, newest first: previous files back, new ones removed.
    fn roll_back(&self, moved: Vec<(PathBuf, Option<PathBuf>)>) {
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
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Removes temporary folders in `dir` whose process is gone (on systems
/// without `/proc`, those older than a day).
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let proc = Path::new("/proc/self").exists();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((_, rest)) = name.split_once(TMP_MARK) else {
            continue;
        };
        if !name.starts_with('.') {
            continue;
        }
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
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
