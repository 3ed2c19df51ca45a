//! Checksums some providers put in their tokens: GitHub's classic tokens
//! (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's (`npm_`) end in the
//! CRC32 of the 30 random characters before it, as 6 base62 digits
//! (`0-9A-Za-z`, left-padded with `0`). A look-alike of the right shape
//! fails it, so it separates real tokens from test strings for free.
//!
//! The CRC32 (IEEE, reflected, as zlib's) is a 1 KiB table built at compile
//! time, rather than a dependency.

/// The CRC32 lookup table (polynomial 0xEDB88320).
const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// Returns the CRC32 (IEEE) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |crc, &b| {
        TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8)
    })
}

/// Decodes base62 digits (`0-9A-Za-z`), or `None` on another byte or an
/// overflow.
fn base62(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, &b| {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            b'a'..=b'z' => b - b'a' + 36,
            _ => return None,
        };
        acc.checked_mul(62)?.checked_add(u64::from(d))
    })
}

/// Tells whether `token` is `PREFIX` + 30 base62 characters + their CRC32
/// in 6 base62 digits (GitHub's classic tokens, npm's tokens).
pub fn crc32_base62_token(token: &str, prefix_len: usize) -> bool {
    let bytes = token.as_bytes();
    if bytes.len() != prefix_len + 36 {
        return false;
    }
    let (random, check) = bytes[prefix_len..].split_at(30);
    random.iter().all(u8::is_ascii_alphanumeric) && base62(check) == Some(u64::from(crc32(random)))
}

/// The check of the `github-token` rule: classic tokens (`gh?_`) carry a
/// valid checksum; fine-grained tokens (`github_pat_`, whose checksum is
/// not documented) have two parts of 22 and 59 characters and are not a
/// placeholder.
pub fn github_token(token: &str) -> bool {
    if let Some(rest) = token.strip_prefix("github_pat_") {
        let mut parts = rest.splitn(2, '_');
        let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        return a.len() == 22 && b.len() == 59 && !super::noise::is_placeholder_token(token);
    }
    crc32_base62_token(token, 4)
}

/// The check of the `npm-token` rule.
pub fn npm_token(token: &str) -> bool {
    crc32_base62_token(token, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes `n` as 6 base62 digits.
    fn encode(mut n: u64) -> String {
        const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut out = vec![b'0'; 6];
        for slot in out.iter_mut().rev() {
            *slot = DIGITS[(n % 62) as usize];
            n /= 62;
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn crc32_matches_zlib() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn tokens_with_their_checksum_pass_and_look_alikes_fail() {
        let random = "xEEsAoCaA2QTqpOoast0vQj8VMtbYo";
        let token = format!(
            "ghp_{random}{}",
            encode(u64::from(crc32(random.as_bytes())))
        );
        assert!(github_token(&token));
        assert!(npm_token(&token.replacen("ghp_", "npm_", 1)));
        let mut wrong = token.clone().into_bytes();
        let last = wrong.len() - 1;
        wrong[last] = if wrong[last] == b'A' { b'B' } else { b'A' };
        assert!(!github_token(std::str::from_utf8(&wrong).unwrap()));
        assert!(!github_token("ghp_16C7e42F292c6912E7710c838347Ae178B4a"));
        assert!(!github_token(&format!("{token}x")));
        let pat = "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";
        assert!(github_token(pat));
        assert!(!github_token(&format!(
            "github_pat_{}_{}",
            "x".repeat(22),
            "x".repeat(59)
        )));
    }
}
