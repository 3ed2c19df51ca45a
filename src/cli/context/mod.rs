//! The command context: finds the store and loads the identity once, and
//! writes audit entries on behalf of the commands. It refuses a store found
//! by folder discovery that another user could have planted (see
//! [`crate::store::discovery`]), shows who can decrypt a store's values the
//! first time this machine uses it, and names the store every write went to
//! unless it is the personal store.

mod identity_load;

use std::cell::{OnceCell, RefCell};
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use super::GlobalArgs;
use crate::audit::{self, Event};
use crate::config::UserConfig;
use crate::crypto::Identity;
use crate::crypto::identity::Source;
use crate::error::Error;
use crate::store::{self, Store, discovery};
use crate::trust::Pin;
use crate::trust::location::{self, Located};
use crate::trust::log_heads::LogHeads;
use crate::trust::seen::Seen;

/// What every command shares.
pub struct Context {
    /// The global flags.
    pub global: GlobalArgs,
    identity: OnceCell<(Identity, Source)>,
    location: OnceCell<(PathBuf, StoreOrigin)>,
    /// What this command wrote, by store root, in order.
    written: RefCell<Vec<(PathBuf, String)>>,
    /// Whether the read-only-store notice was printed (once per command).
    fallback_noted: std::cell::Cell<bool>,
    /// sm's config folder, once found.
    config: OnceCell<PathBuf>,
    /// The last store's seen folder, by store id and root (see
    /// [`Context::seen_dir`]).
    seen: RefCell<Option<(String, PathBuf, PathBuf)>>,
}

/// How the command's store was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreOrigin {
    /// `--store DIR` or `SM_STORE`: the user's own choice.
    Named,
    /// The nearest parent folder holding `.sm/`, checked by
    /// [`Context::discover_store`].
    Discovered,
    /// The personal store in the user data folder.
    Personal,
}

/// Tells whether stdin and stderr are terminals (so sm may prompt).
pub fn can_prompt() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "sm")
}

impl Context {
    /// Builds the context from the global flags.
    pub fn new(global: GlobalArgs) -> Context {
        Context {
            global,
            identity: OnceCell::new(),
            location: OnceCell::new(),
            written: RefCell::new(Vec::new()),
            fallback_noted: std::cell::Cell::new(false),
            config: OnceCell::new(),
            seen: RefCell::new(None),
        }
    }

