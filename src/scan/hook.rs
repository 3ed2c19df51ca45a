//! The git pre-commit hook that runs `sm scan --staged`: installing it
//! (never over someone else's hook unless forced) and removing only our own.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The line that marks a hook as written by sm.
pub const MARKER: &str = "# sm-scan-hook: installed by `sm hook install`";

/// What an install or uninstall did.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// The hook was written (fresh).
    Installed(PathBuf),
    /// sm's hook was there and was rewritten.
    Updated(PathBuf),
    /// A different hook was replaced; it was kept at the second path.
    Replaced(PathBuf, PathBuf),
    /// sm's hook was removed.
    Removed(PathBuf),
    /// There was no hook to remove.
    Absent(PathBuf),
}

/// Returns the pre-commit hook path of the repository holding `dir`
/// (honouring `core.hooksPath` and worktrees).
pub fn hook_path(dir: &Path) -> Result<PathBuf> {
    let out = crate::git::command_with_hooks(dir)
        .args([
            "rev-parse",
            "--path-format=absolute",
            "--git-path",
            "hooks/pre-commit",
        ])
        .output()
        .map_err(|e| Error::invalid(format!("cannot run git: {e}")).with_hint("install git"))?;
    if !out.status.success() {
        return Err(
            Error::invalid(format!("{} is not inside a git repository", dir.display()))
                .with_hint("run `sm hook install` inside the repository to protect"),
        );
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&out.stdout).trim_end(),
    ))
}

/// Quotes `path` for a POSIX shell (single quotes).
fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.to_string_lossy().replace('\'', r"'\''"))
}

/// Returns the hook script, calling `sm_path` when it still exists and `sm`
/// from PATH otherwise; with `store`, the hook checks that store's values
/// (it sets `SM_STORE`), else the store `sm` finds from the repository.
pub fn script(sm_path: &Path, store: Option<&Path>) -> String {
    let pin = match store {
        Some(root) => format!(
            "# The store whose values are checked (`sm --store DIR hook install`).\n\
SM_STORE={}\nexport SM_STORE\n",
            shell_quote(root)
        ),
        None => String::new(),
    };
    format!(
        "#!/bin/sh\n{MARKER}\n# Blocks commits that add plaintext secrets. Remove with `sm hook uninstall`;\n\
# allow one line with an `sm:allow` comment, or paths with .smignore.\n\
{pin}sm={}\n\
[ -x \"$sm\" ] || sm=sm\n\
exec \"$sm\" scan --staged\n",
        shell_quote(sm_path)
    )
}

/// Tells whether the hook file at `path` is sm's.
pub fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains(MARKER))
}

/// Installs the hook for the repository holding `dir`; with `store` (an
/// absolute path), the hook checks that store (see [`script`]).
pub fn install(dir: &Path, sm_path: &Path, store: Option<&Path>, force: bool) -> Result<Change> {
    let path = hook_path(dir)?;
    let existed = path.exists();
    let ours = existed && is_ours(&path);
    let mut backup = None;
    if existed && !ours {
        if !force {
            return Err(Error::conflict(format!(
                "{} exists and is not sm's hook",
                path.display()
            ))
            .with_hint(
                "use --force to replace it (it is kept as pre-commit.sm-backup), or call `sm scan --staged` from it",
            ));
        }
        let saved = path.with_file_name("pre-commit.sm-backup");
        std::fs::rename(&path, &saved).map_err(|e| Error::io("cannot move", &path, e))?;
        backup = Some(saved);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    }
    std::fs::write(&path, script(sm_path, store))
        .map_err(|e| Error::io("cannot write", &path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io("cannot make executable", &path, e))?;
    }
    Ok(match (backup, ours) {
        (Some(saved), _) => Change::Replaced(path, saved),
        (None, true) => Change::Updated(path),
        (None, false) => Change::Installed(path),
    })
}

/// Removes sm's hook; refuses to remove anyone else's.
pub fn uninstall(dir: &Path) -> Result<Change> {
    let path = hook_path(dir)?;
    if !path.exists() {
        return Ok(Change::Absent(path));
    }
    if !is_ours(&path) {
        return Err(Error::conflict(format!(
            "{} is not sm's hook; leaving it alone",
            path.display()
        )));
    }
    std::fs::remove_file(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
    Ok(Change::Removed(path))
}
