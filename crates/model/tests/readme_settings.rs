//! README.md lists every Flee setting with corridor's support for it, as
//! generated from the settings table. `UPDATE_README=1 cargo test --release
//! -p corridor-model --test readme_settings` rewrites the list.

use corridor_model::settings::listing::{markdown_list, README_END, README_START};
use corridor_model::settings::{COMPAT_SECTION, SETTINGS};

#[test]
fn readme_lists_every_setting_as_the_table_says() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme
        .find(README_START)
        .expect("README has the settings list");
    let end = readme
        .find(README_END)
        .expect("README has the end of the settings list")
        + README_END.len();
    let want = markdown_list();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{want}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        want,
        "README's settings list is stale: run UPDATE_README=1 cargo test --release -p corridor-model --test readme_settings"
    );
    // Complete: one row per Flee key of the table.
    for e in SETTINGS.iter().filter(|e| e.section != COMPAT_SECTION) {
        assert!(want.contains(&format!("| `{}` |", e.key)), "{}", e.key);
    }
}