    /// Returns sm's folder in the user's config directory.
    pub fn config_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = self.config.get() {
            return Ok(dir.clone());
        }
        let dir = project_dirs()
            .ok_or_else(|| Error::Other("cannot find your home folder; set HOME".into()))?
            .config_dir()
            .to_path_buf();
        Ok(self.config.get_or_init(|| dir).clone())
    }

    /// Returns the seen folder of `store` (see [`crate::trust::seen_dir`]),
    /// worked out once for the store a command uses.
    fn seen_dir(&self, store: &Store) -> anyhow::Result<PathBuf> {
        let mut cached = self.seen.borrow_mut();
        if let Some((id, root, dir)) = &*cached
            && id == store.id()
            && root == store.root()
        {
            return Ok(dir.clone());
        }
        let dir = crate::trust::seen_dir(&self.config_dir()?, store);
        *cached = Some((
            store.id().to_string(),
            store.root().to_path_buf(),
            dir.clone(),
        ));
        Ok(dir)
    }

    /// Returns the personal store's folder.
    pub fn personal_store_dir(&self) -> anyhow::Result<PathBuf> {
        Ok(project_dirs()
            .ok_or_else(|| Error::Other("cannot find your home folder; set HOME".into()))?
            .data_dir()
            .join("store"))
    }

    /// Returns the store root: `--store`/`SM_STORE`, the nearest parent with
    /// `.sm/`, or the personal store (which may not exist yet); the flag
    /// tells whether it is the personal store.
    pub fn store_root(&self) -> anyhow::Result<(PathBuf, bool)> {
        let (root, origin) = self.store_location()?;
        Ok((root, origin == StoreOrigin::Personal))
    }

    /// Returns the store root and how it was chosen (once per command).
    pub fn store_location(&self) -> anyhow::Result<(PathBuf, StoreOrigin)> {
        if let Some(found) = self.location.get() {
            return Ok(found.clone());
        }
        let found = if let Some(dir) = &self.global.store {
            (dir.clone(), StoreOrigin::Named)
        } else {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            match self.discover_store(&cwd)? {
                Some(root) => (root, StoreOrigin::Discovered),
                None => (self.personal_store_dir()?, StoreOrigin::Personal),
            }
        };
        Ok(self.location.get_or_init(|| found).clone())
    }

    /// Finds the store at or above `start` (never at or above a folder of
    /// `SM_CEILING_DIRECTORIES`), and refuses it (exit 4) when another user
    /// could have planted it, unless `safe_stores` in the user config allows
    /// it. `--store` and `SM_STORE` are the user's own choice and skip this.
    pub fn discover_store(&self, start: &Path) -> anyhow::Result<Option<PathBuf>> {
        let Some(root) = discovery::find(start, &discovery::ceilings_from_env()) else {
            return Ok(None);
        };
        let verdict = discovery::check(&root, discovery::current_uid())
            .map_err(|e| Error::io("cannot inspect the store at", &root, e))?;
        let Some(reason) = verdict else {
            return Ok(Some(root));
        };
        let config_dir = self.config_dir()?;
        if UserConfig::load(&config_dir)?.allows_store(&root) {
            return Ok(Some(root));
        }
        Err(Error::no_access(format!(
            "sm will not use the store found at {}: {reason}, so another user may have planted it",
            root.display()
        ))
        .with_hint(format!(
            "if you trust it, add \"{root}\" to safe_stores in {config}, or name it with --store {root} or SM_STORE={root}; SM_CEILING_DIRECTORIES stops the search above your folders",
            root = root.display(),
            config = UserConfig::path(&config_dir).display(),
        ))
        .into())
    }

    /// Checks that the store is the one this machine first met at its
    /// location (see [`crate::trust::location`]) and its root-key pin (see
    /// [`crate::trust::check_pin`]), then installs this machine's memory
    /// of the store (see [`crate::trust::seen`]), which checks the header
    /// at once. The first time this machine meets the store, says so and
    /// shows who can decrypt what is written there; at a new location of a
    /// known store, says it is pinned there now. Runs on every open.
    pub fn pin(&self, store: &mut Store) -> anyhow::Result<()> {
        let config_dir = self.config_dir()?;
        let located = location::check_location(&config_dir, store)?;
        let pin = crate::trust::check_pin(&config_dir, store)?;
        if pin == Pin::New {
            let origin = self
                .location
                .get()
                .filter(|(root, _)| root == store.root())
                .map(|(_, origin)| *origin);
            super::output::note(
                self.global.quiet,
                first_use_notice(store, origin, &config_dir.join(crate::trust::KNOWN_STORES)),
            );
        }
        if let Located::New { remotes } = &located {
            super::output::note(
                self.global.quiet,
                location_notice(store, remotes, &config_dir.join(location::KNOWN_LOCATIONS)),
            );
        }
        self.remember(store)
    }

    /// Installs this machine's memory of `store` (see [`Self::pin`]).
    fn remember(&self, store: &mut Store) -> anyhow::Result<()> {
        let seen = Seen::in_dir(self.seen_dir(store)?, store);
        store.set_freshness(Arc::new(seen))?;
        Ok(())
    }

    /// Pins a store this command created (by `sm init`, or the personal
    /// store on first use) at its location and remotes, whatever was pinned
    /// there before (saying so), and installs this machine's memory of it.
    pub fn pin_created(&self, store: &mut Store) -> anyhow::Result<()> {
        let config_dir = self.config_dir()?;
        crate::trust::check_pin(&config_dir, store)?;
        for change in location::repin(&config_dir, store)? {
            if let Some(old) = &change.old {
                super::output::note(
                    self.global.quiet,
                    format!(
                        "sm: {} {} was pinned to another store ({}); it is now pinned to the new store ({})",
                        change.kind,
                        change.location,
                        old.describe(),
                        change.new.describe()
                    ),
                );
            }
        }
        self.remember(store)
    }

    /// Opens the store for reading; it must exist.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        let root = self.existing_store_root()?;
        let mut store = Store::open(&root)?;
        self.pin(&mut store)?;
        Ok(store)
    }

    /// Opens the store for reading values with the identity, through the
    /// local read cache (see [`crate::cache`]). A store that is missing or
    /// damaged is reported before a missing identity, as by `open_store`.
    pub fn open_store_cached(&self) -> anyhow::Result<Store> {
        let root = self.existing_store_root()?;
        let identity = match self.identity() {
            Ok(identity) => identity,
            Err(e) => {
                self.open_store()?;
                return Err(e);
            }
        };
        let mut store = Store::open_cached(&root, identity)?;
        self.pin(&mut store)?;
        Ok(store)
    }

    fn existing_store_root(&self) -> anyhow::Result<PathBuf> {
        let (root, personal) = self.store_root()?;
        if personal && !store::is_store(&root) {
            return Err(Error::not_found(
                "no sm store here or in any parent folder, and no personal store yet",
            )
            .with_hint("`sm put NAME` creates your personal store; `sm init` makes one here")
            .into());
        }
        Ok(root)
    }

    /// Drops read-cache entries of secrets that no longer exist (after a
    /// deletion); a failure only leaves entries no read will match.
    pub fn prune_cache(&self, store: &Store) {
        if let Ok(identity) = self.identity() {
            let _ = store.prune_cache(identity);
        }
    }

    /// Opens the store for a write, creating the personal store on first use.
    pub fn open_store_for_write(&self) -> anyhow::Result<Store> {
        let (root, personal) = self.store_root()?;
        if personal && !store::is_store(&root) {
            let identity = self.identity_or_create()?;
            // The personal store's folder (and the data folder holding it)
            // is 0700 whatever the umask: no other user reaches any file
            // in it, whatever mode the files themselves get.
            crate::userfiles::create_private_dir_all(&root)?;
            let name = default_member_name();
            let mut store = Store::init(&root, identity, &name, &[])?;
            self.pin_created(&mut store)?;
            super::output::note(
                self.global.quiet,
                format!("sm: created your personal store at {}", root.display()),
            );
            return Ok(store);
        }
        // A write needs the identity anyway: open through the read cache.
        let mut store = self.open_store_cached()?;
        // An admin's first write moves a format-1 store to the current
        // format (others' writes leave it to an admin; `sm verify` says so).
        if store.needs_upgrade()
            && store.member_for(self.identity()?).is_ok_and(|m| m.admin)
            && store.upgrade(self.identity()?)?
        {
            super::output::note(
                self.global.quiet,
                format!(
                    "sm: upgraded the store at {} to format {} (a signed header, sequences and tombstones, so replays and deletions are caught); commit .sm/",
                    store.root().display(),
                    crate::store::files::FORMAT
                ),
            );
        }
        Ok(store)
    }

    /// Returns the acting member's name in `store`.
    pub fn member_name(&self, store: &Store) -> anyhow::Result<String> {
        Ok(store.member_for(self.identity()?)?.name.clone())
    }

    /// Returns where the acting member's entries go in `store` from this
    /// machine: the member, this machine's device id for the store, and
    /// its memory of the store's log heads.
    pub fn log_writer(&self, store: &Store) -> anyhow::Result<LogWriter> {
        let member = self.member_name(store)?;
        let seen = self.seen_dir(store)?;
        Ok(LogWriter {
            member,
            device: crate::trust::device::device_id_in(&seen)?,
            memory: LogHeads::in_seen_dir(&seen),
        })
    }

    /// Returns this machine's memory of `store`'s log heads, for checking
    /// the logs against what was seen here.
    pub fn log_memory(&self, store: &Store) -> anyhow::Result<LogHeads> {
        Ok(LogHeads::in_seen_dir(&self.seen_dir(store)?))
    }

    /// Appends events to the acting member's log.
    pub fn audit(&self, store: &Store, events: &[Event], sync: bool) -> anyhow::Result<()> {
        let identity = self.identity()?;
        let writer = self.log_writer(store)?;
        if events.is_empty() {
            return Ok(());
        }
        if sync {
            audit::append(store, identity, writer.target(), events, sync)?;
        } else {
            // A read: a read-only store sends its entries to the user's own log.
            let mut batch = audit::Batch::open_read(store, identity, writer.target())?;
            self.note_fallback(&batch);
            for event in events {
                batch.push(event);
            }
            batch.commit(false)?;
        }
        // Writes are the entries logged durably (see `audit::append`).
        if sync {
            let mut written = self.written.borrow_mut();
            for event in events.iter().filter(|e| e.outcome == "ok") {
                let what = event.secret.clone().unwrap_or_else(|| event.op.clone());
                written.push((store.root().to_path_buf(), what));
            }
        }
        Ok(())
    }

    /// Says once per command (unless `-q`) that a read's entries go to the
    /// per-user log because the store is read-only.
    pub fn note_fallback(&self, batch: &audit::Batch<'_>) {
        if let Some(path) = batch.fallback()
            && !self.fallback_noted.replace(true)
        {
            super::output::note(self.global.quiet, audit::fallback::notice(path));
        }
    }

    /// Names, on stderr, each store other than the personal one that this
    /// command wrote to, and what it wrote there (unless `-q`). Called once
    /// when the command ends, whether it succeeded or not.
    pub fn report_writes(&self) {
        let written = self.written.take();
        let mut roots: Vec<&Path> = Vec::new();
        for (root, _) in &written {
            if !roots.contains(&root.as_path()) {
                roots.push(root);
            }
        }
        let personal = self.personal_store_dir().ok();
        for root in roots {
            if personal.as_deref().is_some_and(|p| same_folder(p, root)) {
                continue;
            }
            let mut seen = HashSet::new();
            let names: Vec<&str> = written
                .iter()
                .filter(|(r, what)| r == root && seen.insert(what.as_str()))
                .map(|(_, what)| what.as_str())
                .collect();
            super::output::note(
                self.global.quiet,
                format!(
                    "sm: wrote {} to the store at {}",
                    list_of(&names),
                    root.display()
                ),
            );
        }
    }

    /// Logs the outcome of an operation on one secret and passes the result
    /// through. A failure to log a failure is ignored (the original error
    /// matters more); a failure to log a success fails the command.
    pub fn audited<T>(
        &self,
        store: &Store,
        event: Event,
        sync: bool,
        result: crate::Result<T>,
        describe: impl FnOnce(&T, Event) -> Event,
    ) -> anyhow::Result<T> {
        match result {
            Ok(value) => {
                let event = describe(&value, event);
                self.audit(store, &[event], sync)?;
                Ok(value)
            }
            Err(err) => {
                let _ = self.audit(store, &[event.failed(&err)], sync);
                Err(err.into())
            }
        }
    }
}

