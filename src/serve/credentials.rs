//! The API's client credentials, kept in the user's config folder
//! (`<config>/sm/serve-clients.toml`, 0600, written atomically): each
//! client has a name, an access key id (`SMAK` and 16 base32 characters),
//! a 40-character secret key from the OS's random source, the name globs
//! it may read and write, and the id of the store it was made for (a
//! client of one store is unknown to a server of another).
//!
//! The file is refused when another user owns it (exit 5) or when group or
//! others may read or write it (exit 4): its keys sign requests.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rand::Rng;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::Client;
use crate::error::{Error, Result};
use crate::userfiles;

/// The file's name in sm's config folder.
pub const FILE_NAME: &str = "serve-clients.toml";

/// The prefix of every access key id sm issues.
pub const KEY_PREFIX: &str = "SMAK";

/// One client as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredClient {
    /// The client's name.
    pub name: String,
    /// The id of the store it was made for.
    pub store: String,
    /// Its access key id.
    pub access_key_id: String,
    /// Its secret key.
    pub secret_access_key: String,
    /// Globs of the names it may read.
    #[serde(default)]
    pub read: Vec<String>,
    /// Globs of the names it may write (and so read).
    #[serde(default)]
    pub write: Vec<String>,
    /// When it was made (RFC 3339).
    #[serde(default)]
    pub created: String,
}

impl Drop for StoredClient {
    fn drop(&mut self) {
        self.secret_access_key.zeroize();
    }
}

impl StoredClient {
    /// The client as the server knows it.
    pub fn client(&self) -> Result<Client> {
        Client::new(
            &self.name,
            &self.access_key_id,
            self.read.clone(),
            self.write.clone(),
        )
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ClientsFile {
    #[serde(default, rename = "client")]
    clients: Vec<StoredClient>,
}

/// The clients file of a config folder.
pub struct Clients {
    path: PathBuf,
    file: ClientsFile,
}

/// A new client's credentials, shown once.
pub struct Issued {
    /// The access key id.
    pub access_key_id: String,
    /// The secret key.
    pub secret_access_key: Zeroizing<String>,
}

/// Makes a fresh access key id and secret key from the OS's random source.
pub fn fresh_keys() -> Issued {
    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const SECRET_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = OsRng;
    let mut access_key_id = String::from(KEY_PREFIX);
    for _ in 0..16 {
        access_key_id.push(BASE32[rng.gen_range(0..BASE32.len())] as char);
    }
    let mut secret = Zeroizing::new(String::with_capacity(40));
    for _ in 0..40 {
        secret.push(SECRET_CHARS[rng.gen_range(0..SECRET_CHARS.len())] as char);
    }
    Issued {
        access_key_id,
        secret_access_key: secret,
    }
}

impl Clients {
    /// Loads the clients file in `config_dir` (none yet: no clients).
    pub fn load(config_dir: &Path) -> Result<Clients> {
        let path = config_dir.join(FILE_NAME);
        let Some(bytes) = read_private(&path)? else {
            return Ok(Clients {
                path,
                file: ClientsFile::default(),
            });
        };
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| Error::integrity(&path, "the file is not UTF-8"))?;
        let file: ClientsFile = toml::from_str(text).map_err(|e| {
            Error::integrity(&path, format!("the file does not parse: {}", e.message()))
        })?;
        Ok(Clients { path, file })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The clients made for the store `store_id`.
    pub fn for_store<'a>(&'a self, store_id: &'a str) -> impl Iterator<Item = &'a StoredClient> {
        self.file
            .clients
            .iter()
            .filter(move |c| c.store == store_id)
    }

    /// Adds a client for `store_id` and saves the file; a name already
    /// used for that store or a bad glob is invalid input.
    pub fn add(
        &mut self,
        store_id: &str,
        name: &str,
        read: Vec<String>,
        write: Vec<String>,
    ) -> Result<Issued> {
        validate_name(name)?;
        if self.for_store(store_id).any(|c| c.name == name) {
            return Err(
                Error::invalid(format!("a client named `{name}` already exists")).with_hint(
                    format!(
                        "remove it first with `sm serve client rm {name}`, or choose another name"
                    ),
                ),
            );
        }
        // Parses the globs (exit 2 on a bad one or one no name can match).
        for glob in read.iter().chain(&write) {
            crate::serve::clients::check_glob(glob)?;
        }
        Client::new(name, "", read.clone(), write.clone())?;
        let issued = fresh_keys();
        self.file.clients.push(StoredClient {
            name: name.to_string(),
            store: store_id.to_string(),
            access_key_id: issued.access_key_id.clone(),
            secret_access_key: issued.secret_access_key.to_string(),
            read,
            write,
            created: crate::store::now_string(),
        });
        self.save()?;
        Ok(issued)
    }

    /// Removes the client `name` of `store_id` and saves the file.
    pub fn remove(&mut self, store_id: &str, name: &str) -> Result<()> {
        let before = self.file.clients.len();
        self.file
            .clients
            .retain(|c| !(c.store == store_id && c.name == name));
        if self.file.clients.len() == before {
            return Err(Error::not_found(format!("no client named `{name}`"))
                .with_hint("list them with `sm serve client ls`"));
        }
        self.save()
    }

    fn save(&self) -> Result<()> {
        let text = Zeroizing::new(
            toml::to_string(&self.file)
                .map_err(|e| Error::Other(format!("cannot encode the clients: {e}")))?,
        );
        userfiles::write_private(&self.path, text.as_bytes())
    }
}

/// A client name: 1 to 64 letters, digits, `-`, `_` or `.`.
fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "`{name}` is not a valid client name (1 to 64 letters, digits, `-`, `_` or `.`)"
        )))
    }
}

