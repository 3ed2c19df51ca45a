//! Signatures, tampering, the access log and `sm verify`.
