//! Suggestions for a mistyped secret name: the nearest existing names by
//! edit distance, read from the names on disk only (nothing is decrypted).

use crate::store::Store;

/// The most names a suggestion offers.
pub const MAX_SUGGESTIONS: usize = 3;

impl Store {
    /// Returns up to [`MAX_SUGGESTIONS`] existing secret names close to
    /// `name` (nearest first, then by name). Reads names only; an
    /// unreadable store suggests nothing.
    pub fn nearest_names(&self, name: &str) -> Vec<String> {
        let names = self.list_names().unwrap_or_default();
        nearest(name, &names)
    }
}

/// Picks the names within a distance that grows with the name's length
/// (a third of it, at least 1, at most 4 edits).
pub fn nearest(name: &str, names: &[String]) -> Vec<String> {
    let limit = (name.chars().count() / 3).clamp(1, 4);
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .filter(|n| n.as_str() != name)
        .map(|n| (distance(name, n), n))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, n)| n.clone())
        .collect()
}

/// The edit distance between two strings, by characters, a swap of two
/// neighbours counting as one edit (`gte` is one from `get`).
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names_are_close_and_few() {
        let names: Vec<String> = [
            "prod/db",
            "prod/dc",
            "prod/api",
            "staging/db",
            "prod/d",
            "x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(distance("prod/dbb", "prod/db"), 1);
        let got = nearest("prod/dbb", &names);
        assert_eq!(got[0], "prod/db");
        assert!(got.len() <= MAX_SUGGESTIONS);
        assert!(!got.contains(&"x".to_string()));
        assert!(nearest("zzzzzzzz", &names).is_empty());
    }
}
