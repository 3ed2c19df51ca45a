//! Unit tests of the load-time rules: well-formed files pass, each
//! hostile field is refused naming it, and the counts are bounded.

use std::path::PathBuf;

use super::*;
use crate::store::files::parse_toml;

const SIG: &str =
    "qy2aoMD0dEmHfZovUkgLxTvp8Q8NugOw9A1U/eCYhyynxvWEPAB9eZSAtw7Q9iL7YaJijCHpn0291T9STGY3Ag==";
const ID: &str = "01a207b4-c16c-77aa-a7be-fe9d587cd139";

fn meta() -> String {
    format!(
        "name = \"db/password\"\ncreated = \"2026-11-23T09:20:16.199Z\"\n\n[tags]\nenv = \"prod\"\n\n\
         [labels]\ncurrent = \"{ID}\"\nprevious = \"req-1\"\n\n[signature]\nby = \"golden\"\nvalue = \"{SIG}\"\n"
    )
}

fn members() -> String {
    format!(
        "[[member]]\nname = \"golden\"\nrecipient = \"age1eva3gj52a0tna02vv89uglj9e3e9wg8jlmccxxswewpev5uswanquexa03\"\n\
         signing_key = \"ed25519:eUdt4oupqZq9oVptVrta1NcPS19EPQ75QJxuX3/1/6I=\"\nadmin = true\n\
         added_by = \"golden\"\nendorsement = \"{SIG}\"\n\n[signature]\nby = \"golden\"\nvalue = \"{SIG}\"\n"
    )
}

fn record() -> String {
    format!(
        "created = \"2026-11-23T09:20:16.199Z\"\nauthor = \"golden\"\nencoding = \"text\"\n\
         sha256 = \"{}\"\nsignature = \"{SIG}\"\n",
        "3db762ab79df7c58ca7ba5db89ec5f1f5a73ac83247bcf9b9398daf586950dd4"
    )
}

fn access() -> String {
    format!(
        "[[group]]\nname = \"ops\"\nmembers = [\"bob\"]\n\n[[rule]]\nglob = \"prod/**\"\n\
         read = [\"ops\", \"*\"]\nwrite = [\"alice\"]\n\n[signature]\nby = \"golden\"\nvalue = \"{SIG}\"\n"
    )
}

fn store() -> String {
    format!(
        "format = 1\nid = \"01a207b4-c124-728f-aa91-7a763dded3c2\"\n\
         root_key = \"ed25519:eUdt4oupqZq9oVptVrta1NcPS19EPQ75QJxuX3/1/6I=\"\nmax_versions = 100\n\
         recipients = []\n\n[signature]\nby = \"golden\"\nvalue = \"{SIG}\"\n"
    )
}

/// Parses `text` as a `T` and returns the integrity reason, if any.
fn reason<T: serde::de::DeserializeOwned + Checked>(text: &str) -> Option<String> {
    let file = PathBuf::from("/s/f.toml");
    match parse_toml::<T>(text.as_bytes(), &file) {
        Ok(_) => None,
        Err(Error::Integrity {
            file: f, reason, ..
        }) => {
            assert_eq!(f, file);
            Some(reason)
        }
        Err(other) => panic!("not an integrity error: {other}"),
    }
}

/// Asserts that replacing `from` with `to` in `good` is refused with a
/// reason containing `field`.
fn refused<T: serde::de::DeserializeOwned + Checked>(
    good: &str,
    from: &str,
    to: &str,
    field: &str,
) {
    assert!(good.contains(from), "{from:?} is not in the file");
    let bad = good.replacen(from, to, 1);
    let why = reason::<T>(&bad).unwrap_or_else(|| panic!("accepted {to:?}"));
    assert!(why.contains(field), "{to:?}: {why}");
}

#[test]
fn well_formed_files_pass() {
    assert_eq!(reason::<Meta>(&meta()), None);
    assert_eq!(reason::<MembersFile>(&members()), None);
    assert_eq!(reason::<VersionRecord>(&record()), None);
    assert_eq!(reason::<AccessFile>(&access()), None);
    assert_eq!(reason::<StoreFile>(&store()), None);
}

