//! `sm inject`: render `{{ sm://NAME[#field] }}` references in a template.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use zeroize::Zeroizing;

use super::{CmdResult, Context, output};
use crate::Error;
use crate::exec;

/// Render a template, replacing each {{ sm://NAME[#field] }} with its value
///
/// A reference may end in ?label=L or ?version=ID; a JSON secret without
/// #field gives its whole JSON text. `{{` not followed by sm:// is left as
/// it is. Every reference is read before anything is written, so a missing
/// secret leaves no file behind; the output file is created readable by its
/// owner only (0600), replacing any file of that name.
#[derive(Debug, Args)]
pub struct InjectArgs {
    /// Read the template from TEMPLATE (default: standard input)
    #[arg(short = 'i', long = "in", value_name = "TEMPLATE")]
    pub input: Option<PathBuf>,
    /// Write to FILE, mode 0600 (default: standard output)
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Refuses to write a rendered value under the store's own folders, where
/// nothing is ever plaintext.
fn check_outside_store(store_root: &Path, target: &Path) -> crate::Result<()> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (Ok(parent), Ok(root)) = (parent.canonicalize(), store_root.canonicalize()) else {
        return Ok(());
    };
    for inner in [crate::store::SM_DIR, crate::store::SECRETS_DIR] {
        if parent.starts_with(root.join(inner)) {
            return Err(Error::invalid(format!(
                "{} is inside the store's {inner}/ folder, where nothing is written in plaintext",
                target.display()
            ))
            .with_hint("write the rendered file somewhere else"));
        }
    }
    Ok(())
}

pub fn run(ctx: &Context, args: InjectArgs) -> CmdResult {
    let (template, source) = match &args.input {
        Some(path) if path.as_os_str() != "-" => (
            std::fs::read(path).map_err(|e| {
                Error::invalid(format!("cannot read the template {}: {e}", path.display()))
            })?,
            path.display().to_string(),
        ),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            (buf, "<stdin>".to_string())
        }
    };
    let template = Zeroizing::new(template);
    let pieces = exec::parse_template(&template, &source)?;
    let has_references = pieces
        .iter()
        .any(|p| matches!(p, exec::Piece::Reference(_)));
    let rendered = if has_references {
        let store = ctx.open_store_cached()?;
        if let Some(out) = &args.output {
            check_outside_store(store.root(), out)?;
        }
        let identity = ctx.identity()?;
        let (reads, rendered) =
            exec::render_template(&store, identity, &template, &pieces, &source);
        match rendered {
            Ok(rendered) => {
                ctx.audit(&store, &reads.events("inject", None, false), false)?;
                rendered
            }
            Err(err) => {
                let _ = ctx.audit(&store, &reads.events("inject", None, true), false);
                return Err(err.into());
            }
        }
    } else {
        template.clone()
    };
    match &args.output {
        Some(path) if path.as_os_str() != "-" => exec::write_private(path, &rendered)?,
        _ => {
            let stdout = std::io::stdout();
            if stdout.is_terminal() && has_references {
                output::note(
                    ctx.global.quiet,
                    "sm: warning: printing secret values to the terminal",
                );
            }
            let mut out = stdout.lock();
            out.write_all(&rendered)?;
            out.flush()?;
        }
    }
    Ok(0)
}
