//! The assignment parser behind the name-bound rules ([`super::Check::Assignment`]
//! and [`super::Check::Named`]): from a keyword the engine's automaton found
//! (`password`, `token`...), it widens to the whole name and reads the value
//! assigned to it, in the forms of the common languages and config formats:
//!
//! - `NAME=V`, `NAME = "V"`, `NAME: V`, `"name": "V"`, `'name' => 'V'`,
//!   `:name => "V"`, `NAME := V`, `?=`, `+=`, `.=`, `::=`, `:::=` (shell,
//!   dotenv, YAML, TOML, INI, JSON, properties, Python, JS/TS, Ruby, PHP,
//!   Terraform, Makefile, Go, Java, C#, CI files);
//! - typed declarations: `var NAME string = "V"`, `NAME: &str = "V"`,
//!   `val name: String = "V"`;
//! - calls with the name quoted: `define('NAME', 'V')`,
//!   `setProperty("name", "V")`, `put("password", "V")`;
//! - XML: `<password>V</password>`, `<add key="ApiKey" value="V"/>`;
//! - `ENV NAME V` (Dockerfile) and `#define NAME "V"` (C);
//! - Compose and Kubernetes env lists: `- name: NAME` then `value: V` on
//!   the next line.
//!
//! Everything is bounded: a name is at most [`MAX_NAME`] bytes each side of
//! its keyword and a value at most [`MAX_VALUE`], so hostile input (a
//! megabyte of `token`) costs a constant per keyword.

/// The longest name read on each side of a keyword.
const MAX_NAME: usize = 96;

/// The longest value read (longer values are not passwords).
const MAX_VALUE: usize = 256;

/// The shortest value considered.
const MIN_VALUE: usize = 8;

/// One assignment found around a keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The name's byte range.
    pub name: (usize, usize),
    /// The value's byte range.
    pub value: (usize, usize),
    /// Whether the value was quoted.
    pub quoted: bool,
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-'
}

