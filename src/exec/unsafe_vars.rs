//! The variables an env file may not set unless the user allows it
//! (`--allow-unsafe-env`): those that make the program, its dynamic loader,
//! its C library, its shell or its language runtime load or run code other
//! than the program, and a `PATH` that looks programs up in the working
//! folder.
//!
//! An env file often comes with a clone, so it is input from whoever wrote
//! the repository. Its ordinary job is configuration (`DATABASE_URL`,
//! `MODE`); these variables instead change what runs, in any program:
//!
//! - every `LD_*` and `DYLD_*` (the loaders of Linux, the BSDs, Solaris and
//!   macOS read many more than glibc's list names);
//! - the rest of glibc's `UNSECURE_ENVVARS` (sysdeps/generic/unsecvars.h),
//!   the variables glibc drops for setuid programs: `GCONV_PATH`,
//!   `GETCONF_DIR`, `GLIBC_TUNABLES`, `HOSTALIASES`, `LOCALDOMAIN`,
//!   `LOCPATH`, `MALLOC_TRACE`, `NIS_PATH`, `NLSPATH`, `RESOLV_HOST_CONF`,
//!   `RES_OPTIONS`, `TMPDIR`, `TZDIR`;
//! - what a shell runs or expands as code: `BASH_ENV`, `ENV`, `ZDOTDIR`,
//!   `BASH_FUNC_*`, `SHELLOPTS`, `BASHOPTS`, `PS0` to `PS4`,
//!   `PROMPT_COMMAND`;
//! - what makes a language runtime load code into every program it runs:
//!   Python's `PYTHONPATH`, `PYTHONHOME`, `PYTHONSTARTUP`,
//!   `PYTHONUSERBASE`, `PYTHONPYCACHEPREFIX`; Node.js's `NODE_OPTIONS`,
//!   `NODE_PATH`; Perl's `PERL5OPT`, `PERL5LIB`, `PERLLIB`; Ruby's
//!   `RUBYOPT`, `RUBYLIB`; Java's `JAVA_TOOL_OPTIONS`, `_JAVA_OPTIONS`,
//!   `JDK_JAVA_OPTIONS`, `CLASSPATH`; .NET's `DOTNET_STARTUP_HOOKS`,
//!   `CORECLR_PROFILER_PATH*`; Lua's `LUA_INIT*`, `LUA_PATH*`,
//!   `LUA_CPATH*`; PHP's `PHPRC`, `PHP_INI_SCAN_DIR`;
//! - by value: `PATH` with an empty or relative entry, and `LANG`,
//!   `LANGUAGE` or `LC_*` holding a `/` (gettext then loads message
//!   catalogs from that path; util-linux and shadow refuse the same).
//!
//! Variables that configure one program (`GIT_SSH_COMMAND`, `PAGER`,
//! `EDITOR`) are left to that program's own trust in its environment, as
//! any other setting of the file is. Names are matched exactly, as the
//! loader and the runtimes read them (case matters).

/// Why a variable of an env file is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Danger {
    /// Read by the dynamic loader (`LD_*`, `DYLD_*`).
    Loader,
    /// On glibc's list of variables dropped for setuid programs.
    Libc,
    /// Run or expanded as code by a shell.
    Shell,
    /// Makes the named language runtime load code.
    Runtime(&'static str),
    /// `PATH` with an empty or relative entry.
    RelativeSearchPath,
    /// A locale variable holding `/`.
    LocalePath,
}

/// The rest of glibc's `UNSECURE_ENVVARS`; its `LD_*` entries are covered
/// by the `LD_` prefix.
const GLIBC: &[&str] = &[
    "GCONV_PATH",
    "GETCONF_DIR",
    "GLIBC_TUNABLES",
    "HOSTALIASES",
    "LOCALDOMAIN",
    "LOCPATH",
    "MALLOC_TRACE",
    "NIS_PATH",
    "NLSPATH",
    "RESOLV_HOST_CONF",
    "RES_OPTIONS",
    "TMPDIR",
    "TZDIR",
];

const SHELL: &[&str] = &[
    "BASH_ENV",
    "ENV",
    "ZDOTDIR",
    "SHELLOPTS",
    "BASHOPTS",
    "PS0",
    "PS1",
    "PS2",
    "PS3",
    "PS4",
    "PROMPT_COMMAND",
];

/// Each runtime with the names it reads exactly and the prefixes it reads.
const RUNTIMES: &[(&str, &[&str], &[&str])] = &[
    (
        "Python",
        &[
            "PYTHONPATH",
            "PYTHONHOME",
            "PYTHONSTARTUP",
            "PYTHONUSERBASE",
            "PYTHONPYCACHEPREFIX",
        ],
        &[],
    ),
    ("Node.js", &["NODE_OPTIONS", "NODE_PATH"], &[]),
    ("Perl", &["PERL5OPT", "PERL5LIB", "PERLLIB"], &[]),
    ("Ruby", &["RUBYOPT", "RUBYLIB"], &[]),
    (
        "Java",
        &[
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "CLASSPATH",
        ],
        &[],
    ),
    (
        ".NET",
        &["DOTNET_STARTUP_HOOKS"],
        &["CORECLR_PROFILER_PATH"],
    ),
    ("Lua", &[], &["LUA_INIT", "LUA_PATH", "LUA_CPATH"]),
    ("PHP", &["PHPRC", "PHP_INI_SCAN_DIR"], &[]),
];

