//! Env files as sources of variables for `sm exec` and `sm env`: each
//! `VAR=value` line is a literal and each `VAR=sm://NAME...` line a secret
//! to read, and a line that would make the program load or run other code
//! ([`unsafe_vars`](super::unsafe_vars)) is refused with exit 2 naming the
//! file, the line and the variable, unless the user allows it.
//!
//! Names are judged as the file is read, before the store is touched; a
//! variable judged by its value (`PATH`) whose value comes from the store is
//! judged once it is read, before any program sees it
//! ([`PendingChecks::check`]).

use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use super::unsafe_vars::{self, Danger};
use super::{Item, Naming, Reference, Variable};
use crate::error::{Error, Result};

/// The most bytes an env file may hold (1 MiB): room for many 64 KiB
/// values, and a stop for `/dev/zero` or a runaway pipe.
pub const MAX_ENV_FILE_BYTES: usize = 1 << 20;

/// What an env file may set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EnvPolicy {
    /// Refuse the variables of [`unsafe_vars`](super::unsafe_vars).
    #[default]
    Safe,
    /// Set whatever the file says (`--allow-unsafe-env`).
    AllowUnsafe,
}

/// An env file read under a policy.
#[derive(Debug)]
pub struct EnvFile {
    /// Its lines as sources of variables, in order.
    pub items: Vec<Item>,
    /// The checks that wait for a value from the store.
    pub pending: PendingChecks,
}

/// Variables of env files whose values come from the store and are judged
/// by value, so they are checked once read.
#[derive(Debug, Default)]
pub struct PendingChecks {
    /// The variable and the `FILE:LINE` that sets it.
    checks: Vec<(String, String)>,
}

/// Parses an env file: `VAR=value` lines are literals, values starting
/// with `sm://` are references (quoted or not). `source` names the file in
/// errors, which never quote a value. Sets no policy: see [`EnvFile::read`].
pub fn parse_env_file(text: &str, source: &str) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for assignment in super::dotenv::parse(text, source)? {
        let origin = format!("{source}:{}", assignment.line);
        match Reference::parse_url(&assignment.value) {
            Some(reference) => {
                let reference = reference.map_err(|e| Error::invalid(format!("{origin}: {e}")))?;
                items.push(Item::Secret {
                    reference,
                    naming: Naming::Var(assignment.key),
                    origin,
                });
            }
            None => items.push(Item::Literal {
                var: assignment.key,
                value: assignment.value,
                origin,
            }),
        }
    }
    Ok(items)
}

/// The error for a line that sets a refused variable.
fn refused(origin: &str, var: &str, danger: Danger) -> Error {
    Error::invalid(format!(
        "{origin}: the env file sets {}",
        danger.explain(var)
    ))
    .with_hint(
        "an env file can come from anyone who writes to the repository; \
         if you trust this line, pass --allow-unsafe-env",
    )
}

impl EnvFile {
    /// Reads the env file at `path` (a pipe such as `<(...)` too), at most
    /// [`MAX_ENV_FILE_BYTES`], in a buffer wiped on drop, then as
    /// [`EnvFile::read`]. Any failure is exit 2 naming the file.
    pub fn load(path: &Path, policy: EnvPolicy) -> Result<EnvFile> {
        let shown = path.display().to_string();
        let cannot =
            |why: String| Error::invalid(format!("cannot read the env file {shown}: {why}"));
        let file = std::fs::File::open(path).map_err(|e| cannot(e.to_string()))?;
        // Reserved up front, so no reallocation leaves a copy unwiped.
        let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_ENV_FILE_BYTES + 1));
        file.take(MAX_ENV_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(e.to_string()))?;
        if bytes.len() > MAX_ENV_FILE_BYTES {
            return Err(cannot(format!(
                "it holds more than {} KiB",
                MAX_ENV_FILE_BYTES / 1024
            )));
        }
        let text =
            std::str::from_utf8(&bytes).map_err(|_| cannot("it is not UTF-8 text".into()))?;
        EnvFile::read(text, &shown, policy)
    }

    /// Parses an env file and, under [`EnvPolicy::Safe`], refuses its first
    /// line that sets an unsafe variable (exit 2, naming `source`, the line
    /// and the variable, never the value), whether the value is literal or
    /// an `sm://` reference.
    pub fn read(text: &str, source: &str, policy: EnvPolicy) -> Result<EnvFile> {
        let items = parse_env_file(text, source)?;
        let mut pending = PendingChecks::default();
        if policy == EnvPolicy::AllowUnsafe {
            return Ok(EnvFile { items, pending });
        }
        for item in &items {
            match item {
                Item::Literal { var, value, origin } => {
                    if let Some(danger) = unsafe_vars::check(var, value.as_bytes()) {
                        return Err(refused(origin, var, danger));
                    }
                }
                Item::Secret { naming, origin, .. } => {
                    let Naming::Var(var) = naming else {
                        continue;
                    };
                    if let Some(danger) = unsafe_vars::by_name(var) {
                        return Err(refused(origin, var, danger));
                    }
                    if unsafe_vars::depends_on_value(var) {
                        pending.checks.push((var.clone(), origin.clone()));
                    }
                }
            }
        }
        Ok(EnvFile { items, pending })
    }
}

