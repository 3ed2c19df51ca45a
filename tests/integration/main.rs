//! The integration suite: one test binary (it links once), driving the real
//! `sm` binary in sealed temporary environments. Files per command.

mod common;

mod cache;
mod children;
mod cli_meta;
mod discovery;
mod env_files;
mod exec;
mod first_hour_cli;
mod first_hour_exec;
mod first_hour_hook;
mod first_hour_identity;
mod first_hour_list;
mod first_hour_man;
mod first_hour_readonly;
mod first_hour_values;
mod fuzz;
mod fuzz_shapes;
mod hook_trust;
mod hostile_names;
mod hostile_store;
mod integrity;
mod keyring;
mod perms;
mod reliability;
mod rotate;
mod rotate_postgres;
mod scan;
mod scan_hostile;
mod store_basics;
mod teams;
mod terminal;
mod verify_history;
