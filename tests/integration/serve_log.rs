//! The server's log writer keeps its log open between batches and
//! remembers the log's head lazily while it runs: what it appends still
//! chains with what a command appends to the same file in between, and
//! this machine's memory of the head is caught up when the server stops,
//! so a cut of its very last entries is caught afterwards; and once its
//! log is quiet for a moment the head is remembered while it runs.

use crate::common::TestEnv;
use crate::serve_support::{Server, get};

const TOKEN: &str = "log-writer-token";

fn read(port: u16) {
    let header = format!("X-Aws-Parameters-Secrets-Token: {TOKEN}");
    let (status, body) = get(port, "/secretsmanager/get?secretId=app%2Fdb", &[&header]);
    assert_eq!(status, 200, "{body}");
}

fn lines(env: &TestEnv) -> Vec<String> {
    std::fs::read_to_string(env.log_file("alice"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn server_and_command_appends_to_one_log_chain_in_turn() {
    let env = TestEnv::new();
    env.put("app/db", b"log-writer-value").success();
    let before = lines(&env).len();
    let server = Server::start(&env, &[], &[("AWS_TOKEN", TOKEN)]);
    let port = server.agent.unwrap();
    for _ in 0..5 {
        read(port);
    }
    // The command appends to the same file while the server holds it open.
    env.sm(&["get", "app/db"]).success();
    for _ in 0..5 {
        read(port);
    }
    env.sm(&["log", "verify"]).success();
    let (status, _) = server.stop();
    assert!(status.success());
    let after = lines(&env);
    assert_eq!(after.len(), before + 11, "{after:#?}");
    env.sm(&["log", "verify"]).success();
    env.sm(&["get", "app/db"]).success();
}

#[test]
fn a_cut_of_the_servers_last_reads_is_caught_after_it_stops() {
    let env = TestEnv::new();
    env.put("app/db", b"log-writer-value").success();
    let server = Server::start(&env, &[], &[("AWS_TOKEN", TOKEN)]);
    let port = server.agent.unwrap();
    // Reads in quick succession: their head is remembered lazily.
    for _ in 0..20 {
        read(port);
    }
    let (status, _) = server.stop();
    assert!(status.success());
    // Someone removes the last read's entry from the log.
    assert_last_entry_cut_is_caught(&env);
}

#[test]
fn the_head_is_remembered_while_the_server_runs_once_its_log_is_quiet() {
    let env = TestEnv::new();
    env.put("app/db", b"log-writer-value").success();
    let server = Server::start(&env, &[], &[("AWS_TOKEN", TOKEN)]);
    let port = server.agent.unwrap();
    for _ in 0..20 {
        read(port);
    }
    // Quiet for longer than the head may go unremembered (100 ms).
    std::thread::sleep(std::time::Duration::from_millis(800));
    // Caught while the server still runs: the head of its last read was
    // remembered without a stop or a write.
    assert_last_entry_cut_is_caught(&env);
    let (status, _) = server.stop();
    assert!(status.success());
}

/// Removes the last entry of alice's log and asserts `sm log verify` calls
/// the log cut (exit 5).
fn assert_last_entry_cut_is_caught(env: &TestEnv) {
    let path = env.log_file("alice");
    let mut kept = lines(env);
    kept.pop();
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    let run = env.sm(&["log", "verify"]);
    assert_eq!(run.code(), 5, "{}", run.stderr());
    assert!(run.stderr().contains("cut"), "{}", run.stderr());
}