/// Reads the file if it exists, refusing one that another user owns or
/// that others may read or write.
fn read_private(path: &Path) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read", path, e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| Error::io("cannot read", path, e))?;
    if !meta.is_file() {
        return Err(Error::integrity(path, "it is not a regular file"));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(Error::integrity(
            path,
            format!(
                "the file belongs to another user (uid {}), who could add clients; sm will not use it",
                meta.uid()
            ),
        )
        .with_hint("remove it, or `chown` it to yourself"));
    }
    let mode = meta.mode() & 0o7777;
    if mode != 0o600 {
        return Err(Error::no_access(format!(
            "{} has mode {mode:04o}, not 0600: other users may read or change the client keys",
            path.display()
        ))
        .with_hint(format!("fix with `chmod 600 {}`", path.display())));
    }
    if meta.len() > userfiles::MAX_CONFIG_FILE {
        return Err(Error::integrity(path, "the file is too large"));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    Read::by_ref(&mut file)
        .take(userfiles::MAX_CONFIG_FILE)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read", path, e))?;
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_their_shape() {
        let a = fresh_keys();
        let b = fresh_keys();
        assert_eq!(a.access_key_id.len(), 20);
        assert!(a.access_key_id.starts_with(KEY_PREFIX));
        assert!(
            a.access_key_id[4..]
                .chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
        );
        assert_eq!(a.secret_access_key.len(), 40);
        assert_ne!(a.access_key_id, b.access_key_id);
        assert_ne!(*a.secret_access_key, *b.secret_access_key);
    }

    #[test]
    fn add_remove_and_reload() {
        let dir = tempfile::tempdir().unwrap();
        let mut clients = Clients::load(dir.path()).unwrap();
        let issued = clients
            .add("s1", "app", vec!["prod/**".into()], vec![])
            .unwrap();
        assert!(clients.add("s1", "app", vec![], vec![]).is_err());
        assert!(clients.add("s1", "bad", vec!["[".into()], vec![]).is_err());
        assert!(clients.add("s1", "no space", vec![], vec![]).is_err());
        clients.add("s2", "app", vec![], vec!["**".into()]).unwrap();
        let again = Clients::load(dir.path()).unwrap();
        let mine: Vec<_> = again.for_store("s1").collect();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].access_key_id, issued.access_key_id);
        assert_eq!(mine[0].secret_access_key, *issued.secret_access_key);
        let mode = std::fs::metadata(again.path()).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let mut again = again;
        again.remove("s1", "app").unwrap();
        assert!(again.remove("s1", "app").is_err());
        assert_eq!(
            Clients::load(dir.path()).unwrap().for_store("s2").count(),
            1
        );
    }

    #[test]
    fn a_readable_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut clients = Clients::load(dir.path()).unwrap();
        clients.add("s", "a", vec![], vec![]).unwrap();
        std::fs::set_permissions(clients.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(Clients::load(dir.path()).is_err());
    }
}
