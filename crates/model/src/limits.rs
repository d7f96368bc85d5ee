//! Limits that keep hostile or careless input from exhausting memory or time.
//!
//! Each limit has a documented default and an environment variable that
//! raises (or lowers) it for one process; `docs/scenario-format.md`
//! ("Limits") lists them. They are read once, on first use.

use std::sync::OnceLock;

/// Default largest number of agents a run may hold (all places together):
/// about 3.6 GB of agent state, above ukraine2022 at one agent per person
/// (23.6 M) and well below what a typo with extra zeros asks for.
pub const DEFAULT_MAX_AGENTS: u64 = 200_000_000;
/// Environment variable that overrides [`DEFAULT_MAX_AGENTS`].
pub const MAX_AGENTS_ENV: &str = "CORRIDOR_MAX_AGENTS";

/// Default largest input file, in MiB.
pub const DEFAULT_MAX_INPUT_MIB: u64 = 256;
/// Environment variable that overrides [`DEFAULT_MAX_INPUT_MIB`] (in MiB).
pub const MAX_INPUT_MIB_ENV: &str = "CORRIDOR_MAX_INPUT_MB";

/// Default highest `awareness_level` (Flee uses 0 to 3; each level adds a
/// neighbourhood ring whose size can grow exponentially).
pub const DEFAULT_MAX_AWARENESS_LEVEL: u64 = 8;
/// Environment variable that overrides [`DEFAULT_MAX_AWARENESS_LEVEL`].
pub const MAX_AWARENESS_ENV: &str = "CORRIDOR_MAX_AWARENESS_LEVEL";

fn from_env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse::<u64>().ok())
        .unwrap_or(default)
}

/// The largest number of agents a run may create (`CORRIDOR_MAX_AGENTS`).
pub fn max_agents() -> u64 {
    static V: OnceLock<u64> = OnceLock::new();
    *V.get_or_init(|| from_env(MAX_AGENTS_ENV, DEFAULT_MAX_AGENTS))
}

/// The largest input file read, in bytes (`CORRIDOR_MAX_INPUT_MB`, in MiB).
pub fn max_input_bytes() -> u64 {
    static V: OnceLock<u64> = OnceLock::new();
    *V.get_or_init(|| from_env(MAX_INPUT_MIB_ENV, DEFAULT_MAX_INPUT_MIB).saturating_mul(1 << 20))
}

/// The highest accepted `awareness_level` (`CORRIDOR_MAX_AWARENESS_LEVEL`).
pub fn max_awareness_level() -> u64 {
    static V: OnceLock<u64> = OnceLock::new();
    *V.get_or_init(|| from_env(MAX_AWARENESS_ENV, DEFAULT_MAX_AWARENESS_LEVEL))
}
