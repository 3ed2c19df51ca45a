//! Rendering findings as text, JSON or SARIF 2.1.0, and reading a previous
//! JSON report back as a baseline. Every format carries only the redacted
//! preview of a value, and says how many findings of a file were left out
//! past the per-file cap: a text line `PATH: N more finding(s) not listed`,
//! a JSON `omitted` list, a SARIF tool notification.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Finding, Omitted, Outcome, STORE_RULE, STORE_SPECIAL_RULE, engine::MANAGED_RULE};
use super::{gitleaks, rules};
use crate::error::{Error, Result};

/// The JSON report's format version.
pub const JSON_VERSION: u32 = 1;

/// The JSON report.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonReport {
    /// The format version.
    pub version: u32,
    /// The findings.
    pub findings: Vec<Finding>,
    /// How many files were read.
    #[serde(default)]
    pub scanned: usize,
    /// How many findings a baseline suppressed.
    #[serde(default)]
    pub baselined: usize,
    /// Findings not listed, per file past the per-file cap (absent when
    /// none were left out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omitted>,
}

/// Fingerprints to suppress, read from an earlier JSON report.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// The fingerprints.
    pub fingerprints: HashSet<String>,
}

/// Reads a baseline file (a `sm scan --format json` report).
pub fn read_baseline(path: &Path) -> Result<Baseline> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::invalid(format!("the baseline {} does not exist", path.display()))
                .with_hint("create one with `sm scan --format json > FILE`")
        }
        _ => Error::io("cannot read", path, e),
    })?;
    let report: JsonReport = serde_json::from_slice(&bytes).map_err(|_| {
        Error::invalid(format!(
            "the baseline {} is not an `sm scan --format json` report",
            path.display()
        ))
    })?;
    Ok(Baseline {
        fingerprints: report.findings.into_iter().map(|f| f.fingerprint).collect(),
    })
}

/// Renders one finding as `path:line:col: rule: preview (description)`,
/// prefixed with the short commit id for history findings.
pub fn text_line(f: &Finding) -> String {
    let commit = f
        .commit
        .as_deref()
        .map(|c| format!("{}:", &c[..c.len().min(12)]))
        .unwrap_or_default();
    format!(
        "{commit}{}:{}:{}: {}: {} ({})",
        f.path, f.line, f.column, f.rule, f.preview, f.description
    )
}

/// Renders the line that stands for a file's findings past the cap.
pub fn omitted_line(o: &Omitted) -> String {
    let commit = o
        .commit
        .as_deref()
        .map(|c| format!("{}:", &c[..c.len().min(12)]))
        .unwrap_or_default();
    format!(
        "{commit}{}: {} more finding(s) not listed (the report lists at most {} per file)",
        o.path, o.count, o.listed
    )
}

/// Writes the text report: one line per finding, and after a file's last
/// listed finding, the line for those left out.
pub fn write_text(out: &mut impl std::io::Write, outcome: &Outcome) -> std::io::Result<()> {
    let mut omitted = outcome.omitted.iter().peekable();
    for (i, f) in outcome.findings.iter().enumerate() {
        writeln!(out, "{}", text_line(f))?;
        let last_of_file = outcome
            .findings
            .get(i + 1)
            .is_none_or(|next| (&next.path, &next.commit) != (&f.path, &f.commit));
        if !last_of_file {
            continue;
        }
        while let Some(o) = omitted.next_if(|o| (&o.path, &o.commit) <= (&f.path, &f.commit)) {
            writeln!(out, "{}", omitted_line(o))?;
        }
    }
    for o in omitted {
        writeln!(out, "{}", omitted_line(o))?;
    }
    Ok(())
}

/// Builds the JSON report.
pub fn json_report(outcome: &Outcome, baselined: usize) -> JsonReport {
    JsonReport {
        version: JSON_VERSION,
        findings: outcome.findings.clone(),
        scanned: outcome.scanned,
        baselined,
        omitted: outcome.omitted.clone(),
    }
}

