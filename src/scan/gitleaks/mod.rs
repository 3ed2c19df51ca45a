//! A repository's `.gitleaks.toml` (gitleaks v8 format), so a team moving
//! from gitleaks keeps its tuning: its custom `[[rules]]` run beside sm's
//! own, and its allowlists (`[allowlist]`, `[[allowlists]]`, per-rule
//! `[rules.allowlist]` / `[[rules.allowlists]]`) suppress findings as
//! gitleaks does (regexes against the secret, the match or the line;
//! paths; commits; stopwords; OR or AND).
//!
//! What a hostile file in a clone can do: hide findings of credential
//! formats (as a `.smignore` can), or add findings. It cannot hide this
//! store's own values (`managed-secret`) nor plaintext inside the store:
//! allowlists never apply to them, since a `.gitleaks.toml` is written by
//! whoever can push to the scanned repository, and a store value in a file
//! is never a false alarm. Nor can it make sm hang or crash: the file is
//! read with a cap and without following a link, regexes match in linear
//! time with size and nesting limits, and a file whose regex the `regex`
//! crate refuses is a one-line error (exit 2).

mod parse;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use aho_corasick::AhoCorasick;
use regex::bytes::Regex;

use super::engine::{BufferKind, Hit};
use super::{Prepared, Skipped, walk};
use crate::error::Result;

/// The file name, read at the repository root.
pub const FILE_NAME: &str = ".gitleaks.toml";

/// The largest `.gitleaks.toml` read.
pub const MAX_SIZE: u64 = 1024 * 1024;

/// The most custom-rule matches kept per buffer: a regex that matches
/// everywhere (`.`) is a broken rule, not a million findings.
const MAX_CUSTOM_HITS: usize = 100_000;

/// Where an allowlist's regexes look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// The secret (the rule's secret group).
    Secret,
    /// The whole match of the rule's regex (for sm's own rules, the secret).
    Match,
    /// The whole line the secret starts on.
    Line,
}

/// One allowlist, compiled.
#[derive(Clone, Debug)]
struct Allowlist {
    and: bool,
    target: Target,
    regexes: Vec<Regex>,
    paths: Vec<Regex>,
    commits: Vec<String>,
    stopwords: Option<AhoCorasick>,
}

/// One custom rule, compiled.
#[derive(Debug)]
struct CustomRule {
    id: String,
    description: String,
    regex: Option<Regex>,
    path: Option<Regex>,
    secret_group: usize,
    entropy: f64,
    keywords: Vec<String>,
}

/// A compiled `.gitleaks.toml`.
#[derive(Debug, Default)]
pub struct Config {
    /// The folder whose file this is: paths are matched relative to it.
    root: PathBuf,
    rules: Vec<CustomRule>,
    keywords: Option<(AhoCorasick, Vec<usize>)>,
    /// Allowlists for every rule.
    global: Vec<Allowlist>,
    /// Allowlists for one rule id (a custom rule's own, `targetRules`, or
    /// an extension of one of sm's rules).
    targeted: HashMap<String, Vec<Allowlist>>,
    /// What of the file sm does not do, in words (shown with `-v`).
    pub notes: Vec<String>,
}

/// One hit and the range of its rule's whole match.
struct Candidate {
    hit: Hit,
    matched: (usize, usize),
}

impl Config {
    fn finish(&mut self) {
        self.keywords = parse::keyword_automaton(&self.rules);
    }

    /// The custom rules as (id, description), in file order.
    pub fn rules(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rules
            .iter()
            .map(|r| (r.id.as_str(), r.description.as_str()))
    }