#[test]
fn the_golden_store_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden/store");
    let read = |rel: &str| std::fs::read(root.join(rel)).unwrap();
    let file = Path::new("f");
    parse_toml::<StoreFile>(&read(".sm/store.toml"), file).unwrap();
    parse_toml::<MembersFile>(&read(".sm/members.toml"), file).unwrap();
    parse_toml::<Meta>(&read("secrets/db/password.secret/meta.toml"), file).unwrap();
    parse_toml::<VersionRecord>(
        &read("secrets/db/password.secret/versions/01a207b4-c146-73e3-8638-22db4ccb56a1.toml"),
        file,
    )
    .unwrap();
}

#[test]
fn member_names_from_disk_follow_the_typed_rule() {
    let m = members();
    for bad in ["../../../../x", "a/b", ".hidden", "", "a\\u0000b", "x y"] {
        refused::<MembersFile>(
            &m,
            "name = \"golden\"",
            &format!("name = \"{bad}\""),
            "member[0].name",
        );
    }
    refused::<MembersFile>(
        &m,
        "added_by = \"golden\"",
        "added_by = \"../x\"",
        "member[0].added_by",
    );
    refused::<MembersFile>(&m, "]\nby = \"golden\"", "]\nby = \"../x\"", "signature.by");
    refused::<MembersFile>(
        &m,
        "recipient = \"age1",
        "recipient = \"nonsense",
        "member[0].recipient",
    );
    refused::<MembersFile>(
        &m,
        "endorsement = \"",
        "endorsement = \"!",
        "member[0].endorsement",
    );
    refused::<MembersFile>(
        &m,
        "added_by",
        "removed = \"yesterday\"\nadded_by",
        "member[0].removed",
    );
}

#[test]
fn meta_names_labels_and_ids_are_checked() {
    let m = meta();
    refused::<Meta>(
        &m,
        "name = \"db/password\"",
        "name = \"../../etc\"",
        "`name`",
    );
    refused::<Meta>(&m, "current = ", "\"a/b\" = ", "`labels`");
    refused::<Meta>(&m, "current = ", "AWSCURRENT = ", "`labels`");
    refused::<Meta>(&m, &format!("\"{ID}\""), "\"../../x\"", "labels.current");
    refused::<Meta>(&m, "\"req-1\"", "\".hidden\"", "labels.previous");
    refused::<Meta>(&m, "env = ", "\"a b\" = ", "`tags`");
    refused::<Meta>(&m, "\"prod\"", "\"a\\u0007b\"", "tags.env");
    refused::<Meta>(&m, "created = \"2026", "created = \"not 2026", "`created`");
    refused::<Meta>(&m, "by = \"golden\"", "by = \"a/b\"", "signature.by");
    refused::<Meta>(
        &m,
        "[tags]",
        "description = \"a\\u0000b\"\n[tags]",
        "description",
    );
    let rotation = |body: &str| {
        format!(
            "{}\n[rotation]\n{body}\n",
            m.replace("\n[signature]", "\n[zz]")
                .split("\n[zz]")
                .next()
                .unwrap()
        )
    };
    assert_eq!(
        reason::<Meta>(&rotation("hook = \"./rotate.sh\"\ntimeout = 60")),
        None
    );
    for (body, field) in [
        ("timeout = 0", "rotation.timeout"),
        ("timeout = 18446744073709551615", "rotation.timeout"),
        ("hook = \"  \"", "rotation.hook"),
        ("schedule = \"rate(0 days)\"", "rotation.schedule"),
        ("field = \"\"", "rotation.field"),
        (
            "[rotation.pending]\nversion_id = \"../x\"\nstep = \"set\"\nstarted = \"2026-11-23T09:20:16.199Z\"",
            "rotation.pending.version_id",
        ),
        (
            "[rotation.pending]\nversion_id = \"v\"\nstep = \"../x\"\nstarted = \"2026-11-23T09:20:16.199Z\"",
            "rotation.pending.step",
        ),
    ] {
        let why = reason::<Meta>(&rotation(body)).unwrap_or_else(|| panic!("accepted {body}"));
        assert!(why.contains(field), "{body}: {why}");
    }
}

