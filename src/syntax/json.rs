//! A JSON parser that keeps byte spans, for `.tf.json`, `.tfvars.json` and plan files, whose
//! findings and errors need line numbers (serde_json gives none).

use crate::syntax::source::{FileId, Span};

/// Deepest array/object nesting accepted.
pub const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug)]
pub struct Json {
    pub kind: JsonKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum JsonKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Members in source order; duplicates kept (the consumer decides).
    Object(Vec<Member>),
}

#[derive(Clone, Debug)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Json,
}

#[derive(Clone, Debug)]
pub struct JsonError {
    pub span: Span,
    pub message: String,
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.kind {
            JsonKind::Object(members) => members.iter().rev().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn members(&self) -> &[Member] {
        match &self.kind {
            JsonKind::Object(m) => m,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Json] {
        match &self.kind {
            JsonKind::Array(a) => a,
            _ => &[],
        }
    }

    /// Converts to serde_json (last duplicate key wins, as in most JSON readers).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.kind {
            JsonKind::Null => serde_json::Value::Null,
            JsonKind::Bool(b) => serde_json::Value::Bool(*b),
            JsonKind::Number(n) => {
                serde_json::Number::from_f64(*n).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
            }
            JsonKind::String(s) => serde_json::Value::String(s.clone()),
            JsonKind::Array(a) => serde_json::Value::Array(a.iter().map(Json::to_serde).collect()),
            JsonKind::Object(m) => {
                serde_json::Value::Object(m.iter().map(|m| (m.key.clone(), m.value.to_serde())).collect())
            }
        }
    }
}

pub fn parse(src: &str, file: FileId) -> Result<Json, JsonError> {
    let mut p = P { s: src.as_bytes(), src, pos: 0, file, depth: 0 };
    if src.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.pos < p.s.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(v)
}

struct P<'a> {
    s: &'a [u8],
    src: &'a str,
    pos: usize,
    file: FileId,
    depth: usize,
}

impl P<'_> {
    fn err(&self, message: &str) -> JsonError {
        let c = self.src.get(self.pos..).and_then(|s| s.chars().next());
        let found = match c {
            _ if self.pos >= self.s.len() => "end of file".to_string(),
            c => format!("`{}`", c.unwrap_or('?')),
        };
        // The span covers the whole character: a span ending inside one is no place in the file.
        let end = (self.pos + c.map_or(1, char::len_utf8)).min(self.s.len());
        JsonError { span: Span::new(self.file, self.pos, end), message: format!("{message}, found {found}") }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        let kind = match self.s.get(self.pos) {
            Some(b'{') => self.nested(|p| p.object())?,
            Some(b'[') => self.nested(|p| p.array())?,
            Some(b'"') => JsonKind::String(self.string()?),
            Some(b't') => self.word("true", JsonKind::Bool(true))?,
            Some(b'f') => self.word("false", JsonKind::Bool(false))?,
            Some(b'n') => self.word("null", JsonKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.err("expected a JSON value")),
        };
        Ok(Json { kind, span: Span::new(self.file, start, self.pos) })
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Result<JsonKind, JsonError>) -> Result<JsonKind, JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(&format!("JSON nested deeper than {MAX_DEPTH} levels")));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn word(&mut self, w: &str, kind: JsonKind) -> Result<JsonKind, JsonError> {
        if self.s[self.pos..].starts_with(w.as_bytes()) {
            self.pos += w.len();
            Ok(kind)
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<JsonKind, JsonError> {
        let start = self.pos;
        if self.s.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = self.s.get(self.pos) {
            self.pos += 1;
        }
        self.src[start..self.pos].parse::<f64>().map(JsonKind::Number).map_err(|_| {
            let mut e = self.err("invalid number");
            e.span = Span::new(self.file, start, self.pos);
            e
        })
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy runs of plain characters at once.
            let run_start = self.pos;
            while let Some(&c) = self.s.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.src[run_start..self.pos]);
            match self.s.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.s.get(self.pos).copied();
                    self.pos += 1;
                    match c {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let ch = if (0xD800..0xDC00).contains(&hi) && self.s[self.pos..].starts_with(b"\\u") {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF))
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(ch.unwrap_or('\u{fffd}'));
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.err("invalid escape in JSON string"));
                        }
                    }
                }
                None => {
                    let mut e = self.err("unterminated JSON string");
                    e.span = Span::new(self.file, open, open + 1);
                    return Err(e);
                }
                Some(_) => return Err(self.err("control character in JSON string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let h = self.src.get(self.pos..self.pos + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
        match h {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.err("invalid \\u escape")),
        }
    }

    fn array(&mut self) -> Result<JsonKind, JsonError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(JsonKind::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value()?);
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonKind::Array(items));
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<JsonKind, JsonError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(JsonKind::Object(members));
        }
        loop {
            self.ws();
            if self.s.get(self.pos) != Some(&b'"') {
                return Err(self.err("expected a string key"));
            }
            let kstart = self.pos;
            let key = self.string()?;
            let key_span = Span::new(self.file, kstart, self.pos);
            self.ws();
            if self.s.get(self.pos) != Some(&b':') {
                return Err(self.err("expected `:` after the key"));
            }
            self.pos += 1;
            self.ws();
            let value = self.value()?;
            members.push(Member { key, key_span, value });
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonKind::Object(members));
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_spans() {
        let src = r#"{"a": [1, 2.5e1, true, null], "b": {"c": "x\u00e9\"y"}}"#;
        let j = parse(src, FileId(0)).unwrap();
        let b = j.get("b").unwrap();
        assert_eq!(b.get("c").unwrap().as_str(), Some("xé\"y"));
        assert_eq!(&src[b.span.start as usize..b.span.end as usize], r#"{"c": "x\u00e9\"y"}"#);
        assert!(matches!(j.get("a").unwrap().items()[1].kind, JsonKind::Number(n) if n == 25.0));
    }

    #[test]
    fn errors_are_located() {
        let e = parse("{\"a\": [1, 2}", FileId(0)).unwrap_err();
        assert_eq!(e.span.start, 11);
        let e = parse("{\"a\": \"x", FileId(0)).unwrap_err();
        assert!(e.message.contains("unterminated"));
        assert!(parse("", FileId(0)).is_err());
        assert!(parse("{} x", FileId(0)).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let src = "[".repeat(100_000);
        assert!(parse(&src, FileId(0)).unwrap_err().message.contains("deeper"));
    }

    #[test]
    fn surrogate_pairs() {
        let j = parse(r#""\ud83d\ude00""#, FileId(0)).unwrap();
        assert_eq!(j.as_str(), Some("😀"));
    }
}
