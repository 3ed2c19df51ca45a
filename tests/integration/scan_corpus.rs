//! The scan corpus: per rule, true positives and near-miss negatives from
//! `tests/fixtures/scan/corpus/*.toml`, each rendered into every file syntax
//! people write credentials in (one file per rendering, in a sealed temp
//! dir), scanned by one `sm scan --format json` run. Per rule, recall is the
//! share of positive renderings where a finding of that rule overlaps the
//! value, and the false-positive rate the share of negative and near-miss
//! renderings with any finding at all. The test prints the table (visible
//! with `--nocapture`) and fails naming every rule below its recall floor or
//! above its false-positive ceiling, and every rule without a corpus entry.
//!
//! `SM_CORPUS_RULES=id,id` limits the run to those rules (the missing-entry
//! check is then off); `SM_CORPUS_VERBOSE=1` lists every miss and false
//! positive, not only those of failing rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::common::TestEnv;

/// One corpus file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    #[serde(default)]
    rule: Vec<RuleCases>,
}

/// One `[[rule]]` entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleCases {
    id: String,
    name: String,
    #[serde(default = "yes")]
    bare: bool,
    #[serde(default)]
    positives: Vec<String>,
    #[serde(default)]
    negatives: Vec<String>,
    #[serde(default)]
    near_misses: Vec<String>,
    recall_floor: Option<f64>,
    floor_reason: Option<String>,
    fpr_ceiling: Option<f64>,
    #[serde(default)]
    file: Vec<FileCase>,
}

fn yes() -> bool {
    true
}

/// One `[[rule.file]]` whole-file case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCase {
    syntax: String,
    text: String,
    expect: bool,
}

const DEFAULT_RECALL_FLOOR: f64 = 0.95;
const DEFAULT_FPR_CEILING: f64 = 0.03;

/// The neutral name near misses are rendered under.
const NEUTRAL_NAME: &str = "sample_ref";

/// A file syntax: its id, the file name, and how it writes `NAME = V`
/// (`{N}` the name as given, `{n}` lowercased, `{p}` lowercased with dots
/// for underscores, `{V}` the value).
struct Syntax {
    id: &'static str,
    file: &'static str,
    template: &'static str,
}

/// Every syntax of SCANCORPUS.md except `bare`.
const SYNTAXES: &[Syntax] = &[
    Syntax {
        id: "dotenv",
        file: ".env",
        template: "{N}={V}\n",
    },
    Syntax {
        id: "shell",
        file: "setup.sh",
        template: "#!/bin/sh\nexport {N}=\"{V}\"\n",
    },
    Syntax {
        id: "yaml",
        file: "config.yaml",
        template: "{n}: {V}\n",
    },
    Syntax {
        id: "yaml-quoted",
        file: "settings.yaml",
        template: "{n}: \"{V}\"\n",
    },
    Syntax {
        id: "json",
        file: "config.json",
        template: "{\"{n}\": \"{V}\"}\n",
    },
    Syntax {
        id: "toml",
        file: "config.toml",
        template: "{n} = \"{V}\"\n",
    },
    Syntax {
        id: "ini",
        file: "config.ini",
        template: "[section]\n{N} = {V}\n",
    },
    Syntax {
        id: "xml",
        file: "config.xml",
        template: "<{N}>{V}</{N}>\n",
    },
    Syntax {
        id: "properties",
        file: "application.properties",
        template: "{p}={V}\n",
    },
    Syntax {
        id: "go-var",
        file: "config.go",
        template: "var {N} string = \"{V}\"\n",
    },
    Syntax {
        id: "go-short",
        file: "main.go",
        template: "{N} := \"{V}\"\n",
    },
    Syntax {
        id: "python",
        file: "settings.py",
        template: "{N} = \"{V}\"\n",
    },
    Syntax {
        id: "js",
        file: "config.js",
        template: "const {N} = \"{V}\";\n",
    },
    Syntax {
        id: "java",
        file: "Config.java",
        template: "private static final String {N} = \"{V}\";\n",
    },
    Syntax {
        id: "csharp",
        file: "Config.cs",
        template: "var {N} = \"{V}\";\n",
    },
    Syntax {
        id: "php",
        file: "config.php",
        template: "<?php\n${N} = '{V}';\n",
    },
    Syntax {
        id: "php-define",
        file: "define.php",
        template: "<?php\ndefine('{N}', '{V}');\n",
    },
    Syntax {
        id: "ruby",
        file: "config.rb",
        template: "{N} = '{V}'\n",
    },
    Syntax {
        id: "rust",
        file: "config.rs",
        template: "const {N}: &str = \"{V}\";\n",
    },
    Syntax {
        id: "hcl",
        file: "main.tf",
        template: "{N} = \"{V}\"\n",
    },
    Syntax {
        id: "dockerfile",
        file: "Dockerfile",
        template: "FROM alpine\nENV {N}={V}\n",
    },
    Syntax {
        id: "makefile",
        file: "Makefile",
        template: "{N} ?= {V}\n",
    },
    Syntax {
        id: "compose",
        file: "compose.yaml",
        template: "env:\n  - name: {N}\n    value: \"{V}\"\n",
    },
    Syntax {
        id: "actions",
        file: ".github/workflows/ci.yml",
        template: "env:\n  {N}: {V}\n",
    },
];

