//! `sm edit`: edit the current value in `$EDITOR`.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use zeroize::Zeroizing;

use super::{CmdResult, Context, output};
use crate::Error;
use crate::audit::Event;
use crate::store::{GetRequest, PutRequest, Selector};

/// Edit a secret's current value in $VISUAL or $EDITOR; saved as a new version
///
/// The value is written to a private 0600 file outside the store (in
/// /dev/shm where it exists), which is overwritten and removed on every way
/// out. A version is saved only if the text changed. When the value had no
/// trailing newline and the editor added one, it is dropped again.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The secret's name
    pub name: String,
}

/// A private folder holding the file being edited; wiped on drop.
struct ScratchFile {
    dir: PathBuf,
    file: PathBuf,
}

impl ScratchFile {
    fn create(value: &[u8]) -> anyhow::Result<ScratchFile> {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!(
            "sm-edit-{}-{}",
            std::process::id(),
            uuid::Uuid::now_v7().simple()
        ));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .map_err(|e| Error::io("cannot create", &dir, e))?;
        let file = dir.join("value");
        let scratch = ScratchFile { dir, file };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options
            .open(&scratch.file)
            .map_err(|e| Error::io("cannot create", &scratch.file, e))?;
        f.write_all(value)
            .map_err(|e| Error::io("cannot write", &scratch.file, e))?;
        Ok(scratch)
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        if let Ok(meta) = fs::metadata(&self.file)
            && let Ok(mut f) = OpenOptions::new().write(true).open(&self.file)
        {
            let _ = f.write_all(&vec![0u8; meta.len() as usize]);
            let _ = f.sync_all();
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

pub fn run(ctx: &Context, args: EditArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let identity = ctx.identity()?;
    let result = store.get(
        identity,
        &GetRequest {
            name: &args.name,
            selector: Selector::Current,
        },
    );
    let got = ctx.audited(
        &store,
        Event::ok("get", Some(&args.name)),
        false,
        result,
        |g, e| {
            let mut e = e.version(&g.version_id, &g.labels);
            e.detail = Some("edit".into());
            e
        },
    )?;
    if got.record.encoding == crate::store::Encoding::Binary {
        return Err(Error::invalid(format!(
            "`{}` holds binary data, which sm does not open in an editor",
            args.name
        ))
        .with_hint("use `sm put NAME --file F --binary`")
        .into());
    }
    let scratch = ScratchFile::create(&got.value)?;
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "vi".to_string());
    // The editor command may carry arguments (`code --wait`), so a shell
    // splits it; the file path is passed as "$1", never interpolated.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sm-edit")
        .arg(&scratch.file)
        .status()
        .map_err(|e| Error::Other(format!("cannot start the editor `{editor}`: {e}")))?;
    if !status.success() {
        return Err(Error::Other(format!(
            "the editor `{editor}` failed ({status}); nothing was saved"
        ))
        .into());
    }
    let mut edited = Zeroizing::new(
        fs::read(&scratch.file).map_err(|e| Error::io("cannot read", &scratch.file, e))?,
    );
    drop(scratch);
    if !got.value.ends_with(b"\n") && edited.ends_with(b"\n") && !edited.ends_with(b"\n\n") {
        edited.pop();
    }
    if edited.as_slice() == got.value.as_slice() {
        output::note(
            ctx.global.quiet,
            format!("{}: unchanged, nothing saved", args.name),
        );
        return Ok(0);
    }
    if edited.is_empty() {
        return Err(Error::invalid("the edited value is empty; nothing was saved").into());
    }
    let request = PutRequest {
        name: &args.name,
        ..PutRequest::default()
    };
    let result = store.put(identity, &request, &edited);
    let outcome = ctx.audited(
        &store,
        Event::ok("edit", Some(&args.name)),
        true,
        result,
        |o, e| e.version(&o.version_id, &o.labels),
    )?;
    output::note(
        ctx.global.quiet,
        format!(
            "Updated {} version {} [{}]",
            args.name,
            outcome.version_id,
            outcome.labels.join(", ")
        ),
    );
    Ok(0)
}