/// Where the acting member's log entries go from this machine (see
/// [`Context::log_writer`]).
pub struct LogWriter {
    /// The acting member.
    pub member: String,
    /// This machine's device id for the store.
    pub device: String,
    /// This machine's memory of the store's log heads.
    pub memory: LogHeads,
}

impl LogWriter {
    /// The append target.
    pub fn target(&self) -> audit::Target<'_> {
        audit::Target {
            member: &self.member,
            device: &self.device,
            memory: Some(&self.memory),
        }
    }
}

/// Tells whether two paths name the same folder (by real path when both
/// exist).
fn same_folder(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Lists up to three names, then how many more.
fn list_of(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    if names.len() <= SHOWN {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..SHOWN].join(", "),
        names.len() - SHOWN
    )
}

/// The block shown the first time this machine uses a store: where it is,
/// how it was found, and who can decrypt what is written there.
pub fn first_use_notice(store: &Store, origin: Option<StoreOrigin>, pins: &Path) -> String {
    let how = match origin {
        Some(StoreOrigin::Discovered) => " (found in a parent of the current folder)",
        Some(StoreOrigin::Named) => " (named by --store or SM_STORE)",
        Some(StoreOrigin::Personal) => " (your personal store)",
        None => "",
    };
    let mut text = format!(
        "sm: first use of the store at {}{how} on this machine; its root key is now pinned in {}\n\
         sm: who can decrypt what is written there:",
        store.root().display(),
        pins.display()
    );
    for member in store.active_members() {
        let role = if member.admin { " (admin)" } else { "" };
        text.push_str(&format!("\n  member {}{role}", member.name));
    }
    for recipient in store.extra_recipients() {
        text.push_str(&format!("\n  extra recipient {recipient} (every value)"));
    }
    if store.access().has_rules() {
        text.push_str("\n  (access rules narrow which members read each secret: `sm access NAME`)");
    }
    text
}