    /// Tells whether the file changes anything (rules or allowlists).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.global.is_empty() && self.targeted.is_empty()
    }

    /// Runs the custom rules over a buffer, drops the hits the allowlists
    /// allow (never a managed value's), and returns every hit by position:
    /// where a custom hit overlaps one of sm's, sm's is kept.
    pub(crate) fn apply(
        &self,
        hits: Vec<Hit>,
        data: &[u8],
        path: &str,
        real_path: Option<&Path>,
        commit: Option<&str>,
        kind: BufferKind,
    ) -> Vec<Hit> {
        let rel = self.relative(path, real_path);
        let mut state = State::new(data, &rel, commit);
        let mut kept: Vec<Hit> = hits
            .into_iter()
            .filter(|h| {
                let range = (h.start, h.end);
                !self.allowed(&mut state, h, range)
            })
            .collect();
        if kind.lock_file || self.rules.is_empty() {
            return kept;
        }
        let custom: Vec<Candidate> = self
            .find(data, &rel)
            .into_iter()
            .filter(|c| !self.allowed(&mut state, &c.hit, c.matched))
            .collect();
        if custom.is_empty() {
            return kept;
        }
        let mut taken: BTreeMap<usize, usize> = kept.iter().map(|h| (h.start, h.end)).collect();
        for c in custom {
            let (start, end) = (c.hit.start, c.hit.end);
            let before = taken.range(..end).next_back();
            let overlaps = start < end && before.is_some_and(|(s, e)| *s < end && start < *e);
            if !overlaps {
                if start < end {
                    taken.insert(start, end);
                }
                kept.push(c.hit);
            }
        }
        kept.sort_by_key(|h| (h.start, h.end));
        kept
    }

    /// The path relative to the file's folder, `/`-separated (the shown
    /// path when the real one is not under it).
    fn relative(&self, shown: &str, real: Option<&Path>) -> String {
        real.map(normalize)
            .and_then(|r| {
                r.strip_prefix(&self.root)
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| shown.to_string())
    }

    /// The custom rules' matches in a buffer, each rule's in order.
    fn find(&self, data: &[u8], rel: &str) -> Vec<Candidate> {
        let mut triggered = vec![false; self.rules.len()];
        if let Some((automaton, owner)) = &self.keywords {
            for m in automaton.find_overlapping_iter(data) {
                triggered[owner[m.pattern().as_usize()]] = true;
            }
        }
        let mut out = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            if !rule.keywords.is_empty() && !triggered[i] {
                continue;
            }
            if let Some(p) = &rule.path
                && !p.is_match(rel.as_bytes())
            {
                continue;
            }
            let Some(regex) = &rule.regex else {
                // A path-only rule: the file itself is the finding.
                out.push(candidate(rule, 0, 0, (0, 0)));
                continue;
            };
            for caps in regex.captures_iter(data) {
                if out.len() >= MAX_CUSTOM_HITS {
                    return out;
                }
                let whole = caps.get(0).expect("group 0 exists");
                if whole.is_empty() {
                    continue;
                }
                let secret = if rule.secret_group > 0 {
                    caps.get(rule.secret_group)
                } else {
                    caps.iter()
                        .skip(1)
                        .flatten()
                        .find(|g| !g.is_empty())
                        .or(Some(whole))
                };
                let Some(secret) = secret.filter(|s| !s.is_empty()) else {
                    continue;
                };
                if rule.entropy > 0.0
                    && super::rules::shannon_entropy(secret.as_bytes()) <= rule.entropy
                {
                    continue;
                }
                out.push(candidate(
                    rule,
                    secret.start(),
                    secret.end(),
                    (whole.start(), whole.end()),
                ));
            }
        }
        out
    }

    /// Tells whether an allowlist allows a hit: the global ones and those
    /// of its rule id. A managed value is never allowed here.
    fn allowed(&self, state: &mut State, hit: &Hit, matched: (usize, usize)) -> bool {
        if hit.secret.is_some() {
            return false;
        }
        let own = self.targeted.get(&hit.rule).map(Vec::as_slice);
        self.global
            .iter()
            .chain(own.unwrap_or(&[]))
            .any(|a| a.allows(state, hit, matched))
    }
}

fn candidate(rule: &CustomRule, start: usize, end: usize, matched: (usize, usize)) -> Candidate {
    Candidate {
        hit: Hit::new(start, end, rule.id.clone(), rule.description.clone()),
        matched,
    }
}

/// What one buffer's allowlist checks share: the path, the commit, and the
/// last line looked up (hits come by position, so each line is found once).
struct State<'a> {
    data: &'a [u8],
    path: &'a str,
    commit: Option<String>,
    line: Option<(usize, usize)>,
}

impl<'a> State<'a> {
    fn new(data: &'a [u8], path: &'a str, commit: Option<&str>) -> State<'a> {
        State {
            data,
            path,
            commit: commit.map(str::to_ascii_lowercase),
            line: None,
        }
    }

    /// The line holding `offset`.
    fn line(&mut self, offset: usize) -> &'a [u8] {
        let data = self.data;
        let (start, end) = match self.line {
            Some((s, e)) if s <= offset && offset <= e => (s, e),
            _ => {
                let s = data[..offset.min(data.len())]
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |i| i + 1);
                let e = data[offset.min(data.len())..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(data.len(), |i| offset + i);
                self.line = Some((s, e));
                (s, e)
            }
        };
        &data[start..end]
    }
}

impl Allowlist {
    fn allows(&self, state: &mut State, hit: &Hit, matched: (usize, usize)) -> bool {
        let secret = &state.data[hit.start..hit.end];
        let mut checks: Vec<bool> = Vec::with_capacity(4);
        if !self.commits.is_empty() {
            checks.push(
                state
                    .commit
                    .as_ref()
                    .is_some_and(|c| self.commits.iter().any(|a| a == c)),
            );
        }
        if !self.paths.is_empty() {
            checks.push(self.paths.iter().any(|p| p.is_match(state.path.as_bytes())));
        }
        if !self.regexes.is_empty() {
            let text = match self.target {
                Target::Secret => secret,
                Target::Match => &state.data[matched.0..matched.1],
                Target::Line => state.line(hit.start),
            };
            checks.push(self.regexes.iter().any(|r| r.is_match(text)));
        }
        if let Some(words) = &self.stopwords {
            checks.push(words.is_match(secret));
        }
        if self.and {
            !checks.is_empty() && checks.iter().all(|c| *c)
        } else {
            checks.iter().any(|c| *c)
        }
    }
}

