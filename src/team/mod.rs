//! Teams: who may read and write what (access rules and groups) and the
//! three-way merge of metadata that two members changed at once.
//!
//! The members themselves, the signed header and replicas still live in
//! [`crate::store`] and [`crate::replica`]; they join this area as they are
//! reworked.

pub mod access;
pub mod merge;
