//! Printing helpers shared by the commands.

use std::io::{IsTerminal, Write};

use serde::Serialize;

/// Prints a value as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes exact bytes to stdout, adding a newline only on a terminal.
pub fn value(bytes: &[u8]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    out.write_all(bytes)?;
    if tty && !bytes.ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Prints a note on stderr unless quiet.
pub fn note(quiet: bool, text: impl std::fmt::Display) {
    if !quiet {
        eprintln!("{text}");
    }
}

/// Prints rows as aligned columns.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| -> std::io::Result<()> {
        let cells: Vec<&str> = cells.collect();
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                // Padded by hand: `{:<width$}` panics past 65,535, and a
                // cell's width comes from store content.
                text.push_str(cell);
                let pad = widths[i].saturating_sub(cell.chars().count()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(&mut headers.iter().copied())?;
    for row in rows {
        line(&mut row.iter().map(String::as_str))?;
    }
    Ok(())
}

/// Whether sm's own `error:`/`hint:` labels on stderr are coloured, as
/// clap decides for its own: never with `--no-color` or a non-empty
/// NO_COLOR, always with CLICOLOR_FORCE (not "0"), else on a terminal.
pub fn stderr_color(no_color: bool) -> bool {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if no_color || set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    std::io::stderr().is_terminal()
}