/// Removes `.` and resolves `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The folder whose `.gitleaks.toml` applies to a scan: the repository
/// root for `--staged` and `--history`; for paths, the repository holding
/// the first one (or the current folder), else that folder itself.
pub fn root_for(prepared: &Prepared, cwd: &Path) -> PathBuf {
    match prepared {
        Prepared::Staged { root, .. } | Prepared::History { root, .. } => root.clone(),
        Prepared::Paths(paths) => {
            let first = normalize(&cwd.join(paths.first().map_or(Path::new("."), |p| p)));
            let dir = if first.is_dir() {
                first
            } else {
                first.parent().map_or(first.clone(), Path::to_path_buf)
            };
            dir.ancestors()
                .find(|d| d.join(".git").exists())
                .map_or_else(|| dir.clone(), Path::to_path_buf)
        }
    }
}

/// Reads and compiles `root/.gitleaks.toml`. Absent: `None`. A link, a
/// special file or one over [`MAX_SIZE`] is not read (the note says so):
/// without it sm only finds more. A file sm cannot use (bad TOML, a regex
/// the `regex` crate refuses) is an error.
pub fn load(root: &Path) -> Result<(Option<Config>, Option<Skipped>)> {
    let path = root.join(FILE_NAME);
    let data = match walk::read_regular(&path, MAX_SIZE) {
        Ok(data) => data,
        Err(walk::Unread::Failed(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((None, None));
        }
        Err(unread) => {
            return Ok((
                None,
                Some(Skipped {
                    path: FILE_NAME.to_string(),
                    reason: format!("not read: {}", unread.describe(MAX_SIZE)),
                }),
            ));
        }
    };
    let text = String::from_utf8(data).map_err(|_| {
        crate::error::Error::invalid(format!("{FILE_NAME}: the file is not UTF-8 text"))
    })?;
    let sm_rules: Vec<&str> = super::rules::all().iter().map(|r| r.id).collect();
    let mut config = parse::parse(&text, &sm_rules)?;
    config.root = normalize(root);
    Ok((Some(config), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        parse::parse(text, &["github-token"]).expect("parses")
    }

    fn run(c: &Config, data: &str, path: &str) -> Vec<String> {
        c.apply(
            Vec::new(),
            data.as_bytes(),
            path,
            None,
            None,
            BufferKind::default(),
        )
        .iter()
        .map(|h| format!("{}:{}", h.rule, &data[h.start..h.end]))
        .collect()
    }

    #[test]
    fn custom_rule_secret_group_entropy_and_keywords() {
        let c = config(
            r#"
[[rules]]
id = "acme"
regex = '''acme_(key)=([a-z0-9]{8})'''
secretGroup = 2
keywords = ["ACME_"]
entropy = 2.0
"#,
        );
        assert_eq!(run(&c, "x acme_key=q8w7e6r5\n", "a"), ["acme:q8w7e6r5"]);
        // Below the entropy floor.
        assert!(run(&c, "acme_key=aaaaaaaa\n", "a").is_empty());
    }

    #[test]
    fn first_nonempty_group_is_the_secret() {
        let c = config("[[rules]]\nid = \"t\"\nregex = '''(x)?tok-([0-9]+)'''\n");
        assert_eq!(run(&c, "tok-42", "a"), ["t:42"]);
    }

    #[test]
    fn allowlist_targets_and_conditions() {
        let c = config(
            r#"
[[rules]]
id = "t"
regex = '''tok-[0-9a-z]+'''
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''fixture''']
[[rules.allowlists]]
condition = "AND"
paths = ['''^test/''']
stopwords = ["dead"]
"#,
        );
        assert!(run(&c, "a = tok-123 # fixture", "src/a").is_empty());
        assert_eq!(run(&c, "a = tok-123", "src/a").len(), 1);
        assert_eq!(run(&c, "a = tok-dead1", "src/a").len(), 1);
        assert!(run(&c, "a = tok-dead1", "test/a").is_empty());
        assert_eq!(run(&c, "a = tok-live1", "test/a").len(), 1);
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        for bad in [
            "[[rules]]\nid = \"x\"\nregex = '''(?=look)'''\n",
            "[[rules]]\nid = \"managed-secret\"\nregex = 'a'\n",
            "[[rules]]\nid = \"x\"\nregex = '''a(b)'''\nsecretGroup = 3\n",
            "[allowlist]\nregexTarget = \"file\"\nregexes = ['a']\n",
            "rules = 3",
        ] {
            let e = parse::parse(bad, &[]).expect_err(bad).to_string();
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
