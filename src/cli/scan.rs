//! `sm scan`: find plaintext secrets in files, the staged changes or the
//! git history.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::{CmdResult, Context, output};
use rayon::prelude::*;

use crate::scan::prepared::Kept;
use crate::scan::{self, Options, Scanner, Source, managed, prepared, report};
use crate::store::{ScanStamps, Store};

/// Find plaintext secrets: this store's values (also base64, hex and
/// URL-encoded), credential formats, and plaintext inside the store
///
/// Exit 0 when clean, 1 with findings, 2 on usage errors. Allow a line with
/// an `sm:allow` comment, paths with a .smignore file (gitignore syntax), and
/// known findings with --baseline: a finding is known when its fingerprint (a
/// truncated hash of rule, path and value; for store values, of the secret's
/// name) is in the baseline, so moved lines stay known.
///
/// Store values are matched when a store is found (as for other commands)
/// and your identity opens it: every labelled version, JSON fields one by
/// one, verbatim and as base64/base64url (also inside larger encodings such
/// as Basic auth), hex and URL-encoding. Values under 8 bytes are not
/// matched. The values and the matcher built from them are kept sealed in
/// the read cache between scans and rebuilt after any change to the store
/// (`-v` says which). Lock files are checked for store values only. Files named on the
/// command line are scanned even when ignored. --history reads `git log -p`
/// (merge commits add no lines of their own) over every branch unless RANGE
/// is given. Nothing is written to the access log: a scan runs on every
/// commit and would dirty the store each time.
///
/// A .gitleaks.toml at the root of the scanned repository (gitleaks v8
/// format) adds its custom [[rules]] and its allowlists (regexes against the
/// secret, match or line; paths; commits; stopwords), and a `gitleaks:allow`
/// comment allows its line like `sm:allow`. sm's own rules always run;
/// [extend] is not followed. Allowlists never hide this store's values. A
/// regex the file holds that sm cannot compile is an error (exit 2).
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan (default: the current folder; .gitignore is
    /// respected)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Scan the staged blobs of the git index (what would be committed)
    #[arg(long, conflicts_with_all = ["paths", "history"])]
    pub staged: bool,
    /// Scan the lines each commit in RANGE added (default: every branch)
    #[arg(long, value_name = "RANGE", num_args = 0..=1, conflicts_with = "paths")]
    pub history: Option<Option<String>>,
    /// Report only findings missing from FILE, an earlier `--format json`
    /// report
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Skip files larger than BYTES
    #[arg(long, value_name = "BYTES", default_value_t = scan::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Match credential formats only, not this store's values
    #[arg(long)]
    pub no_store: bool,
    /// Say what was skipped and why
    #[arg(short, long)]
    pub verbose: bool,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: rule: preview (what)`
    Text,
    /// A JSON report (also the --baseline format)
    Json,
    /// SARIF 2.1.0 for code-scanning dashboards
    Sarif,
}

pub fn run(ctx: &Context, args: ScanArgs) -> CmdResult {
    let started = Instant::now();
    let quiet = ctx.global.quiet;
    let format = if ctx.global.json && args.format == Format::Text {
        Format::Json
    } else {
        args.format
    };
    let source = if args.staged {
        Source::Staged
    } else if let Some(range) = args.history {
        Source::History(range)
    } else {
        Source::Paths(args.paths)
    };
    let baseline = match &args.baseline {
        Some(path) => Some(report::read_baseline(path)?),
        None => None,
    };
    let cwd = std::env::current_dir()?;
    let mut options = Options {
        max_file_size: args.max_file_size,
        baseline,
        ..Options::default()
    };
    // Reading the staged blobs and decrypting the store's values are
    // independent: overlap them, since both cost milliseconds of every
    // commit. The store is not opened at all when nothing is to be scanned
    // (a commit with nothing staged returns at once).
    // A staged scan stamps the store's secrets while git lists the staged
    // files: on a thread of its own, left behind if nothing is staged (it
    // only lists and stats; the store is opened, and trusted, only once
    // something is to be scanned).
    let early = (!args.no_store && matches!(source, Source::Staged))
        .then(|| ctx.store_root().ok())
        .flatten()
        .map(|(root, _)| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(ScanStamps::take(&root));
            });
            rx
        });
    let (loaded, prepared) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        let prepared = s.spawn(|| {
            scan::prepare_then(&source, &options, &cwd, move |any| {
                let _ = tx.send(any);
            })
        });
        // A closed channel means `prepare` failed: its error is reported.
        let anything = rx.recv().unwrap_or(false);
        let loaded = if args.no_store || !anything {
            None
        } else {
            load_managed(ctx, matches!(source, Source::Staged), early)
        };
        (loaded, prepared.join().expect("prepare does not panic"))
    });
    let prepared = prepared?;
    // The repository's .gitleaks.toml: custom rules and allowlists.
    let (gitleaks, gitleaks_note) =
        scan::gitleaks::load(&scan::gitleaks::root_for(&prepared, &cwd))?;
    if args.verbose
        && let Some(config) = &gitleaks
    {
        for note in &config.notes {
            eprintln!("sm: {}: {note}", scan::gitleaks::FILE_NAME);
        }
    }
    options.gitleaks = gitleaks.map(std::sync::Arc::new);
    let loaded_at = started.elapsed();
    let scanner = match loaded {
        Some((store, kept)) => values_scanner(ctx, args.verbose, &store, kept, &prepared),
        None => Scanner::new(Vec::new()),
    };
    let built_at = started.elapsed();
    let mut outcome = scan::run_prepared(&scanner, prepared, &options, &cwd)?;
    outcome.skipped.extend(gitleaks_note);
    let scanned_at = started.elapsed();
    let baselined = outcome.baselined;
    if args.verbose {
        for s in &outcome.skipped {
            eprintln!("sm: skipped {}: {}", s.path, s.reason);
        }
    }
    match format {
        Format::Text => {
            let mut out = std::io::stdout().lock();
            report::write_text(&mut out, &outcome)?;
            out.flush()?;
        }
        Format::Json => output::json(&report::json_report(&outcome, baselined))?,
        Format::Sarif => output::json(&report::sarif(&outcome, options.gitleaks.as_deref()))?,
    }
    let files: std::collections::BTreeSet<&str> =
        outcome.findings.iter().map(|f| f.path.as_str()).collect();
    let mut summary = format!(
        "sm scan: {} finding(s) in {} file(s); {} scanned, {} skipped",
        outcome.total(),
        files.len(),
        outcome.scanned,
        outcome.skipped.len(),
    );
    if baselined > 0 {
        summary.push_str(&format!(", {baselined} in the baseline"));
    }
    if args.verbose {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        summary.push_str(&format!(
            ", {:.1} ms (store values and git {:.1}, matcher {:.1}, scan {:.1})",
            ms(started.elapsed()),
            ms(loaded_at),
            ms(built_at - loaded_at),
            ms(scanned_at - built_at),
        ));
    }
    if !outcome.findings.is_empty() || args.verbose {
        output::note(quiet, summary);
    }
    if !outcome.findings.is_empty() {
        output::note(
            quiet,
            "hint: remove the value (keep it in sm: `sm put NAME`), or mark a false alarm with an `sm:allow` comment or .smignore",
        );
    }
    Ok(if outcome.findings.is_empty() { 0 } else { 1 })
}

/// Loads the scanner of this store's labelled values (or, with `gated`,
/// the gate kept from the last scan; see [`prepared::load`]), or says why
/// only patterns are checked (and returns `None`). Never fails the scan.
fn load_managed(
    ctx: &Context,
    gated: bool,
    early: Option<std::sync::mpsc::Receiver<ScanStamps>>,
) -> Option<(Store, Kept)> {
    let quiet = ctx.global.quiet;
    let store = match ctx.store_root() {
        // With an identity, through the read cache; without, the store's
        // own problems are still reported first.
        Ok((root, _)) if crate::store::is_store(&root) => match ctx.identity() {
            Ok(_) => ctx.open_store_cached(),
            Err(_) => ctx.open_store(),
        },
        Err(e) => Err(e),
        Ok(_) => {
            output::note(
                quiet,
                "sm: no store found; only credential patterns were checked, not secret values",
            );
            return None;
        }
    };
    let store = match store {
        Ok(s) => s,
        Err(e) => {
            output::note(
                quiet,
                format!("sm: cannot open the store ({e:#}); only credential patterns were checked"),
            );
            return None;
        }
    };
    let identity = match ctx.identity() {
        Ok(i) => i,
        Err(_) => {
            output::note(
                quiet,
                "sm: no identity at hand; only credential patterns were checked, not this store's values",
            );
            return None;
        }
    };
    let early = early.map(|rx| move || rx.recv().ok());
    match prepared::load(&store, identity, gated, early) {
        Ok(kept) => Some((store, kept)),
        Err(e) => {
            output::note(
                quiet,
                format!("sm: cannot list the store ({e}); only credential patterns were checked"),
            );
            None
        }
    }
}

/// The scanner of the store's values: as loaded, or, past a kept gate,
/// the kept scanner when a staged file may hold a value and the rules'
/// alone when none can. Says what it matches with `-v`, and prints the
/// notes of values it cannot match.
fn values_scanner(
    ctx: &Context,
    verbose: bool,
    store: &Store,
    kept: Kept,
    prepared: &scan::Prepared,
) -> Scanner {
    let quiet = ctx.global.quiet;
    const KEPT: &str = " (the literal set kept from the last scan: nothing changed)";
    let (scanner, notes, count, how) = match kept {
        Kept::Scanner(scanner, notes) => {
            let count = scanner.owners().len();
            let how = if notes.reused { KEPT } else { "" };
            (*scanner, notes, count, how)
        }
        Kept::Gate(gated) => {
            let admitted = prepared.staged_blobs().is_some_and(|blobs| {
                blobs.par_iter().any(|blob| {
                    blob.as_ref()
                        .is_ok_and(|data| gated.gate.admits(&data.to_ascii_lowercase()))
                })
            });
            if !admitted {
                let how = " (kept from the last scan; no staged file holds the start of one)";
                (Scanner::new(Vec::new()), gated.notes, gated.values, how)
            } else {
                let loaded = ctx
                    .identity()
                    .map_err(|e| e.to_string())
                    .and_then(|identity| gated.scanner(store, identity).map_err(|e| e.to_string()));
                match loaded {
                    Ok((scanner, notes)) => (scanner, notes, gated.values, KEPT),
                    Err(e) => {
                        output::note(
                            quiet,
                            format!(
                                "sm: cannot list the store ({e}); only credential patterns were checked"
                            ),
                        );
                        return Scanner::new(Vec::new());
                    }
                }
            }
        }
    };
    if verbose {
        eprintln!(
            "sm: matching {count} value(s) from the store at {}{how}",
            store.root().display(),
        );
        for name in &notes.too_short {
            eprintln!(
                "sm: not matching `{name}`: its value is shorter than {} bytes",
                managed::MIN_VALUE_LEN
            );
        }
    }
    for problem in &notes.unreadable {
        output::note(quiet, format!("sm: not matching {problem}"));
    }
    scanner
}
