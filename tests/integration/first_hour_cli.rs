//! The first hour at the command line: `sm --help` lists every command
//! with its description under its group, the aliases users bring from
//! other tools run, a typo suggests the nearest command, and colour follows
//! the terminal, `--no-color` and NO_COLOR.

use crate::common::TestEnv;

#[test]
fn help_lists_every_command_with_its_description_under_group_headings() {
    let env = TestEnv::bare();
    let out = env.sm(&["--help"]).success().stdout();
    for heading in [
        "Secrets", "Programs", "Rotation", "Scanning", "Team", "Store",
    ] {
        assert!(
            out.contains(&format!("\n{heading} commands:\n")),
            "{heading}: {out}"
        );
    }
    let mut cmd = sm::cli::command();
    cmd.build();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} not listed: {out}"));
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        let listed = line.trim_start()[name.len()..].trim_start();
        let listed = listed.split(" [aliases:").next().unwrap();
        assert!(
            listed.len() >= 10 && about.starts_with(listed),
            "{name}: listed {listed:?}, about {about:?}"
        );
    }
    // `-h` gives the same list.
    assert!(
        env.sm(&["-h"])
            .success()
            .stdout()
            .contains("Team commands:")
    );
}

#[test]
fn aliases_from_other_tools_run() {
    let env = TestEnv::new();
    env.put("app/token", b"v1");
    env.put("app/token", b"v2");
    assert!(env.sm(&["list"]).success().stdout().contains("app/token"));
    let history = env.sm(&["history", "app/token"]).success().stdout();
    assert!(
        history.contains("current") && history.contains("previous"),
        "{history}"
    );
    let pw = env.sm(&["generate"]).success().stdout();
    assert!(pw.trim().len() >= 32, "{pw}");
    env.put("app/a", b"x");
    env.put("app/b", b"y");
    env.sm(&["delete", "app/a"]).success();
    env.sm(&["remove", "app/b", "--force"]).success();
    // A scheduled deletion fails reads; a forced one removes the secret.
    assert_ne!(env.sm(&["get", "app/a"]).code(), 0);
    assert!(!env.sm(&["ls"]).success().stdout().contains("app/b"));
}

#[test]
fn a_mistyped_command_suggests_the_nearest() {
    let env = TestEnv::bare();
    let err = env.sm(&["gett", "x"]).fails(2).stderr();
    assert!(err.contains("a similar subcommand exists: 'get'"), "{err}");
    // Two letters swapped are one edit (clap alone suggests nothing).
    let err = env.sm(&["gte", "x"]).fails(2).stderr();
    assert!(err.contains("a similar subcommand exists: 'get'"), "{err}");
    // Under the command it was typed for.
    let err = env.sm(&["member", "ad"]).fails(2).stderr();
    assert!(err.contains("a similar subcommand exists: 'add'"), "{err}");
    let err = env.sm(&["histroy"]).fails(2).stderr();
    assert!(err.contains("'history'"), "{err}");
    let err = env.sm(&["lst"]).fails(2).stderr();
    assert!(err.contains("'ls'") && err.contains("'list'"), "{err}");
    // Hidden commands are never offered.
    let err = env.sm(&["__ap"]).fails(2).stderr();
    assert!(!err.contains("__api"), "{err}");
}

/// Colour is forced with CLICOLOR_FORCE (as on a terminal); `--no-color`
/// and NO_COLOR turn it off for clap's messages and sm's own.
#[test]
fn no_color_and_no_color_env_print_no_escape_codes() {
    let env = TestEnv::new();
    let forced = |args: &[&str], extra: Option<(&str, &str)>| {
        let mut cmd = env.cmd();
        cmd.env("CLICOLOR_FORCE", "1")
            .env_remove("NO_COLOR")
            .args(args);
        if let Some((k, v)) = extra {
            cmd.env(k, v);
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stderr).into_owned()
    };
    for args in [&["gte"][..], &["get", "no/such"][..]] {
        let coloured = forced(args, None);
        assert!(coloured.contains("\x1b["), "{args:?}: {coloured:?}");
        assert!(coloured.contains("error:"), "{coloured:?}");
        let mut flagged = vec!["--no-color"];
        flagged.extend_from_slice(args);
        let plain = forced(&flagged, None);
        assert!(
            !plain.contains('\x1b') && plain.contains("error:"),
            "{plain:?}"
        );
        let plain = forced(args, Some(("NO_COLOR", "1")));
        assert!(
            !plain.contains('\x1b') && plain.contains("error:"),
            "{plain:?}"
        );
    }
    // sm's own error and hint use clap's colours: red bold, green.
    let coloured = forced(&["get", "no/such"], None);
    assert!(
        coloured.contains("\x1b[1m\x1b[31merror:\x1b[0m"),
        "{coloured:?}"
    );
    if coloured.contains("hint:") {
        assert!(coloured.contains("\x1b[32mhint:\x1b[0m"), "{coloured:?}");
    }
}
