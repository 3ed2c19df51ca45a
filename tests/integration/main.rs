//! The integration suite: one test binary (it links once), driving the real
//! `sm` binary in sealed temporary environments. Files per command.

mod common;

mod cli_meta;
mod exec;
mod integrity;
mod keyring;
mod rotate;
mod rotate_postgres;
mod store_basics;
mod teams;
mod terminal;
