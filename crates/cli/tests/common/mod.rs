//! Paths and the binary, shared by the end-to-end test files.
#![allow(dead_code)] // each test file uses its own subset

use assert_cmd::Command;
use std::path::PathBuf;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `data/flee` in the repository: Flee's scenarios and reference runs.
pub fn flee_data() -> PathBuf {
    repo().join("data/flee")
}

/// The `corridor` binary built by cargo.
pub fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}
