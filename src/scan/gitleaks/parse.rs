//! Reading a `.gitleaks.toml` (gitleaks v8 format) into compiled rules and
//! allowlists. Every regex is Go RE2 syntax compiled by the `regex` crate
//! (linear-time matching) with size and nesting limits, so a hostile file
//! costs at most a bounded compile and never a hang; whatever the crate
//! refuses is a one-line error naming the rule or allowlist (exit 2).

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use super::{Allowlist, Config, CustomRule, Target};
use crate::error::{Error, Result};

/// The largest compiled program (and lazy DFA cache) of one regex: gitleaks'
/// own default rules compile to a few dozen kilobytes each.
const REGEX_SIZE_LIMIT: usize = 256 * 1024;

/// The deepest group nesting a regex may have.
const REGEX_NEST_LIMIT: u32 = 64;

/// At most this many custom rules and allowlists (each).
const MAX_RULES: usize = 1000;

/// At most this many regexes (rule regexes, paths, allowlist regexes) in
/// all: with [`REGEX_SIZE_LIMIT`], this bounds what a file can make sm
/// allocate.
const MAX_REGEXES: usize = 2000;

/// Rule ids a custom rule may not take: findings of sm's own kinds.
const RESERVED: &[&str] = &["managed-secret", "store-plaintext", "store-special-file"];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawConfig {
    extend: RawExtend,
    rules: Vec<RawRule>,
    #[serde(alias = "allowList", alias = "AllowList")]
    allowlist: Option<RawAllowlist>,
    #[serde(alias = "allowLists", alias = "AllowLists")]
    allowlists: Vec<RawAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawExtend {
    #[serde(alias = "useDefault", alias = "usedefault")]
    use_default: bool,
    path: Option<String>,
    url: Option<String>,
    #[serde(alias = "disabledRules", alias = "disabledrules")]
    disabled_rules: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRule {
    id: String,
    description: String,
    regex: Option<String>,
    path: Option<String>,
    #[serde(alias = "secretGroup", alias = "secretgroup")]
    secret_group: usize,
    entropy: f64,
    keywords: Vec<String>,
    #[serde(alias = "skipReport", alias = "skipreport")]
    skip_report: bool,
    #[serde(alias = "allowList", alias = "AllowList")]
    allowlist: Option<RawAllowlist>,
    #[serde(alias = "allowLists", alias = "AllowLists")]
    allowlists: Vec<RawAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawAllowlist {
    description: String,
    condition: String,
    commits: Vec<String>,
    paths: Vec<String>,
    #[serde(alias = "regexTarget", alias = "regextarget")]
    regex_target: String,
    regexes: Vec<String>,
    #[serde(alias = "stopWords", alias = "stopwords")]
    stop_words: Vec<String>,
    #[serde(alias = "targetRules", alias = "targetrules")]
    target_rules: Vec<String>,
}

/// Counts the regexes compiled so far against [`MAX_REGEXES`].
struct Budget(usize);

impl Budget {
    fn compile(&mut self, pattern: &str, what: &str) -> Result<Regex> {
        self.0 += 1;
        if self.0 > MAX_REGEXES {
            return Err(invalid(format!("it holds more than {MAX_REGEXES} regexes")));
        }
        compile(pattern).map_err(|why| invalid(format!("{what}: the regex {why}")))
    }
}

fn invalid(what: String) -> Error {
    Error::invalid(format!("{}: {what}", super::FILE_NAME))
}

/// Compiles a Go RE2 regex: first with ASCII `\w`, `\d`, `\s` and `\b`
/// (as RE2 has them), then, if that is refused (`\pL` and the like), with
/// Unicode classes. Returns why it is refused, in one line.
pub(super) fn compile(pattern: &str) -> std::result::Result<Regex, String> {
    let build = |unicode: bool| {
        RegexBuilder::new(pattern)
            .unicode(unicode)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
    };
    build(false).or_else(|_| build(true)).map_err(|e| match e {
        regex::Error::CompiledTooBig(limit) => {
            format!("compiles to more than {limit} bytes (sm's limit)")
        }
        regex::Error::Syntax(text) => {
            let reason = text
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("error:"))
                .unwrap_or("has a syntax error")
                .trim()
                .to_string();
            format!("is not accepted ({reason})")
        }
        _ => "is not accepted".to_string(),
    })
}

/// Parses and compiles the text of a `.gitleaks.toml`.
pub(super) fn parse(text: &str, sm_rules: &[&str]) -> Result<Config> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let message = e.message().lines().next().unwrap_or("invalid").trim();
        invalid(match line {
            Some(line) => format!("line {line}: {message}"),
            None => message.to_string(),
        })
    })?;
    if raw.rules.len() > MAX_RULES {
        return Err(invalid(format!("it has more than {MAX_RULES} rules")));
    }
    let mut budget = Budget(0);
    let mut config = Config::default();
    let e = &raw.extend;
    if e.use_default {
        config.notes.push(
            "[extend] useDefault: gitleaks' default rules are not run; sm's own rules always run"
                .to_string(),
        );
    }
    if e.path.is_some() || e.url.is_some() {
        config
            .notes
            .push("[extend] path and url are not read: only this file is used".to_string());
    }
    if !e.disabled_rules.is_empty() {
        config.notes.push(
            "[extend] disabledRules names gitleaks' default rules, which sm does not run; sm's own rules stay on"
                .to_string(),
        );
    }
    let mut allowlist_count = 0usize;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for rule in raw.rules {
        let what = format!("rule `{}`", rule.id);
        if rule.id.is_empty() {
            return Err(invalid("a rule has no id".to_string()));
        }
        if RESERVED
            .iter()
            .any(|r| rule.id == *r || rule.id.starts_with(&format!("{r}-")))
        {
            return Err(invalid(format!(
                "{what}: this id is reserved for sm's own findings"
            )));
        }
        if seen.insert(rule.id.clone(), config.rules.len()).is_some() {
            return Err(invalid(format!("{what} is defined twice")));
        }
        if rule.allowlist.is_some() && !rule.allowlists.is_empty() {
            return Err(invalid(format!(
                "{what}: [rules.allowlist] cannot be used alongside [[rules.allowlists]]"
            )));
        }
        let lists: Vec<RawAllowlist> = rule.allowlist.into_iter().chain(rule.allowlists).collect();
        for list in lists {
            allowlist_count += 1;
            let compiled = allowlist(list, &what, &mut budget)?;
            config
                .targeted
                .entry(rule.id.clone())
                .or_default()
                .push(compiled);
        }
        let regex = match rule.regex.as_deref().filter(|r| !r.is_empty()) {
            Some(p) => Some(budget.compile(p, &what)?),
            None => None,
        };
        let path = match rule.path.as_deref().filter(|r| !r.is_empty()) {
            Some(p) => Some(budget.compile(p, &format!("{what} path"))?),
            None => None,
        };
        if regex.is_none() && path.is_none() {
            // A rule extension: allowlists for a rule of the extended
            // config. For sm's own rule ids they apply; others are gitleaks'
            // defaults, which sm does not run.
            if !sm_rules.contains(&rule.id.as_str()) {
                config.notes.push(format!(
                    "{what} has no regex or path and names no rule of sm's: ignored"
                ));
            }
            continue;
        }
        if let Some(r) = &regex
            && rule.secret_group >= r.captures_len()
            && rule.secret_group > 0
        {
            return Err(invalid(format!(
                "{what}: secretGroup {} is more than the regex's {} group(s)",
                rule.secret_group,
                r.captures_len() - 1
            )));
        }
        if rule.skip_report {
            config.notes.push(format!(
                "{what} has skipReport (a part of a composite rule): not run"
            ));
            continue;
        }
        config.rules.push(CustomRule {
            description: if rule.description.is_empty() {
                rule.id.clone()
            } else {
                rule.description
            },
            id: rule.id,
            regex,
            path,
            secret_group: rule.secret_group,
            entropy: rule.entropy,
            keywords: rule
                .keywords
                .iter()
                .filter(|k| !k.is_empty())
                .map(|k| k.to_lowercase())
                .collect(),
        });
    }
    if raw.allowlist.is_some() && !raw.allowlists.is_empty() {
        return Err(invalid(
            "[allowlist] cannot be used alongside [[allowlists]]".to_string(),
        ));
    }
    for list in raw.allowlist.into_iter().chain(raw.allowlists) {
        allowlist_count += 1;
        if allowlist_count > MAX_RULES {
            return Err(invalid(format!("it has more than {MAX_RULES} allowlists")));
        }
        let targets = list.target_rules.clone();
        let compiled = allowlist(list, "[[allowlists]]", &mut budget)?;
        if targets.is_empty() {
            config.global.push(compiled);
        } else {
            for id in targets {
                config
                    .targeted
                    .entry(id)
                    .or_default()
                    .push(compiled.clone());
            }
        }
    }
    config.finish();
    Ok(config)
}