/// The file name of a whole-file case by its `syntax`.
fn file_case_name(syntax: &str) -> String {
    if let Some(s) = SYNTAXES.iter().find(|s| s.id == syntax) {
        return s.file.to_string();
    }
    match syntax {
        "bare" | "txt" | "text" => "notes.txt".to_string(),
        "yml" => "config.yml".to_string(),
        "dockerfile" => "Dockerfile".to_string(),
        "makefile" => "Makefile".to_string(),
        "go" => "main.go".to_string(),
        "py" => "main.py".to_string(),
        "ts" => "config.ts".to_string(),
        "kotlin" | "kt" => "Config.kt".to_string(),
        "xml" => "config.xml".to_string(),
        "k8s" | "kubernetes" => "secret.yaml".to_string(),
        "curl" => "deploy.sh".to_string(),
        other => format!("file.{other}"),
    }
}

/// What a rendering is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Positive,
    Negative,
    NearMiss,
    FilePositive,
    FileNegative,
}

/// One rendered file.
struct Rendering {
    rule: String,
    kind: Kind,
    /// The path relative to the tree root, with `/`.
    path: String,
    /// What the rendering holds, for messages: the value's first
    /// characters, or the whole-file case's syntax.
    label: String,
    /// The value's span as (line, column) from (inclusive) and to
    /// (exclusive), 1-based, columns in characters; `None` for whole files.
    span: Option<((usize, usize), (usize, usize))>,
}

/// Returns the 1-based (line, column in characters) of byte `offset`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Renders `template` with `name` and `value`, returning the text and the
/// value's byte offset.
fn render(template: &str, name: &str, value: &str) -> (String, usize) {
    let lower = name.to_ascii_lowercase();
    let dotted = lower.replace('_', ".");
    let mut out = String::new();
    let mut offset = 0;
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let token = tail.get(..3).unwrap_or("");
        match token {
            "{N}" => out.push_str(name),
            "{n}" => out.push_str(&lower),
            "{p}" => out.push_str(&dotted),
            "{V}" => {
                offset = out.len();
                out.push_str(value);
            }
            _ => {
                out.push('{');
                rest = &tail[1..];
                continue;
            }
        }
        rest = &tail[3..];
    }
    out.push_str(rest);
    (out, offset)
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Turns a rule id into a safe folder name.
fn folder(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Reads every corpus file, sorted by name.
fn load() -> Vec<(String, RuleCases)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let corpus: Corpus =
            toml::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", file.display()));
        let family = file.file_stem().unwrap().to_string_lossy().to_string();
        for r in corpus.rule {
            out.push((family.clone(), r));
        }
    }
    out
}