#[test]
fn counts_are_bounded() {
    let mut m = meta().replace("\n[signature]", "\n[zz]");
    m.truncate(m.find("\n[zz]").unwrap());
    let mut labels = m.clone();
    for i in 0..=MAX_LABELS {
        labels.push_str(&format!("\nl{i} = \"{ID}\""));
    }
    let why = reason::<Meta>(&labels).unwrap();
    assert!(why.contains("`labels` has 1003 entries"), "{why}");
    let mut at_limit = m.clone();
    for i in 0..MAX_LABELS - 2 {
        at_limit.push_str(&format!("\nl{i} = \"{ID}\""));
    }
    assert_eq!(reason::<Meta>(&at_limit), None);

    let one = members();
    let entry = &one[..one.find("\n[signature]").unwrap()];
    let mut many = String::new();
    for i in 0..=MAX_MEMBERS {
        many.push_str(&entry.replace("name = \"golden\"", &format!("name = \"m{i}\"")));
        many.push('\n');
    }
    assert!(
        reason::<MembersFile>(&many)
            .unwrap()
            .contains("`member` has")
    );

    let mut rules = String::new();
    for i in 0..=MAX_RULES {
        rules.push_str(&format!("[[rule]]\nglob = \"p{i}/**\"\nread = [\"*\"]\n"));
    }
    assert!(reason::<AccessFile>(&rules).unwrap().contains("`rule` has"));
}

#[test]
fn access_names_are_checked() {
    let a = access();
    refused::<AccessFile>(&a, "name = \"ops\"", "name = \"../ops\"", "group[0].name");
    refused::<AccessFile>(&a, "[\"bob\"]", "[\"bob\", \"a/b\"]", "group[0].members");
    refused::<AccessFile>(&a, "[\"ops\", \"*\"]", "[\"ops\", \"**\"]", "rule[0].read");
    refused::<AccessFile>(&a, "[\"alice\"]", "[\"..\"]", "rule[0].write");
    refused::<AccessFile>(
        &a,
        "glob = \"prod/**\"",
        "glob = \"a\\u0000\"",
        "rule[0].glob",
    );
    refused::<AccessFile>(&a, "by = \"golden\"", "by = \"x/y\"", "signature.by");
}

#[test]
fn records_and_store_files_are_checked() {
    let r = record();
    refused::<VersionRecord>(&r, "author = \"golden\"", "author = \"../x\"", "`author`");
    refused::<VersionRecord>(&r, "sha256 = \"3db7", "sha256 = \"XXXX", "`sha256`");
    refused::<VersionRecord>(
        &r,
        "author",
        "rewrapped_by = \"a b\"\nauthor",
        "rewrapped_by",
    );
    refused::<VersionRecord>(&r, "author", "recipients = \"short\"\nauthor", "recipients");
    let s = store();
    refused::<StoreFile>(&s, "id = \"01a2", "id = \"../../01a2", "`id`");
    refused::<StoreFile>(&s, "d3c2\"", "D3C2\"", "`id`");
    refused::<StoreFile>(
        &s,
        "recipients = []",
        "recipients = [\"bogus\"]",
        "recipients[0]",
    );
    refused::<StoreFile>(
        &s,
        "recipients = []",
        "primary = \"a\\u0000\"\nrecipients = []",
        "primary",
    );
}

#[test]
fn version_ids_listed_from_a_folder() {
    let dir = Path::new("/s/versions");
    check_version_ids(dir, &[ID.to_string(), "req-1".into()]).unwrap();
    let err = check_version_ids(dir, &["a b".into()]).unwrap_err();
    assert!(err.to_string().contains("/s/versions/a b.toml"), "{err}");
    let many: Vec<String> = (0..=MAX_VERSION_FILES).map(|i| format!("v{i}")).collect();
    assert!(check_version_ids(dir, &many).is_err());
}
