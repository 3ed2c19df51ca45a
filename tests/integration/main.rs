//! The integration suite: one test binary (it links once), driving the real
//! `sm` binary in sealed temporary environments. Files per command.

mod common;

mod attack_access;
mod attack_delete;
mod attack_history;
mod attack_log_cut;
mod attack_merge;
mod attack_offboarding;
mod attack_replicas;
mod attack_rollback;
mod attack_setup;
mod attack_substitute;
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
mod format_upgrade;
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
