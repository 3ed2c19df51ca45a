//! A real rotation: `examples/rotation/postgres` changes a role's password
//! on a PostgreSQL server started on loopback in a temporary folder, and
//! only the new password logs in afterwards; a failed `test` (and a `set`
//! that changed the password but reported failure) resume cleanly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{TestEnv, have};

/// A PostgreSQL server for one test, stopped on drop.
struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
}

fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").is_file())
        .collect();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop().or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    })
}

impl Postgres {
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }

    fn start(test: &str) -> Option<Postgres> {
        if !have("psql", test) {
            return None;
        }
        let Some(bin) = find_bin() else {
            have("initdb", test);
            return None;
        };
        // initdb refuses to run as root: run the server as `postgres` then.
        // SAFETY: geteuid has no preconditions.
        let as_postgres = unsafe { libc::geteuid() } == 0;
        let dir = tempfile::Builder::new().prefix("sm-pg-").tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = Postgres {
            bin,
            dir,
            port,
            as_postgres,
        };
        std::fs::create_dir_all(pg.sock()).unwrap();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(pg.dir.path())
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown to postgres failed");
        }
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(pg.data())
            .args([
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            pg.port,
            pg.sock().display()
        );
        let out = pg
            .command("pg_ctl")
            .arg("-D")
            .arg(pg.data())
            .args(["-o", &options, "-l"])
            .arg(pg.dir.path().join("server.log"))
            .args(["-w", "-t", "60", "start"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {}{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(pg.dir.path().join("server.log")).unwrap_or_default()
        );
        Some(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn sock(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    /// Runs SQL as the superuser over the Unix socket (SQL on stdin).
    fn admin_sql(&self, sql: &str) {
        let mut child = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-U",
                "postgres",
                "-d",
                "postgres",
            ])
            .arg(format!("--host={}", self.sock().display()))
            .arg(format!("--port={}", self.port))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(sql.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "admin SQL failed");
    }

    /// Tells whether `user` logs in over TCP with `password`.
    fn logs_in(&self, user: &str, password: &str) -> bool {
        Command::new("psql")
            .args(["-X", "-w", "-q", "-c", "SELECT 1", "-d", "postgres"])
            .arg("--host=127.0.0.1")
            .arg(format!("--port={}", self.port))
            .arg(format!("--username={user}"))
            .env("PGPASSWORD", password)
            .env("PGCONNECT_TIMEOUT", "10")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn hook_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rotation/postgres")
}

fn setup(test: &str) -> Option<(Postgres, TestEnv, String)> {
    let pg = Postgres::start(test)?;
    pg.admin_sql("CREATE ROLE app LOGIN PASSWORD 'initial-Pw-1';\n");
    assert!(pg.logs_in("app", "initial-Pw-1"));
    let env = TestEnv::new();
    let secret = serde_json::json!({
        "host": "127.0.0.1",
        "port": pg.port,
        "username": "app",
        "password": "initial-Pw-1",
        "dbname": "postgres",
    });
    env.put("prod/db", secret.to_string().as_bytes());
    let hook = hook_path().display().to_string();
    Some((pg, env, hook))
}

fn password(env: &TestEnv) -> String {
    let v: serde_json::Value = serde_json::from_slice(&env.get("prod/db")).unwrap();
    v["password"].as_str().unwrap().to_string()
}

#[test]
fn postgres_password_rotation_takes_effect() {
    let Some((pg, env, hook)) = setup("postgres_password_rotation_takes_effect") else {
        return;
    };
    let run = env
        .sm(&[
            "rotate",
            "prod/db",
            "--hook",
            &hook,
            "--generate",
            "--trust-hook",
        ])
        .success();
    let new = password(&env);
    assert_ne!(new, "initial-Pw-1");
    assert!(
        run.stderr().contains("password changed"),
        "{}",
        run.stderr()
    );
    assert!(pg.logs_in("app", &new), "the new password logs in");
    assert!(!pg.logs_in("app", "initial-Pw-1"), "the old one does not");
    // The rest of the JSON secret is unchanged.
    let v: serde_json::Value = serde_json::from_slice(&env.get("prod/db")).unwrap();
    assert_eq!(v["username"], "app");
    assert_eq!(v["port"], pg.port);
    // A second rotation starts from the rotated password.
    env.sm(&["rotate", "prod/db"]).success();
    let third = password(&env);
    assert!(pg.logs_in("app", &third));
    assert!(!pg.logs_in("app", &new));
    // No password reached the log or the server's log.
    let log = std::fs::read_to_string(env.log_file("alice")).unwrap();
    let server_log = std::fs::read_to_string(pg.dir.path().join("server.log")).unwrap_or_default();
    for pw in [&new, &third] {
        assert!(!log.contains(pw.as_str()));
        assert!(!server_log.contains(pw.as_str()));
    }
}

#[test]
fn postgres_rotation_resumes_after_failed_set_and_test() {
    let Some((pg, env, hook)) = setup("postgres_rotation_resumes_after_failed_set_and_test") else {
        return;
    };
    // A wrapper that, once each, reports failure after a real `set` (the
    // password changed, the hook said no) and fails `test`.
    let marks = env.path().join("marks");
    std::fs::create_dir_all(&marks).unwrap();
    std::fs::write(marks.join("set"), "").unwrap();
    std::fs::write(marks.join("test"), "").unwrap();
    let wrapper = env.store.join("flaky");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nm='{m}'\ninput=$(cat)\nif [ \"$1\" = test ] && [ -e \"$m/test\" ]; then rm \"$m/test\"; echo 'flaky: test fails once' >&2; exit 1; fi\nprintf '%s' \"$input\" | '{hook}' \"$1\" || exit $?\nif [ \"$1\" = set ] && [ -e \"$m/set\" ]; then rm \"$m/set\"; echo 'flaky: set reports failure once' >&2; exit 1; fi\n",
            m = marks.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    env.sm(&[
        "rotate",
        "prod/db",
        "--hook",
        "./flaky",
        "--generate",
        "--trust-hook",
    ])
    .fails(7)
    .stderr_has("step set");
    let shown = env.sm(&["show", "prod/db", "--json"]).success().json();
    let id = shown["rotation"]["pending"]["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    let pending: serde_json::Value = serde_json::from_slice(
        &env.sm(&["get", "prod/db", "--label", "pending"])
            .success()
            .0
            .stdout,
    )
    .unwrap();
    let new = pending["password"].as_str().unwrap().to_string();
    // `set` really changed it; `current` still holds the old password.
    assert!(pg.logs_in("app", &new));
    assert_eq!(password(&env), "initial-Pw-1");

    // Resume at set: the current password fails, the pending one works.
    env.sm(&["rotate", "prod/db"])
        .fails(7)
        .stderr_has("step test")
        .stderr_has("set already");
    assert_eq!(
        env.sm(&["show", "prod/db", "--json"]).success().json()["rotation"]["pending"]["version_id"],
        id.as_str()
    );
    let out = env.sm(&["rotate", "prod/db", "--json"]).success().json();
    assert_eq!(out["version_id"], id.as_str());
    assert_eq!(out["resumed_at"], "test");
    assert_eq!(password(&env), new);
    assert!(pg.logs_in("app", &new));
    assert!(!pg.logs_in("app", "initial-Pw-1"));
}