/// The line shown when a store this machine knows is met at a new folder
/// (and the first-use notice's companion): the folder and its remotes are
/// pinned to it now.
pub fn location_notice(store: &Store, remotes: &[String], pins: &Path) -> String {
    let mut text = format!(
        "sm: the store at {} (id {}) is now pinned at this location",
        store.root().display(),
        store.id()
    );
    if !remotes.is_empty() {
        text.push_str(&format!(" and its git remote {}", remotes.join(", ")));
    }
    text.push_str(&format!(
        " in {}; a different store here is refused",
        pins.display()
    ));
    text
}

/// The member name a new store gives its creator: `$SM_MEMBER`, else
/// `$USER`, else `owner`.
pub fn default_member_name() -> String {
    let candidate = std::env::var("SM_MEMBER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_default();
    if crate::store::name::validate_member_name(&candidate).is_ok() {
        candidate
    } else {
        "owner".to_string()
    }
}

/// Returns the time to evaluate schedules and deletion windows at: `SM_NOW`
/// (RFC 3339) if set, else the clock.
pub fn clock() -> anyhow::Result<jiff::Timestamp> {
    match std::env::var("SM_NOW") {
        Ok(text) if !text.is_empty() => text.parse::<jiff::Timestamp>().map_err(|_| {
            Error::invalid("SM_NOW is not an RFC 3339 time (e.g. 2026-11-23T10:00:00Z)").into()
        }),
        _ => Ok(crate::store::now()),
    }
}
