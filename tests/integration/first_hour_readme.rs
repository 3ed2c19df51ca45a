//! The README's Quick start and "Joining a team" run exactly as written,
//! by two people (alice and bob, each with their own HOME) sharing a bare
//! remote, so the README can never be wrong again.
//!
//! Each ```sh block under those headings runs in bash, line by line: a
//! line that fails stops the block and names itself. A block whose first
//! line is a comment `# bob ...` runs as bob (in his home), otherwise as
//! alice (in her home for the Quick start, in the store she created there
//! for "Joining a team"). Two placeholders are filled in: the remote's URL
//! and bob's member card; the test fails if either is missing.

use std::path::Path;

use crate::common::{Run, have};
use crate::first_hour_join::Person;

/// The remote's URL as the README writes it.
const REMOTE_PLACEHOLDER: &str = "git@example.com:team/secrets.git";
/// A member card as the README writes it.
const CARD_PLACEHOLDER: &str = "sm-card:v1:...";
/// What alice types at the Quick start's `sm put prod/api-key`.
const API_KEY: &str = "readme-api-key-value";

/// The ```sh blocks of the section under `heading` (up to the next `## `).
fn blocks(readme: &str, heading: &str) -> Vec<Vec<String>> {
    let mut lines = readme.lines().skip_while(|l| l.trim_end() != heading);
    assert!(lines.next().is_some(), "the README has no `{heading}`");
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in lines {
        if current.is_none() && line.starts_with("## ") {
            break;
        }
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(Vec::new()),
            (Some(_), "```") => out.extend(current.take()),
            (Some(block), text) => block.push(text.to_string()),
            (None, _) => {}
        }
    }
    out
}

/// Runs one README block line by line as `who` in `dir`; fails the test
/// naming the line that failed.
fn run_block(who: &Person, dir: &Path, block: &[String], stdin: &[u8]) -> Run {
    let mut script = String::new();
    for (i, line) in block.iter().enumerate() {
        script.push_str(line);
        script.push_str(&format!(
            "\n__rc=$?; if [ $__rc -ne 0 ]; then echo \"README line {i} failed with exit $__rc\" >&2; exit 99; fi\n"
        ));
    }
    let run = who.bash(dir, &script, stdin);
    if run.code() != 0 {
        let failed = run
            .stderr()
            .lines()
            .find_map(|l| l.strip_prefix("README line "))
            .and_then(|l| l.split(' ').next()?.parse::<usize>().ok());
        panic!(
            "README step failed for {} in {}: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            who.name,
            dir.display(),
            failed.and_then(|i| block.get(i)),
            run.stdout(),
            run.stderr()
        );
    }
    run
}

/// Replaces `placeholder` in every line, failing if no line has it.
fn fill(blocks: &mut [Vec<String>], placeholder: &str, value: &str) {
    let mut found = false;
    for line in blocks.iter_mut().flatten() {
        if line.contains(placeholder) {
            *line = line.replace(placeholder, value);
            found = true;
        }
    }
    assert!(
        found,
        "the README no longer uses the placeholder {placeholder}"
    );
}

#[test]
fn the_readme_quick_start_and_joining_steps_run_as_written() {
    if !have(
        "git",
        "the_readme_quick_start_and_joining_steps_run_as_written",
    ) || !have(
        "bash",
        "the_readme_quick_start_and_joining_steps_run_as_written",
    ) {
        return;
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut quick = blocks(&readme, "## Quick start");
    let mut joining = blocks(&readme, "## Joining a team");
    assert_eq!(quick.len(), 1, "{quick:?}");
    assert_eq!(joining.len(), 3, "{joining:?}");

    let alice = Person::new("alice");
    let bob = Person::new("bob");
    let remote = alice.env.path().join("remote.git");
    alice
        .bash(
            alice.home(),
            &format!("git init -q --bare {}", remote.display()),
            b"",
        )
        .success();
    let url = remote.to_str().unwrap();
    fill(&mut quick, REMOTE_PLACEHOLDER, url);
    fill(&mut joining, REMOTE_PLACEHOLDER, url);

    // Quick start, as alice: `sm put prod/api-key` reads the value from
    // standard input (no terminal).
    let run = run_block(
        &alice,
        alice.home(),
        &quick[0],
        format!("{API_KEY}\n").as_bytes(),
    );
    assert!(
        run.stdout().contains("world"),
        "sm get hello: {}",
        run.stdout()
    );
    let store = alice.home().join("team");
    assert!(store.join(".sm").is_dir());
    let tracked = alice
        .bash(&store, "git ls-files .gitattributes", b"")
        .success();
    assert_eq!(tracked.stdout(), ".gitattributes\n", "committed");

    let mut card = None;
    for i in 0..joining.len() {
        let block = joining[i].clone();
        let first = block.first().map(String::as_str).unwrap_or("");
        let is_bob = first.starts_with("# bob");
        let (who, dir) = if is_bob {
            (&bob, bob.home().to_path_buf())
        } else {
            (&alice, store.clone())
        };
        let run = run_block(who, &dir, &block, b"");
        if is_bob && card.is_none() {
            // bob's first block prints his card; it goes to alice.
            let text = format!("{}{}", run.stdout(), run.stderr());
            let found = text
                .split_whitespace()
                .rfind(|w| w.starts_with("sm-card:v1:"))
                .unwrap_or_else(|| panic!("no member card printed: {text}"))
                .to_string();
            fill(&mut joining[i + 1..], CARD_PLACEHOLDER, &found);
            card = Some(found);
        }
        if i + 1 == joining.len() {
            assert!(is_bob, "the last joining step is bob's");
            assert!(
                run.stdout().ends_with(API_KEY),
                "bob reads the secret: {}",
                run.stdout()
            );
        }
    }
    assert!(card.is_some(), "bob's block printed no card");
}
