//! Teams: who may read and write what (access rules and groups), the
//! three-way merge of metadata that two members changed at once, and
//! read-only replicas re-encrypted to their own members.
//!
//! The member list and its chain of endorsements still live in
//! [`crate::store`], which opens and verifies them with the store.

pub mod access;
pub mod merge;
pub mod replica;