/// Writes every rendering of `cases` (entry number `entry`) under `root`.
fn render_cases(root: &Path, entry: usize, cases: &RuleCases, out: &mut Vec<Rendering>) {
    let base = format!("{}/e{entry}", folder(&cases.id));
    let groups: [(Kind, &Vec<String>, &str); 3] = [
        (Kind::Positive, &cases.positives, cases.name.as_str()),
        (Kind::Negative, &cases.negatives, cases.name.as_str()),
        (Kind::NearMiss, &cases.near_misses, NEUTRAL_NAME),
    ];
    for (kind, values, name) in groups {
        let tag = match kind {
            Kind::Positive => "pos",
            Kind::Negative => "neg",
            _ => "near",
        };
        for (i, value) in values.iter().enumerate() {
            let dir = format!("{base}/{tag}{i}");
            let mut add = |file: &str, text: &str, offset: usize| {
                let path = format!("{dir}/{file}");
                write(root, &path, text);
                out.push(Rendering {
                    rule: cases.id.clone(),
                    kind,
                    path,
                    label: value
                        .chars()
                        .take(32)
                        .collect::<String>()
                        .replace('\n', "\\n"),
                    span: Some((position(text, offset), position(text, offset + value.len()))),
                });
            };
            if cases.bare {
                add("bare.txt", &format!("{value}\n"), 0);
            }
            for syntax in SYNTAXES {
                let (text, offset) = render(syntax.template, name, value);
                add(syntax.file, &text, offset);
            }
        }
    }
    for (i, case) in cases.file.iter().enumerate() {
        let path = format!("{base}/file{i}/{}", file_case_name(&case.syntax));
        write(root, &path, &case.text);
        out.push(Rendering {
            rule: cases.id.clone(),
            label: format!("{} file", case.syntax),
            kind: if case.expect {
                Kind::FilePositive
            } else {
                Kind::FileNegative
            },
            path,
            span: None,
        });
    }
}

/// One finding: (rule, line, column).
type Found = (String, usize, usize);

