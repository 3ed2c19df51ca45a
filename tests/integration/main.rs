//! The integration suite: one test binary (it links once), driving the real
//! `sm` binary in sealed temporary environments. Files per command.

mod common;

mod cache;
mod cli_meta;
mod exec;
mod fuzz;
mod fuzz_shapes;
mod hostile_store;
mod integrity;
mod keyring;
mod reliability;
mod rotate;
mod rotate_postgres;
mod scan;
mod store_basics;
mod teams;
mod terminal;