/// Returns the start of the line holding `at`.
fn line_start(data: &[u8], at: usize) -> usize {
    data[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Returns the end of the line holding `at` (its `\n` or the end).
fn line_end(data: &[u8], at: usize) -> usize {
    data[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(data.len(), |i| at + i)
}

fn skip_blanks(data: &[u8], mut i: usize) -> usize {
    while i < data.len() && (data[i] == b' ' || data[i] == b'\t') {
        i += 1;
    }
    i
}

/// Widens the keyword at `start..end` to the whole name, or `None` when the
/// name is too long.
pub fn name_around(data: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let mut s = start;
    while s > 0 && is_name_byte(data[s - 1]) {
        if start - s >= MAX_NAME {
            return None;
        }
        s -= 1;
    }
    let mut e = end;
    while e < data.len() && is_name_byte(data[e]) {
        if e - end >= MAX_NAME {
            return None;
        }
        e += 1;
    }
    // `--db-password=`, `$secret.= '...'`: separators at the edges are not
    // part of the name.
    while s < e && matches!(data[s], b'-' | b'.') {
        s += 1;
    }
    while e > s && matches!(data[e - 1], b'-' | b'.') {
        e -= 1;
    }
    (s < e && s <= start && end <= e).then_some((s, e))
}

/// Parses the assignment whose name holds the keyword at `start..end`.
pub fn parse(data: &[u8], start: usize, end: usize) -> Option<Assignment> {
    let (ns, ne) = name_around(data, start, end)?;
    let before = |k: usize| if ns >= k { Some(data[ns - k]) } else { None };
    let prev = before(1);
    // `${NAME}`, `$(NAME)`, `%(NAME)s`: a reference, not an assignment.
    if matches!(prev, Some(b'{') | Some(b'(')) && matches!(before(2), Some(b'$') | Some(b'%')) {
        return None;
    }
    let mut i = ne;
    let mut key_quoted = false;
    if let Some(q @ (b'"' | b'\'' | b'`')) = prev
        && data.get(i) == Some(&q)
    {
        key_quoted = true;
        i += 1;
        if data.get(i) == Some(&b']') {
            i += 1; // config["password"] = ...
        }
    }
    let sep_start = i;
    let i = separator(data, ns, ne, i, key_quoted, prev)?;
    debug_assert!(i >= sep_start);
    value(data, ns, ne, i)
}

/// Reads the separator after a name ending at `i`; returns where the value
/// may start.
fn separator(
    data: &[u8],
    ns: usize,
    ne: usize,
    start: usize,
    key_quoted: bool,
    prev: Option<u8>,
) -> Option<usize> {
    let i = skip_blanks(data, start);
    let rest = &data[i..];
    let at = |k: usize| rest.get(k).copied();
    // XML element: <password>V</password>
    if prev == Some(b'<') && start == ne && at(0) == Some(b'>') {
        return Some(i + 1);
    }
    if key_quoted {
        // define('NAME', 'V'), setProperty("name", "V"), put("password", "V")
        if at(0) == Some(b',') {
            let open = data[..ns - 1]
                .iter()
                .rposition(|&b| b != b' ' && b != b'\t');
            if open.is_some_and(|o| data[o] == b'(') {
                let v = skip_blanks(data, i + 1);
                return matches!(data.get(v), Some(b'"' | b'\'')).then_some(v);
            }
            return None;
        }
        // <add key="ApiKey" value="V"/>
        if i > start && rest.len() > 6 && rest[..5].eq_ignore_ascii_case(b"value") {
            let j = skip_blanks(data, i + 5);
            if data.get(j) == Some(&b'=') {
                return Some(skip_blanks(data, j + 1));
            }
        }
    }
    for op in [&b":::="[..], b"::=", b":=", b"?=", b"+=", b".=", b"=>"] {
        if rest.starts_with(op) {
            return Some(skip_blanks(data, i + op.len()));
        }
    }
    match at(0) {
        Some(b'=') => {
            return (at(1) != Some(b'=') && at(1) != Some(b'~')).then(|| skip_blanks(data, i + 1));
        }
        Some(b':') => {
            if at(1) == Some(b':') {
                return None;
            }
            // A type annotation before `=`: `NAME: &str = "V"`.
            if let Some(eq) = typed_equals(data, i + 1) {
                return Some(eq);
            }
            let v = skip_blanks(data, i + 1);
            // Compose / Kubernetes: `- name: NAME` and nothing else on the
            // line handled below; here `name: V`.
            return Some(v);
        }
        _ => {}
    }
    let line = &data[line_start(data, ns)..ns];
    let lead = trim_ascii(line);
    // Go: `var NAME string = "V"`.
    for ty in [&b"string"[..], b"String", b"[]byte"] {
        if i > start && rest.starts_with(ty) {
            let eq = skip_blanks(data, i + ty.len());
            if data.get(eq) == Some(&b'=') && data.get(eq + 1) != Some(&b'=') {
                return Some(skip_blanks(data, eq + 1));
            }
        }
    }
    // `- name: NAME` then `value: V` on the next line.
    if i == line_end(data, i) && lead.ends_with(b"name:") {
        let next = i + 1;
        if next < data.len() {
            let v = skip_blanks(data, next);
            let r = &data[v..];
            if r.starts_with(b"value:") {
                return Some(skip_blanks(data, v + 6));
            }
        }
        return None;
    }
    // `ENV NAME V`, `#define NAME "V"`.
    if i > start && i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
        let upper = lead.to_ascii_uppercase();
        if upper == b"ENV" {
            return Some(i);
        }
        // C: only a string literal (`#define NAME OTHER_MACRO` is code).
        if (upper == b"#DEFINE" || upper == b"# DEFINE") && data[i] == b'"' {
            return Some(i);
        }
    }
    None
}

fn trim_ascii(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

/// After a `:` (or a name followed by blanks), a short type then `=`
/// (`&str =`, `&'static str =`, `string =`, `String =`, `Option<&str> =`):
/// returns where the value may start.
fn typed_equals(data: &[u8], from: usize) -> Option<usize> {
    let i = skip_blanks(data, from);
    let mut j = i;
    while j < data.len() && j - i <= 40 {
        match data[j] {
            b'=' => {
                let next = data.get(j + 1).copied();
                // `: &str = `: a blank before `=` (`key: a=b` is a value).
                if j == i || data[j - 1] != b' ' || next == Some(b'=') || next == Some(b'>') {
                    return None;
                }
                let ty = trim_ascii(&data[i..j]);
                let first = ty.first().copied()?;
                return (first.is_ascii_alphabetic() || first == b'&' || first == b'[')
                    .then(|| skip_blanks(data, j + 1));
            }
            b if b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'&' | b'\''
                        | b'<'
                        | b'>'
                        | b'['
                        | b']'
                        | b'_'
                        | b'.'
                        | b' '
                        | b'?'
                        | b'*'
                        | b':'
                ) => {}
            _ => return None,
        }
        j += 1;
    }
    None
}

/// Reads the value starting at `i`.
fn value(data: &[u8], ns: usize, ne: usize, mut i: usize) -> Option<Assignment> {
    // String prefixes: r"..", b"..", f"..", u"..", @"..".
    if let (Some(p), Some(q)) = (data.get(i), data.get(i + 1))
        && matches!(
            p,
            b'r' | b'b' | b'f' | b'u' | b'@' | b'R' | b'B' | b'F' | b'U'
        )
        && matches!(q, b'"' | b'\'')
    {
        i += 1;
    }
    let quote = data.get(i).copied()?;
    if matches!(quote, b'"' | b'\'' | b'`') {
        let vs = i + 1;
        let mut j = vs;
        while j < data.len() && data[j] != quote {
            if data[j].is_ascii_whitespace() || j - vs > MAX_VALUE {
                return None;
            }
            j += 1;
        }
        if j >= data.len() || j - vs < MIN_VALUE {
            return None;
        }
        return Some(Assignment {
            name: (ns, ne),
            value: (vs, j),
            quoted: true,
        });
    }
    let query = ns > 0 && matches!(data[ns - 1], b'?' | b'&');
    let vs = i;
    let mut j = vs;
    while j < data.len() {
        let b = data[j];
        if b.is_ascii_whitespace()
            || matches!(
                b,
                b'"' | b'\'' | b'`' | b',' | b';' | b'<' | b'>' | b')' | b']'
            )
            || (query && matches!(b, b'&' | b'#'))
        {
            break;
        }
        if j - vs > MAX_VALUE {
            return None;
        }
        j += 1;
    }
    if j - vs < MIN_VALUE || data[vs] == b':' {
        return None;
    }
    // `pypi-<your-token>`, `key-{env}`: a template, not a value.
    if matches!(data.get(j), Some(b'<')) && data.get(j + 1) != Some(&b'/') {
        return None;
    }
    Some(Assignment {
        name: (ns, ne),
        value: (vs, j),
        quoted: false,
    })
}

/// Tells whether the name at `ns` is a query parameter of a badge or
/// coverage URL (`...badge.svg?token=...`), which is public.
pub fn is_public_badge_parameter(data: &[u8], ns: usize) -> bool {
    if ns == 0 || !matches!(data[ns - 1], b'?' | b'&') {
        return false;
    }
    let line = data[line_start(data, ns)..ns].to_ascii_lowercase();
    let has = |s: &[u8]| line.windows(s.len()).any(|w| w == s);
    has(b"badge") || has(b"codecov.io") || has(b"shields.io") || has(b".svg") || has(b".png")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses around the first `kw` in `text`; returns (name, value, quoted).
    fn at(text: &str, kw: &str) -> Option<(String, String, bool)> {
        let start = text.find(kw)?;
        let a = parse(text.as_bytes(), start, start + kw.len())?;
        Some((
            text[a.name.0..a.name.1].to_string(),
            text[a.value.0..a.value.1].to_string(),
            a.quoted,
        ))
    }

    fn value_of(text: &str, kw: &str) -> Option<String> {
        at(text, kw).map(|(_, v, _)| v)
    }

    #[test]
    fn syntaxes() {
        let v = "Qm8vLx2Nc4RtW7";
        for text in [
            format!("DB_PASSWORD={v}\n"),
            format!("export DB_PASSWORD=\"{v}\"\n"),
            format!("db_password: {v}\n"),
            format!("db_password: '{v}'\n"),
            format!("{{\"db_password\": \"{v}\"}}\n"),
            format!("[s]\nDB_PASSWORD = {v}\n"),
            format!("<DB_PASSWORD>{v}</DB_PASSWORD>\n"),
            format!("db.password={v}\n"),
            format!("var DB_PASSWORD string = \"{v}\"\n"),
            format!("DB_PASSWORD := \"{v}\"\n"),
            format!("const DB_PASSWORD = \"{v}\";\n"),
            format!("private static final String DB_PASSWORD = \"{v}\";\n"),
            format!("<?php\n$DB_PASSWORD = '{v}';\n"),
            format!("define('DB_PASSWORD', '{v}');\n"),
            format!("const DB_PASSWORD: &str = \"{v}\";\n"),
            format!("const DB_PASSWORD: &'static str = \"{v}\";\n"),
            format!("val dbPassword: String = \"{v}\"\n"),
            format!("ENV DB_PASSWORD={v}\n"),
            format!("ENV DB_PASSWORD {v}\n"),
            format!("DB_PASSWORD ?= {v}\n"),
            format!("DB_PASSWORD ::= {v}\n"),
            format!("DB_PASSWORD :::= {v}\n"),
            format!("DB_PASSWORD += {v}\n"),
            format!("$password .= '{v}';\n"),
            format!("'password' => '{v}',\n"),
            format!(":password => \"{v}\",\n"),
            format!("props.setProperty(\"db.password\", \"{v}\");\n"),
            format!("m.put(\"password\", \"{v}\");\n"),
            format!("<add key=\"DbPassword\" value=\"{v}\" />\n"),
            format!("env:\n  - name: DB_PASSWORD\n    value: \"{v}\"\n"),
            format!("#define DB_PASSWORD \"{v}\"\n"),
            format!("app --db-password={v} -v\n"),
            format!("config[\"password\"] = \"{v}\"\n"),
            format!("connect(password=r\"{v}\")\n"),
        ] {
            assert_eq!(
                value_of(&text, "PASSWORD")
                    .or_else(|| value_of(&text, "Password"))
                    .or_else(|| value_of(&text, "password")),
                Some(v.to_string()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn not_assignments() {
        for text in [
            "if password == \"Qm8vLx2Nc4RtW7\" {}\n",
            "echo ${DB_PASSWORD}\n",
            "x = $(PASSWORD)\n",
            "the password is Qm8vLx2Nc4RtW7\n",
            "getenv(\"PASSWORD\")\n",
            "f(password, Qm8vLx2Nc4RtW7)\n",
            "- name: PASSWORD\n  valueFrom:\n",
            "password::Qm8vLx2Nc4RtW7\n",
        ] {
            let found = value_of(text, "password").or_else(|| value_of(text, "PASSWORD"));
            assert_eq!(found, None, "{text:?}");
        }
    }

    #[test]
    fn quoted_values_have_no_spaces_and_unquoted_stop_at_code() {
        assert_eq!(
            value_of("password = \"two words here\"\n", "password"),
            None
        );
        assert_eq!(
            value_of("password: Qm8vLx2Nc4RtW7, user: x\n", "password"),
            Some("Qm8vLx2Nc4RtW7".into())
        );
        assert_eq!(
            value_of("a.svg?token=Qm8vLx2Nc4RtW7&x=1\n", "token"),
            Some("Qm8vLx2Nc4RtW7".into())
        );
    }

    #[test]
    fn names_are_bounded() {
        let long = format!("{}password={}\n", "a".repeat(200), "Qm8vLx2Nc4RtW7");
        assert_eq!(value_of(&long, "password"), None);
        let tokens = "token".repeat(10_000);
        assert_eq!(value_of(&tokens, "token"), None);
    }

    #[test]
    fn badges() {
        let line = b"[![c](https://codecov.io/gh/o/r/badge.svg?token=A1B2C3D4E5)](x)";
        let at = line.windows(5).position(|w| w == b"token").unwrap();
        assert!(is_public_badge_parameter(line, at));
        assert!(!is_public_badge_parameter(b"x token=1", 2));
    }
}