/// Tells why setting `name` is refused whatever its value, or None.
pub fn by_name(name: &str) -> Option<Danger> {
    if name.starts_with("LD_") || name.starts_with("DYLD_") {
        return Some(Danger::Loader);
    }
    if GLIBC.contains(&name) {
        return Some(Danger::Libc);
    }
    if SHELL.contains(&name) || name.starts_with("BASH_FUNC_") {
        return Some(Danger::Shell);
    }
    RUNTIMES
        .iter()
        .find(|(_, names, prefixes)| {
            names.contains(&name) || prefixes.iter().any(|p| name.starts_with(p))
        })
        .map(|(runtime, _, _)| Danger::Runtime(runtime))
}

/// Tells whether `name` is refused only for some values (so a value read
/// from the store is checked once it is read).
pub fn depends_on_value(name: &str) -> bool {
    name == "PATH" || is_locale(name)
}

fn is_locale(name: &str) -> bool {
    name == "LANG" || name == "LANGUAGE" || name.starts_with("LC_")
}

/// Tells why setting `name` to `value` is refused, or None.
pub fn check(name: &str, value: &[u8]) -> Option<Danger> {
    if let Some(danger) = by_name(name) {
        return Some(danger);
    }
    if name == "PATH" && value.split(|b| *b == b':').any(|e| !e.starts_with(b"/")) {
        return Some(Danger::RelativeSearchPath);
    }
    if is_locale(name) && value.contains(&b'/') {
        return Some(Danger::LocalePath);
    }
    None
}

impl Danger {
    /// Says what setting `var` does, after "sets" (never quoting a value).
    pub fn explain(&self, var: &str) -> String {
        match self {
            Danger::Loader => {
                format!(
                    "`{var}`, which the dynamic loader reads to load other code into the program"
                )
            }
            Danger::Libc => format!(
                "`{var}`, which glibc drops for setuid programs because it loads code or redirects files"
            ),
            Danger::Shell => format!("`{var}`, which a shell runs or expands as code"),
            Danger::Runtime(runtime) => {
                format!("`{var}`, which makes {runtime} load other code into the program")
            }
            Danger::RelativeSearchPath => format!(
                "`{var}` with an empty or relative entry, which looks programs up in the working folder"
            ),
            Danger::LocalePath => {
                format!("`{var}` to a path, from which gettext would load message catalogs")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_libc_shell_and_runtime_names_are_refused_by_name() {
        for name in ["LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH", "LD_ANYTHING"] {
            assert_eq!(by_name(name), Some(Danger::Loader), "{name}");
        }
        assert_eq!(by_name("DYLD_INSERT_LIBRARIES"), Some(Danger::Loader));
        for name in GLIBC {
            assert_eq!(by_name(name), Some(Danger::Libc), "{name}");
        }
        for name in ["BASH_ENV", "ENV", "PS4", "SHELLOPTS", "BASH_FUNC_ls"] {
            assert_eq!(by_name(name), Some(Danger::Shell), "{name}");
        }
        assert_eq!(by_name("NODE_OPTIONS"), Some(Danger::Runtime("Node.js")));
        assert_eq!(by_name("PYTHONPATH"), Some(Danger::Runtime("Python")));
        assert_eq!(by_name("LUA_INIT_5_4"), Some(Danger::Runtime("Lua")));
        assert_eq!(
            by_name("CORECLR_PROFILER_PATH_64"),
            Some(Danger::Runtime(".NET"))
        );
    }

    #[test]
    fn ordinary_names_and_near_misses_pass() {
        for name in [
            "DATABASE_URL",
            "MODE",
            "ld_preload",
            "OLD_PRELOAD",
            "ENVIRONMENT",
            "MY_ENV",
            "PYTHONUNBUFFERED",
            "NODE_ENV",
            "JAVA_HOME",
            "GOPATH",
            "HOME",
        ] {
            assert_eq!(by_name(name), None, "{name}");
            assert_eq!(check(name, b"./x:"), None, "{name}");
        }
    }

    #[test]
    fn path_is_refused_only_with_an_empty_or_relative_entry() {
        assert!(depends_on_value("PATH"));
        assert_eq!(check("PATH", b"/usr/local/bin:/usr/bin:/bin"), None);
        assert_eq!(check("PATH", b"/opt/tool/bin"), None);
        for bad in [
            &b".:/usr/bin"[..],
            b"/usr/bin::/bin",
            b"/usr/bin:",
            b":/usr/bin",
            b"",
            b"bin:/usr/bin",
            b"~/bin",
        ] {
            assert_eq!(
                check("PATH", bad),
                Some(Danger::RelativeSearchPath),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn locale_variables_are_refused_only_with_a_slash() {
        assert!(depends_on_value("LC_ALL") && depends_on_value("LANGUAGE"));
        assert_eq!(check("LANG", b"en_US.UTF-8"), None);
        assert_eq!(check("LC_MESSAGES", b"de_DE"), None);
        assert_eq!(check("LANGUAGE", b"../../tmp/x"), Some(Danger::LocalePath));
        assert_eq!(check("LC_ALL", b"/tmp/x"), Some(Danger::LocalePath));
    }

    #[test]
    fn explanations_name_the_variable() {
        for danger in [
            Danger::Loader,
            Danger::Libc,
            Danger::Shell,
            Danger::Runtime("Perl"),
            Danger::RelativeSearchPath,
            Danger::LocalePath,
        ] {
            assert!(danger.explain("X_VAR").contains("`X_VAR`"));
        }
    }
}
