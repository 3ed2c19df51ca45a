//! The API's clients: named credentials issued by `sm serve client add`,
//! each optionally read-only and limited to name globs.

use globset::{GlobSet, GlobSetBuilder};

/// One client, as the server knows it after authenticating a request.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client's name (logged with every call).
    pub name: String,
    /// The access key id it signs with.
    pub access_key_id: String,
    /// Globs of the names it may read (empty: none).
    pub read: Vec<String>,
    /// Globs of the names it may write (empty: none).
    pub write: Vec<String>,
    read_set: GlobSet,
    write_set: GlobSet,
}

impl Client {
    /// Builds a client; a glob that does not parse is invalid input.
    pub fn new(
        name: &str,
        access_key_id: &str,
        read: Vec<String>,
        write: Vec<String>,
    ) -> crate::Result<Client> {
        let read_set = glob_set(&read)?;
        let write_set = glob_set(&write)?;
        Ok(Client {
            name: name.to_string(),
            access_key_id: access_key_id.to_string(),
            read,
            write,
            read_set,
            write_set,
        })
    }

    /// The member's own local client (the hidden `sm __api` command): it
    /// may do what the member may do.
    pub fn local() -> Client {
        Client::new("local", "", vec!["**".into()], vec!["**".into()])
            .expect("the match-all glob parses")
    }

    /// Tells whether the client may read `name`.
    pub fn may_read(&self, name: &str) -> bool {
        self.read_set.is_match(name) || self.write_set.is_match(name)
    }

    /// Tells whether the client may write `name`.
    pub fn may_write(&self, name: &str) -> bool {
        self.write_set.is_match(name)
    }
}

/// Refuses a glob that no secret name can match: empty, or with an empty
/// path segment (a name never starts or ends with `/` nor holds `//`).
pub fn check_glob(glob: &str) -> crate::Result<()> {
    if glob.is_empty() || glob.split('/').any(str::is_empty) {
        return Err(crate::Error::invalid(format!(
            "the name glob `{glob}` matches no secret name"
        ))
        .with_hint("names are like prod/app/DB_URL: give e.g. 'prod/app/**' or '**'"));
    }
    Ok(())
}

/// Compiles name globs: `*` stays within a path segment, `**` crosses them.
fn glob_set(globs: &[String]) -> crate::Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for text in globs {
        let glob = globset::GlobBuilder::new(text)
            .literal_separator(true)
            .build()
            .map_err(|e| crate::Error::invalid(format!("bad name glob `{text}`: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| crate::Error::invalid(format!("bad name globs: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_limit_reads_and_writes() {
        let c = Client::new(
            "app",
            "AK",
            vec!["prod/app/**".into()],
            vec!["dev/*".into()],
        )
        .unwrap();
        assert!(c.may_read("prod/app/db"));
        assert!(c.may_read("prod/app/x/y"));
        assert!(!c.may_read("prod/other"));
        assert!(c.may_write("dev/a"));
        assert!(c.may_read("dev/a"));
        assert!(!c.may_write("dev/a/b"));
        assert!(!c.may_write("prod/app/db"));
    }
}