impl PendingChecks {
    /// Adds the checks of another env file.
    pub fn extend(&mut self, other: PendingChecks) {
        self.checks.extend(other.checks);
    }

    /// Tells whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// Checks the values read for the env-file lines that wait for one. A
    /// variable a later source replaced (`--override`) is not the file's
    /// any more and is not checked.
    pub fn check(&self, variables: &[Variable]) -> Result<()> {
        for (var, origin) in &self.checks {
            let set = variables
                .iter()
                .filter(|v| &v.name == var && &v.origin == origin);
            for variable in set {
                if let Some(danger) = unsafe_vars::check(var, &variable.value) {
                    return Err(refused(origin, var, danger));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use zeroize::Zeroizing;

    use super::*;

    #[test]
    fn env_file_literals_and_references() {
        let text = "# c\nexport A=plain\nB=\"sm://x/y#f\"\nC='sm://z?version=v1'\n";
        let items = parse_env_file(text, "f.env").unwrap();
        assert_eq!(items.len(), 3);
        assert!(
            matches!(&items[0], Item::Literal { var, value, .. } if var == "A" && value.as_str() == "plain")
        );
        let Item::Secret {
            reference,
            naming,
            origin,
        } = &items[1]
        else {
            panic!()
        };
        assert_eq!(reference.name, "x/y");
        assert_eq!(naming, &Naming::Var("B".into()));
        assert_eq!(origin, "f.env:3");
        let err = parse_env_file("A=sm://../x\n", "f.env").unwrap_err();
        assert!(err.to_string().starts_with("f.env:1:"));
    }

    fn refusal(text: &str) -> String {
        let err = EnvFile::read(text, "f.env", EnvPolicy::Safe).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{err}");
        err.to_string()
    }

    #[test]
    fn unsafe_lines_are_refused_naming_file_line_and_variable_not_value() {
        let msg = refusal("A=1\n\nexport LD_PRELOAD=/tmp/evil-value.so\n");
        assert!(msg.starts_with("f.env:3: "), "{msg}");
        assert!(msg.contains("`LD_PRELOAD`"), "{msg}");
        assert!(!msg.contains("evil-value"), "{msg}");
        // A reference is refused by its name before anything is read.
        let msg = refusal("OK=1\nBASH_ENV=sm://prod/script\n");
        assert!(msg.starts_with("f.env:2: ") && msg.contains("`BASH_ENV`"));
        let msg = refusal("PATH=\"/usr/bin:.:/bin\"\n");
        assert!(msg.contains("`PATH`") && msg.contains("relative"), "{msg}");
        // The first offending line is the one named.
        let msg = refusal("NODE_OPTIONS=--require=./x.js\nLD_AUDIT=x\n");
        assert!(msg.starts_with("f.env:1: ") && msg.contains("Node.js"));
    }

    #[test]
    fn safe_files_and_the_explicit_policy_pass() {
        let file = EnvFile::read(
            "MODE=prod\nPATH=/opt/bin:/usr/bin\nLANG=C.UTF-8\nTOKEN=sm://t\n",
            "f.env",
            EnvPolicy::Safe,
        )
        .unwrap();
        assert_eq!(file.items.len(), 4);
        assert!(file.pending.is_empty());
        let file = EnvFile::read(
            "LD_PRELOAD=/x.so\nPATH=.:/bin\nBASH_ENV=sm://s\n",
            "f.env",
            EnvPolicy::AllowUnsafe,
        )
        .unwrap();
        assert_eq!(file.items.len(), 3);
    }

    fn var(name: &str, value: &[u8], origin: &str) -> Variable {
        Variable {
            implicit: None,
            name: name.into(),
            value: Zeroizing::new(value.to_vec()),
            origin: origin.into(),
        }
    }

    #[test]
    fn a_path_from_the_store_is_checked_once_read() {
        let file = EnvFile::read("A=1\nPATH=sm://tools/path\n", "f.env", EnvPolicy::Safe).unwrap();
        assert!(!file.pending.is_empty());
        file.pending
            .check(&[var("PATH", b"/usr/bin:/bin", "f.env:2")])
            .unwrap();
        let err = file
            .pending
            .check(&[var("PATH", b"/usr/bin::/secret-ish", "f.env:2")])
            .unwrap_err();
        assert!(err.to_string().starts_with("f.env:2: "), "{err}");
        assert!(!err.to_string().contains("secret-ish"));
        // Replaced by a later source (`-s x=PATH --override`): not the file's.
        file.pending
            .check(&[var("PATH", b".:/bin", "-s x=PATH")])
            .unwrap();
    }
}

/// Property tests: the env-file reader never panics on any input, under
/// either policy.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn env_files_never_panic(
            parts in prop::collection::vec(
                prop_oneof![
                    any::<String>(),
                    prop::sample::select(vec![
                        "A=sm://", "sm://a#b", "?label=", "?version=", "LD_PRELOAD=", "PATH=",
                        "LANG=", "\n", "=", "#", "\"", "'", ":", "/", "export ",
                    ]).prop_map(str::to_string),
                ],
                0..10,
            )
        ) {
            let text = parts.concat();
            let _ = parse_env_file(&text, "t");
            let _ = EnvFile::read(&text, "t", EnvPolicy::Safe);
        }
    }
}