/// Runs `sm scan --no-store --format json` in `root` and returns the
/// findings by path.
fn scan(env: &TestEnv, root: &Path) -> BTreeMap<String, Vec<Found>> {
    let out = env
        .std_cmd()
        .current_dir(root)
        .args(["scan", "--no-store", "--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "sm scan failed ({code}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["omitted"].as_array().is_none_or(|o| o.is_empty()),
        "findings were omitted: {}",
        report["omitted"]
    );
    let mut by_path: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        by_path
            .entry(f["path"].as_str().unwrap().to_string())
            .or_default()
            .push((
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as usize,
                f["column"].as_u64().unwrap() as usize,
            ));
    }
    by_path
}

/// Per-rule counts and the renderings that went wrong.
#[derive(Default)]
struct Tally {
    positives: usize,
    found: usize,
    negatives: usize,
    flagged: usize,
    recall_floor: f64,
    fpr_ceiling: f64,
    /// Per rendered value (its folder): what it is, and the files that
    /// went wrong with what was found in them.
    problems: BTreeMap<String, (String, Vec<String>)>,
}

impl Tally {
    /// Records that rendering `r` was `what` (missed or flagged), with the
    /// rules found in it.
    fn problem(&mut self, r: &Rendering, what: &str, found: &[Found]) {
        let (dir, file) = r.path.rsplit_once('/').unwrap_or(("", &r.path));
        let (dir, file) = match dir.split_once("/.github") {
            Some((d, rest)) => (d, format!(".github{rest}/{file}")),
            None => (dir, file.to_string()),
        };
        let mut rules: Vec<&str> = found.iter().map(|(rule, _, _)| rule.as_str()).collect();
        rules.dedup();
        let entry = self
            .problems
            .entry(dir.to_string())
            .or_insert_with(|| (format!("{what} {:?}", r.label), Vec::new()));
        entry.1.push(if rules.is_empty() {
            file
        } else {
            format!("{file} ({})", rules.join(","))
        });
    }

    fn recall(&self) -> f64 {
        if self.positives == 0 {
            1.0
        } else {
            self.found as f64 / self.positives as f64
        }
    }

    fn fpr(&self) -> f64 {
        if self.negatives == 0 {
            0.0
        } else {
            self.flagged as f64 / self.negatives as f64
        }
    }
}

#[test]
fn scan_corpus_recall_and_false_positives_per_rule() {
    let only: Option<BTreeSet<String>> = std::env::var("SM_CORPUS_RULES")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let verbose = std::env::var_os("SM_CORPUS_VERBOSE").is_some_and(|v| v != "0");
    let known: Vec<&str> = sm::scan::rules::all().iter().map(|r| r.id).collect();
    let corpus = load();
    let mut failures = Vec::new();

    let env = TestEnv::bare();
    let root = env.path().join("corpus");
    std::fs::create_dir_all(&root).unwrap();
    let mut renderings = Vec::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (entry, (family, cases)) in corpus.iter().enumerate() {
        if only.as_ref().is_some_and(|o| !o.contains(&cases.id)) {
            continue;
        }
        if !known.contains(&cases.id.as_str()) {
            failures.push(format!(
                "{family}.toml names rule `{}`, which rules::all() does not have",
                cases.id
            ));
            continue;
        }
        if cases.recall_floor.is_some_and(|f| f < DEFAULT_RECALL_FLOOR)
            && cases
                .floor_reason
                .as_ref()
                .is_none_or(|r| r.trim().is_empty())
        {
            failures.push(format!(
                "{family}.toml lowers the recall floor of `{}` without a floor_reason",
                cases.id
            ));
        }
        let tally = tallies.entry(cases.id.clone()).or_insert_with(|| Tally {
            recall_floor: f64::INFINITY,
            fpr_ceiling: f64::NEG_INFINITY,
            ..Tally::default()
        });
        tally.recall_floor = tally
            .recall_floor
            .min(cases.recall_floor.unwrap_or(DEFAULT_RECALL_FLOOR));
        tally.fpr_ceiling = tally
            .fpr_ceiling
            .max(cases.fpr_ceiling.unwrap_or(DEFAULT_FPR_CEILING));
        render_cases(&root, entry, cases, &mut renderings);
    }
    if only.is_none() {
        for id in &known {
            if !tallies.contains_key(*id) {
                failures.push(format!(
                    "rule `{id}` has no entry in tests/fixtures/scan/corpus/"
                ));
            }
        }
    }

    let started = std::time::Instant::now();
    let found = scan(&env, &root);
    let elapsed = started.elapsed();
    let none = Vec::new();
    for r in &renderings {
        let at = found.get(&r.path).unwrap_or(&none);
        let tally = tallies.get_mut(&r.rule).unwrap();
        match r.kind {
            Kind::Positive | Kind::FilePositive => {
                tally.positives += 1;
                let hit = at.iter().any(|(rule, line, col)| {
                    *rule == r.rule
                        && r.span
                            .is_none_or(|(from, to)| from <= (*line, *col) && (*line, *col) < to)
                });
                if hit {
                    tally.found += 1;
                } else {
                    tally.problem(r, "missed", at);
                }
            }
            Kind::Negative | Kind::NearMiss | Kind::FileNegative => {
                tally.negatives += 1;
                if !at.is_empty() {
                    tally.flagged += 1;
                    tally.problem(r, "flagged", at);
                }
            }
        }
    }
    // Findings in files that are not renderings would be a harness bug.
    let paths: BTreeSet<&str> = renderings.iter().map(|r| r.path.as_str()).collect();
    for path in found.keys() {
        assert!(
            paths.contains(path.as_str()),
            "finding in unknown file {path}"
        );
    }

    println!(
        "scan corpus: {} renderings scanned in {:.2?}",
        renderings.len(),
        elapsed
    );
    println!(
        "{:<34} {:>9} {:>8} {:>9} {:>7}",
        "rule", "positives", "recall", "negatives", "fpr"
    );
    let (mut pos, mut hit, mut neg, mut flag) = (0, 0, 0, 0);
    for (id, t) in &tallies {
        pos += t.positives;
        hit += t.found;
        neg += t.negatives;
        flag += t.flagged;
        let bad_recall = t.recall() < t.recall_floor;
        let bad_fpr = t.fpr() > t.fpr_ceiling;
        println!(
            "{:<34} {:>9} {:>7.1}%{} {:>8} {:>6.1}%{}",
            id,
            t.positives,
            t.recall() * 100.0,
            if bad_recall { "!" } else { " " },
            t.negatives,
            t.fpr() * 100.0,
            if bad_fpr { "!" } else { " " },
        );
        if bad_recall {
            failures.push(format!(
                "`{id}`: recall {:.1}% below its floor {:.1}%",
                t.recall() * 100.0,
                t.recall_floor * 100.0
            ));
        }
        if bad_fpr {
            failures.push(format!(
                "`{id}`: false-positive rate {:.1}% above its ceiling {:.1}%",
                t.fpr() * 100.0,
                t.fpr_ceiling * 100.0
            ));
        }
        if verbose || bad_recall || bad_fpr {
            for (dir, (what, files)) in &t.problems {
                println!("    {dir}: {what} in {}", files.join(" "));
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!(
        "{:<34} {:>9} {:>7.1}%  {:>8} {:>6.1}%",
        "all",
        pos,
        ratio(hit, pos) * 100.0,
        neg,
        ratio(flag, neg) * 100.0
    );
    assert!(
        failures.is_empty(),
        "scan corpus failures:\n{}",
        failures.join("\n")
    );
}
