//! Man pages (issue 14 item 18): every page has EXAMPLES (where the command
//! has some), EXIT STATUS, ENVIRONMENT and FILES, and the synopsis shows the
//! global options with their arguments.

use crate::common::TestEnv;

/// Writes the man pages and returns one page's roff source with font
/// escapes removed and `\-` turned back into `-`.
fn page(env: &TestEnv, name: &str) -> String {
    let dir = env.path().join("man");
    env.sm(&["man", dir.to_str().unwrap()]).success();
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    text.replace("\\-", "-")
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
}

/// The text of one `.SH` section (up to the next one).
fn section<'a>(page: &'a str, heading: &str) -> &'a str {
    let start = page
        .find(&format!(".SH {heading}\n"))
        .or_else(|| page.find(&format!(".SH \"{heading}\"\n")))
        .unwrap_or_else(|| panic!("no {heading} section in:\n{page}"));
    let rest = &page[start + 4..];
    let end = rest.find("\n.SH ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[test]
fn top_page_and_put_page_have_the_four_sections() {
    let env = TestEnv::bare();
    for name in ["sm.1", "sm-put.1", "sm-exec.1"] {
        let text = page(&env, name);
        for heading in ["EXAMPLES", "EXIT STATUS", "ENVIRONMENT", "FILES"] {
            assert!(
                !section(&text, heading).trim().is_empty(),
                "{name}: {heading}"
            );
        }
    }
    let put = page(&env, "sm-put.1");
    assert!(section(&put, "EXAMPLES").contains("sm put prod/db-password"));
}

#[test]
fn every_page_has_examples_and_internal_commands_have_none() {
    let env = TestEnv::bare();
    let dir = env.path().join("man");
    env.sm(&["man", dir.to_str().unwrap()]).success();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 50, "{names:?}");
    for hidden in ["sm-__api.1", "sm-agent-serve.1"] {
        assert!(!names.iter().any(|n| n == hidden), "{hidden} was written");
    }
    for name in &names {
        let text = page(&env, name);
        let examples = section(&text, "EXAMPLES");
        // Each page's examples run its own command (`sm-log-verify` shows
        // `sm log verify`), the top page any.
        let command = name.trim_end_matches(".1").replace('-', " ");
        let command = command.replace("merge driver", "merge-driver");
        assert!(
            name == "sm.1" || examples.contains(&command),
            "{name}: EXAMPLES do not show `{command}`:\n{examples}"
        );
    }
}

#[test]
fn subcommand_synopsis_shows_global_options_with_their_arguments() {
    let env = TestEnv::bare();
    let put = page(&env, "sm-put.1");
    let synopsis = section(&put, "SYNOPSIS");
    for expected in [
        "sm put",
        "[--store DIR]",
        "[--identity FILE]",
        "[--json]",
        "[-q|--quiet]",
        "[--no-color]",
        "[--file FILE]",
        "NAME [VALUE]",
    ] {
        assert!(
            synopsis.contains(expected),
            "{expected} missing from:\n{synopsis}"
        );
    }
    let member_add = page(&env, "sm-member-add.1");
    assert!(section(&member_add, "SYNOPSIS").contains("[--store DIR]"));
}

#[test]
fn exit_status_lists_every_code_and_environment_the_variables() {
    let env = TestEnv::bare();
    let text = page(&env, "sm-put.1");
    let exit = section(&text, "EXIT STATUS");
    for code in 0..=7 {
        assert!(
            exit.contains(&format!(".TP\n{code}\n")),
            "exit code {code} missing:\n{exit}"
        );
    }
    let environment = section(&text, "ENVIRONMENT");
    for var in [
        "SM_STORE",
        "SM_IDENTITY_FILE",
        "SM_IDENTITY",
        "SM_NO_KEYRING",
        "SM_NO_CACHE",
        "SM_CEILING_DIRECTORIES",
        "SM_LOCK_TIMEOUT",
        "SM_NOW",
        "SM_MEMBER",
        "NO_COLOR",
        "EDITOR",
    ] {
        assert!(environment.contains(var), "{var} missing:\n{environment}");
    }
    let files = section(&text, "FILES");
    for file in [
        "identity.txt",
        "known_stores.toml",
        "trusted_hooks.toml",
        "config.toml",
        "safe_stores",
        "<store>/.sm/store.toml",
    ] {
        assert!(files.contains(file), "{file} missing:\n{files}");
    }
}
