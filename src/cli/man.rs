//! `sm man`: write man pages. clap_mangen renders the name, description,
//! options and subcommands; sm writes its own synopsis (every option with its
//! argument, the global ones included) and appends EXAMPLES, EXIT STATUS,
//! ENVIRONMENT and FILES from `man_text`.

use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, Args};
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::{CmdResult, Context, man_text, output};
use crate::Error;

/// Write man pages (sm.1 and one per subcommand) into DIR
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write into
    pub dir: PathBuf,
}

/// One option in the synopsis: `[-q|--quiet]`, `[--store DIR]`.
fn synopsis_option(line: &mut Vec<clap_mangen::roff::Inline>, arg: &Arg) {
    let (open, close) = if arg.is_required_set() {
        ("", "")
    } else {
        ("[", "]")
    };
    line.push(roman(open));
    match (arg.get_short(), arg.get_long()) {
        (Some(short), Some(long)) => line.push(bold(format!("-{short}|--{long}"))),
        (Some(short), None) => line.push(bold(format!("-{short}"))),
        (None, Some(long)) => line.push(bold(format!("--{long}"))),
        (None, None) => return,
    }
    let takes_value = arg.get_num_args().is_some_and(|range| range.takes_values())
        && !matches!(
            arg.get_action(),
            ArgAction::SetTrue
                | ArgAction::SetFalse
                | ArgAction::Count
                | ArgAction::Help
                | ArgAction::Version
        );
    if takes_value {
        let value = arg
            .get_value_names()
            .map(|names| names.join(" "))
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
        let optional = arg
            .get_num_args()
            .is_some_and(|range| range.min_values() == 0);
        line.push(roman(if optional { " [" } else { " " }));
        line.push(italic(value));
        if optional {
            line.push(roman("]"));
        }
    }
    line.push(roman(close));
    line.push(roman(" "));
}

/// The SYNOPSIS section: the command, its options with their arguments (the
/// global ones last, by display order), its positionals and subcommand.
fn synopsis(roff: &mut Roff, cmd: &clap::Command) {
    roff.control("SH", ["SYNOPSIS"]);
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut line = vec![bold(name), roman(" ")];
    let mut options: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
        .collect();
    options.sort_by_key(|a| a.get_display_order());
    for arg in options {
        synopsis_option(&mut line, arg);
    }
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        if arg.is_last_set() {
            line.push(roman("-- "));
        }
        let value = arg
            .get_value_names()
            .map(|names| names.join(" "))
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
        let many = matches!(arg.get_action(), ArgAction::Append)
            || arg.get_num_args().is_some_and(|r| r.max_values() > 1);
        let (open, close) = if arg.is_required_set() {
            ("", "")
        } else {
            ("[", "]")
        };
        line.push(roman(open));
        line.push(italic(value));
        line.push(roman(if many {
            "...".to_string() + close
        } else {
            close.to_string()
        }));
        line.push(roman(" "));
    }
    if cmd.has_subcommands() {
        line.push(italic("COMMAND"));
    }
    roff.text(line);
}

/// A section of `name: text` entries as a tagged list.
fn tagged(roff: &mut Roff, heading: &str, entries: &[(&str, &str)]) {
    roff.control("SH", [heading]);
    for (tag, text) in entries {
        roff.control("TP", []);
        roff.text([bold(*tag)]);
        roff.text([roman(*text)]);
    }
}

/// The hand-written sections: EXAMPLES (when the page has some), EXIT
/// STATUS, ENVIRONMENT, FILES.
fn extra_sections(roff: &mut Roff, page: &str) {
    let examples = super::man_examples::examples(page);
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for (what, commands) in examples {
            roff.control("PP", []);
            roff.text([roman(*what)]);
            roff.control("RS", []);
            roff.control("nf", []);
            for command in commands.lines() {
                roff.text([bold(command)]);
            }
            roff.control("fi", []);
            roff.control("RE", []);
        }
    }
    if page == "sm" {
        roff.control("SH", ["JSON OUTPUT"]);
        roff.text([roman(man_text::JSON_INTRO)]);
        for (tag, text) in man_text::JSON_OUTPUT {
            roff.control("TP", []);
            roff.text([bold(*tag)]);
            roff.text([roman(*text)]);
        }
    }
    tagged(roff, "EXIT STATUS", man_text::EXIT_STATUS);
    tagged(roff, "ENVIRONMENT", man_text::ENVIRONMENT);
    tagged(roff, "FILES", man_text::FILES);
    roff.control("PP", []);
    roff.text([roman(
        "<config dir> is ~/.config/sm on Linux and ~/Library/Application Support/sm on macOS.",
    )]);
}

/// Renders one page in man(7) format.
fn page(cmd: &clap::Command) -> anyhow::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    let mut roff = Roff::new();
    synopsis(&mut roff, cmd);
    roff.to_writer(&mut buf)?;
    man.render_description_section(&mut buf)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut buf)?;
    }
    let mut roff = Roff::new();
    extra_sections(&mut roff, cmd.get_name());
    roff.to_writer(&mut buf)?;
    // The top page's after-help only lists the exit codes EXIT STATUS has.
    if cmd.get_after_help().is_some() && cmd.get_name() != "sm" {
        man.render_extra_section(&mut buf)?;
    }
    if cmd.get_version().is_some() {
        man.render_version_section(&mut buf)?;
    }
    Ok(buf)
}

fn render(cmd: clap::Command, dir: &Path, written: &mut usize) -> anyhow::Result<()> {
    let name = cmd.get_name().to_string();
    let path = dir.join(format!("{name}.1"));
    let buf = page(&cmd)?;
    std::fs::write(&path, buf).map_err(|e| Error::io("cannot write", &path, e))?;
    *written += 1;
    for sub in cmd.get_subcommands() {
        // Internal commands (the API's entry point, the agent's server)
        // get no page, as they get no help entry.
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        let sub = sub
            .clone()
            .name(format!("{name}-{}", sub.get_name()).leak() as &str);
        render(sub, dir, written)?;
    }
    Ok(())
}

pub fn run(ctx: &Context, args: ManArgs) -> CmdResult {
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| Error::io("cannot create folder", &args.dir, e))?;
    let mut written = 0;
    let mut cmd = super::command();
    cmd.build();
    render(cmd, &args.dir, &mut written)?;
    output::note(
        ctx.global.quiet,
        format!("wrote {written} man pages to {}", args.dir.display()),
    );
    Ok(0)
}