fn allowlist(raw: RawAllowlist, what: &str, budget: &mut Budget) -> Result<Allowlist> {
    let and = match raw.condition.to_ascii_uppercase().as_str() {
        "AND" | "&&" => true,
        "" | "OR" | "||" => false,
        other => {
            return Err(invalid(format!(
                "{what}: allowlist condition `{other}` is not AND or OR"
            )));
        }
    };
    let target = match raw.regex_target.as_str() {
        "" | "secret" => Target::Secret,
        "match" => Target::Match,
        "line" => Target::Line,
        other => {
            return Err(invalid(format!(
                "{what}: allowlist regexTarget `{other}` is not secret, match or line"
            )));
        }
    };
    let regexes = raw
        .regexes
        .iter()
        .map(|r| budget.compile(r, &format!("{what} allowlist")))
        .collect::<Result<Vec<_>>>()?;
    let paths = raw
        .paths
        .iter()
        .map(|r| budget.compile(r, &format!("{what} allowlist path")))
        .collect::<Result<Vec<_>>>()?;
    let words: Vec<String> = raw
        .stop_words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let stopwords = if words.is_empty() {
        None
    } else {
        Some(
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(&words)
                .map_err(|_| invalid(format!("{what}: too many stopwords")))?,
        )
    };
    Ok(Allowlist {
        and,
        target,
        regexes,
        paths,
        commits: raw
            .commits
            .iter()
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect(),
        stopwords,
    })
}

/// Builds the automaton of every custom rule's keywords (case-insensitive,
/// as gitleaks lowercases both sides).
pub(super) fn keyword_automaton(rules: &[CustomRule]) -> Option<(AhoCorasick, Vec<usize>)> {
    let mut words = Vec::new();
    let mut owner = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        for k in &rule.keywords {
            words.push(k.clone());
            owner.push(i);
        }
    }
    if words.is_empty() {
        return None;
    }
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(&words)
        .ok()
        .map(|a| (a, owner))
}