/// One rule as SARIF describes it.
struct CatalogueEntry {
    id: String,
    description: String,
    help: String,
}

/// The help text of managed-value findings.
const MANAGED_HELP: &str = "A value of one of this store's secrets, found in plaintext outside the store. Remove it from the file (and from git history if it was committed), read it at run time with `sm exec` or `sm get`, and rotate the secret (`sm rotate NAME`) if the file left your machine.";

/// Every rule id a finding can carry: sm's own, then the custom rules of a
/// `.gitleaks.toml` whose ids sm's rules do not already have.
fn rule_catalogue(custom: Option<&gitleaks::Config>) -> Vec<CatalogueEntry> {
    let entry = |id: String, description: String, help: String| CatalogueEntry {
        id,
        description,
        help,
    };
    let mut rules = vec![entry(
        MANAGED_RULE.to_string(),
        "a value of this store's secrets".to_string(),
        MANAGED_HELP.to_string(),
    )];
    for enc in ["base64", "base64url", "hex", "url"] {
        rules.push(entry(
            format!("{MANAGED_RULE}-{enc}"),
            format!("a value of this store's secrets, {enc}-encoded"),
            format!("{MANAGED_HELP} This finding is the value {enc}-encoded."),
        ));
    }
    rules.extend(rules::all().iter().map(|r| {
        entry(
            r.id.to_string(),
            r.description.to_string(),
            r.help.to_string(),
        )
    }));
    rules.push(entry(
        STORE_RULE.to_string(),
        "a file inside the store that is not sm's own format".to_string(),
        "A file inside an sm store that is not sm's own format: plaintext dropped into the store is committed with it. Move it out of the store (keep its value with `sm put NAME`), and rotate what it held if it was pushed.".to_string(),
    ));
    rules.push(entry(
        STORE_SPECIAL_RULE.to_string(),
        "a symbolic link or special file inside the store".to_string(),
        "A symbolic link or special file inside an sm store: a link committed into a store can make its clones read or write elsewhere. Remove it; sm never follows one.".to_string(),
    ));
    if let Some(config) = custom {
        for (id, description) in config.rules() {
            if rules.iter().any(|r| r.id == id) {
                continue;
            }
            rules.push(entry(
                id.to_string(),
                description.to_string(),
                format!(
                    "{description}: a custom rule of this repository's {}. Revoke the credential where it was issued and read it at run time (`sm exec`) instead of committing it.",
                    gitleaks::FILE_NAME
                ),
            ));
        }
    }
    rules
}

/// Builds a SARIF 2.1.0 log; `custom` is the scanned repository's
/// `.gitleaks.toml`, whose rules are described beside sm's.
pub fn sarif(outcome: &Outcome, custom: Option<&gitleaks::Config>) -> Value {
    let catalogue = rule_catalogue(custom);
    let rules: Vec<Value> = catalogue
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.description},
                "fullDescription": {"text": r.help},
                "help": {"text": r.help, "markdown": r.help},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["security", "secret"]},
            })
        })
        .collect();
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            let index = catalogue.iter().position(|r| r.id == f.rule);
            let mut message = format!("{}: {}", f.description, f.preview);
            if let Some(c) = &f.commit {
                message.push_str(&format!(" (added in commit {c})"));
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": "error",
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&f.path)},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }],
                "partialFingerprints": {"smFingerprint/v1": f.fingerprint},
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            if let Some(c) = &f.commit {
                result["properties"] = json!({"commit": c});
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "sm",
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if !outcome.omitted.is_empty() {
        // SARIF's place for what the tool wants said about its run.
        let notes: Vec<Value> = outcome
            .omitted
            .iter()
            .map(|o| {
                json!({
                    "level": "warning",
                    "message": {"text": omitted_line(o)},
                    "locations": [{
                        "physicalLocation": {"artifactLocation": {"uri": uri(&o.path)}}
                    }],
                })
            })
            .collect();
        run["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": notes,
        }]);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run]
    })
}

/// Percent-encodes a relative path as a URI reference (SARIF wants URIs).
fn uri(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
}
