//! Encoding functions: base64, JSON, CSV, URL and text encodings (YAML is in `yaml.rs`).

use base64::DecodeError;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, Engine, GeneralPurpose, GeneralPurposeConfig};

use super::FnContext;
use super::FnError;
use super::args::{MAX_ELEMENTS, arg_err, check_count, check_len, string};
use crate::terraform::value::{Kind, Map, Value, format_number};

/// Go's `base64.StdEncoding`: the standard alphabet, padding required, and (unlike the
/// crate's default) bits after the last symbol ignored: Go decodes `aGl=` as `hi`.
const GO_STD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    GO_STD.encode(bytes)
}

/// Go's `base64.StdEncoding.DecodeString`: padding required, CR and LF ignored anywhere
/// (the crate does not skip them). The error is the offset of the first bad byte in `s`.
pub fn base64_decode(s: &str) -> Result<Vec<u8>, usize> {
    let kept: Vec<usize> = s.bytes().enumerate().filter(|(_, b)| *b != b'\r' && *b != b'\n').map(|(i, _)| i).collect();
    let symbols: Vec<u8> = kept.iter().map(|&i| s.as_bytes()[i]).collect();
    let at = |i: usize| kept.get(i).copied().unwrap_or(s.len());
    GO_STD.decode(&symbols).map_err(|e| match e {
        DecodeError::InvalidByte(i, _) | DecodeError::InvalidLastSymbol { offset: i, .. } => at(i),
        // An incomplete last quad: where it starts.
        DecodeError::InvalidLength(n) => at(n / 4 * 4),
        // Missing padding: where the last quad starts (as Go says); wrong padding: where it is.
        DecodeError::InvalidPadding => at(symbols.iter().position(|&b| b == b'=').unwrap_or(symbols.len() / 4 * 4)),
    })
}

pub fn base64encode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    check_len(s.len() / 3 * 4 + 4)?;
    Ok(Value::string(base64_encode(s.as_bytes())))
}

pub fn base64decode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    let bytes = base64_decode(&s).map_err(|_| format!("failed to decode base64 data {s:?}"))?;
    String::from_utf8(bytes)
        .map(Value::string)
        .map_err(|_| FnError::from("the result of decoding the provided string is not valid UTF-8"))
}

/// Terraform gzips with Go's compressor, whose exact bytes we cannot reproduce.
pub fn base64gzip(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    string(&args[0], "str")?;
    Ok(Value::unknown_apply("base64gzip()"))
}

/// A JSON string as Go's `encoding/json` writes it (HTML-safe escapes included).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Terraform's `jsonencode`: compact, keys in lexical order, numbers without exponents.
pub fn json_encode(v: &Value) -> Result<String, FnError> {
    let mut out = String::new();
    write_json(v, &mut out)?;
    Ok(out)
}

fn write_json(v: &Value, out: &mut String) -> Result<(), FnError> {
    check_len(out.len())?;
    match &v.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) if n.is_finite() => out.push_str(&format_number(*n)),
        Kind::Number(_) => return Err("cannot serialize infinity as JSON".into()),
        Kind::String(s) => out.push_str(&json_string(s)),
        Kind::List(items) | Kind::Set(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out)?;
            }
            out.push(']');
        }
        Kind::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(k));
                out.push(':');
                write_json(item, out)?;
            }
            out.push('}');
        }
        // Only reached through `jsonencode` of a partly unknown value: a string holding the
        // placeholder, whatever the unknown turns out to be (readers treat it as unknown).
        Kind::Unknown(_) => {
            out.push('"');
            out.push(crate::terraform::value::PLACEHOLDER);
            out.push('"');
        }
    }
    Ok(())
}

/// A partly unknown value encodes to an unknown string whose template is the document with
/// placeholders, so a policy built with `jsonencode` around an unknown ARN can still be read.
pub fn jsonencode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = json_encode(&args[0])?;
    check_len(s.len())?;
    match args[0].first_unknown().and_then(Value::as_unknown) {
        None => Ok(Value::string(s)),
        Some(u) => {
            let u =
                crate::terraform::value::Unknown { prefix: None, suffix: None, template: Some(s.into()), ..u.clone() };
            Ok(Value::new(Kind::Unknown(std::sync::Arc::new(u))))
        }
    }
}

pub fn jsondecode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    let j: serde_json::Value = serde_json::from_str(&s).map_err(|e| {
        // serde_json stops at 128 levels; Terraform reads deeper documents.
        if e.to_string().contains("recursion limit") {
            super::limit_message(format_args!("the document is nested deeper than tfcheck's limit: {e}"))
        } else {
            FnError::from(e.to_string())
        }
    })?;
    fn count(j: &serde_json::Value) -> usize {
        match j {
            serde_json::Value::Array(a) => 1 + a.iter().map(count).sum::<usize>(),
            serde_json::Value::Object(o) => 1 + o.values().map(count).sum::<usize>(),
            _ => 1,
        }
    }
    if count(&j) > MAX_ELEMENTS {
        return Err(super::limit_message(format_args!(
            "the document has more than tfcheck's limit of {MAX_ELEMENTS} values"
        )));
    }
    Ok(Value::from_json(&j))
}

/// Go's `url.QueryEscape`.
pub fn urlencode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    check_len(s.len().saturating_mul(3))?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::string(out))
}

/// Parses CSV as Go's `encoding/csv` does (RFC 4180, every record as long as the first).
fn parse_csv(s: &str) -> Result<Vec<Vec<String>>, FnError> {
    let text = s.replace("\r\n", "\n");
    let chars: Vec<char> = text.chars().collect();
    let mut records: Vec<Vec<String>> = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        if chars[i] == '\n' {
            i += 1;
            line += 1;
            continue;
        }
        let record_line = line;
        let mut record = Vec::new();
        loop {
            let mut field = String::new();
            let col = i;
            if chars.get(i) == Some(&'"') {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(format!(
                                "parse error on line {line}, column {}: extraneous or missing \" in quoted-field",
                                col + 1
                            )
                            .into());
                        }
                        Some('"') if chars.get(i + 1) == Some(&'"') => {
                            field.push('"');
                            i += 2;
                        }
                        Some('"') => {
                            i += 1;
                            if !matches!(chars.get(i), None | Some(',') | Some('\n')) {
                                return Err(format!(
                                    "parse error on line {line}, column {}: extraneous or missing \" in quoted-field",
                                    i + 1
                                )
                                .into());
                            }
                            break;
                        }
                        Some(&c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                            i += 1;
                        }
                    }
                }
            } else {
                while let Some(&c) = chars.get(i).filter(|c| **c != ',' && **c != '\n') {
                    if c == '"' {
                        return Err(format!(
                            "parse error on line {line}, column {}: bare \" in non-quoted-field",
                            i + 1
                        )
                        .into());
                    }
                    field.push(c);
                    i += 1;
                }
            }
            record.push(field);
            match chars.get(i) {
                Some(',') => i += 1,
                Some('\n') => {
                    i += 1;
                    line += 1;
                    break;
                }
                _ => break,
            }
        }
        if let Some(first) = records.first()
            && first.len() != record.len()
        {
            return Err(format!("record on line {record_line}: wrong number of fields").into());
        }
        check_count((records.len() + 1).saturating_mul(record.len().max(1)))?;
        records.push(record);
    }
    Ok(records)
}

pub fn csvdecode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    let mut records = parse_csv(&s)?.into_iter();
    let Some(header) = records.next() else {
        return Err("missing header line".into());
    };
    let rows = records
        .map(|rec| Value::map(header.iter().cloned().zip(rec.into_iter().map(Value::string)).collect::<Map>()))
        .collect();
    Ok(Value::list(rows))
}

/// The text encodings we can reproduce exactly; `None` for the others.
#[derive(Clone, Copy, PartialEq)]
enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
}

impl TextEncoding {
    fn lookup(name: &str) -> Option<(TextEncoding, &'static str)> {
        Some(match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "csutf8" => (TextEncoding::Utf8, "UTF-8"),
            "utf-16le" | "csutf16le" => (TextEncoding::Utf16Le, "UTF-16LE"),
            "utf-16be" | "csutf16be" => (TextEncoding::Utf16Be, "UTF-16BE"),
            "iso-8859-1" | "iso_8859-1" | "iso_8859-1:1987" | "latin1" | "l1" | "iso-ir-100" | "ibm819" | "cp819"
            | "csisolatin1" => (TextEncoding::Latin1, "ISO-8859-1"),
            _ => return None,
        })
    }

    fn encode(self, s: &str) -> Option<Vec<u8>> {
        Some(match self {
            TextEncoding::Utf8 => s.as_bytes().to_vec(),
            TextEncoding::Utf16Le => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            TextEncoding::Utf16Be => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            TextEncoding::Latin1 => s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect::<Option<_>>()?,
        })
    }

    /// Decodes, with U+FFFD for invalid input (as Go's decoders do).
    fn decode(self, b: &[u8]) -> String {
        let units = |f: fn([u8; 2]) -> u16| -> String {
            let mut u: Vec<u16> = b.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
            if b.len() % 2 == 1 {
                u.push(0xFFFD);
            }
            char::decode_utf16(u).map(|r| r.unwrap_or('\u{FFFD}')).collect()
        };
        match self {
            TextEncoding::Utf8 => String::from_utf8_lossy(b).into_owned(),
            TextEncoding::Utf16Le => units(u16::from_le_bytes),
            TextEncoding::Utf16Be => units(u16::from_be_bytes),
            TextEncoding::Latin1 => b.iter().map(|&c| char::from(c)).collect(),
        }
    }
}

pub fn textencodebase64(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, enc) = (string(&args[0], "string")?, string(&args[1], "encoding")?);
    let Some((encoding, name)) = TextEncoding::lookup(&enc) else {
        return Ok(Value::unknown_apply(format!("textencodebase64(..., {enc:?})")));
    };
    check_len(s.len().saturating_mul(3))?;
    let bytes = encoding.encode(&s).ok_or_else(|| {
        arg_err("string", format!("the given string contains characters that cannot be represented in {name}"))
    })?;
    Ok(Value::string(base64_encode(&bytes)))
}

pub fn textdecodebase64(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, enc) = (string(&args[0], "source")?, string(&args[1], "encoding")?);
    let Some((encoding, name)) = TextEncoding::lookup(&enc) else {
        return Ok(Value::unknown_apply(format!("textdecodebase64(..., {enc:?})")));
    };
    let bytes = base64_decode(&s)
        .map_err(|at| arg_err("source", format!("the given value is has an invalid base64 symbol at offset {at}")))?;
    let text = encoding.decode(&bytes);
    if text.contains('\u{FFFD}') {
        return Err(arg_err("source", format!("the given string contains symbols that are not defined for {name}")));
    }
    Ok(Value::string(text))
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::number(x)
    }
    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn base64_round_trips() {
        assert_eq!(call_fn("base64encode", vec![s("Hello World")]).unwrap(), s("SGVsbG8gV29ybGQ="));
        assert_eq!(call_fn("base64decode", vec![s("SGVsbG8gV29ybGQ=")]).unwrap(), s("Hello World"));
        assert_eq!(call_fn("base64decode", vec![s("SGVs\nbG8=")]).unwrap(), s("Hello"));
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert!(call_fn("base64decode", vec![s("SGVsbG8")]).unwrap_err().contains("failed to decode base64"));
        assert!(call_fn("base64decode", vec![s("SG=sbG8=")]).is_err());
        assert!(call_fn("base64decode", vec![s("/w==")]).unwrap_err().contains("not valid UTF-8"));
        // As Go: bits after the last symbol are ignored (the base64 crate's default refuses
        // them), and the offset of a bad symbol counts the newlines before it.
        assert_eq!(call_fn("base64decode", vec![s("aGl=")]).unwrap(), s("hi"));
        assert_eq!(base64_decode("aGk\n\n!Gk="), Err(5));
        assert_eq!(base64_decode("SGVsbG8"), Err(4));
        assert!(call_fn("base64gzip", vec![s("x")]).unwrap().is_unknown());
    }

    #[test]
    fn jsonencode_matches_terraform() {
        assert_eq!(call_fn("jsonencode", vec![obj(&[("hello", s("world"))])]).unwrap(), s("{\"hello\":\"world\"}"));
        let v = obj(&[("b", n(1.0)), ("a", Value::list(vec![n(1.5), Value::bool(true), Value::null()]))]);
        assert_eq!(call_fn("jsonencode", vec![v]).unwrap(), s("{\"a\":[1.5,true,null],\"b\":1}"));
        assert_eq!(call_fn("jsonencode", vec![n(1e21)]).unwrap(), s("1000000000000000000000"));
        assert_eq!(call_fn("jsonencode", vec![n(0.0000001)]).unwrap(), s("0.0000001"));
        assert_eq!(
            call_fn("jsonencode", vec![s("<a&b>\u{2028}\n\u{1}")]).unwrap(),
            s("\"\\u003ca\\u0026b\\u003e\\u2028\\n\\u0001\"")
        );
        let partly = call_fn("jsonencode", vec![Value::list(vec![Value::unknown_apply("x"), n(1.0)])]).unwrap();
        let template = partly.as_unknown().unwrap().template.as_deref().unwrap().to_string();
        assert_eq!(template, format!("[\"{}\",1]", crate::terraform::value::PLACEHOLDER));
    }

    #[test]
    fn jsondecode_builds_values() {
        let got = call_fn("jsondecode", vec![s("{\"hello\": \"world\", \"n\": [1, 2.5, null, true]}")]).unwrap();
        assert_eq!(
            got,
            obj(&[("hello", s("world")), ("n", Value::list(vec![n(1.0), n(2.5), Value::null(), Value::bool(true)]))])
        );
        assert_eq!(call_fn("jsondecode", vec![s("true")]).unwrap(), Value::bool(true));
        assert!(call_fn("jsondecode", vec![s("{")]).is_err());
        let deep = "[".repeat(100_000);
        assert!(call_fn("jsondecode", vec![s(&deep)]).is_err());
    }

    #[test]
    fn csvdecode_reads_rows() {
        let got = call_fn("csvdecode", vec![s("a,b,c\n1,2,3\n4,5,6")]).unwrap();
        assert_eq!(
            got,
            Value::list(vec![
                obj(&[("a", s("1")), ("b", s("2")), ("c", s("3"))]),
                obj(&[("a", s("4")), ("b", s("5")), ("c", s("6"))]),
            ])
        );
        let got = call_fn("csvdecode", vec![s("k,v\r\n\"x,\"\"y\"\"\",\"multi\nline\"\r\n\r\n")]).unwrap();
        assert_eq!(got, Value::list(vec![obj(&[("k", s("x,\"y\"")), ("v", s("multi\nline"))])]));
        assert!(call_fn("csvdecode", vec![s("a,b\n1")]).unwrap_err().contains("wrong number of fields"));
        assert!(call_fn("csvdecode", vec![s("a\nx\"y")]).unwrap_err().contains("bare \""));
        assert!(call_fn("csvdecode", vec![s("a\n\"x")]).unwrap_err().contains("extraneous or missing"));
        assert!(call_fn("csvdecode", vec![s("")]).unwrap_err().contains("missing header line"));
        assert_eq!(call_fn("csvdecode", vec![s("a,b")]).unwrap(), Value::list(vec![]));
    }

    #[test]
    fn urlencode_is_query_escape() {
        assert_eq!(call_fn("urlencode", vec![s("Hello World!")]).unwrap(), s("Hello+World%21"));
        assert_eq!(call_fn("urlencode", vec![s("☃")]).unwrap(), s("%E2%98%83"));
        assert_eq!(
            call_fn("urlencode", vec![s("foo:bar@localhost?foo=bar&bar=baz")]).unwrap(),
            s("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")
        );
    }

    #[test]
    fn text_encodings() {
        assert_eq!(
            call_fn("textencodebase64", vec![s("Hello World"), s("UTF-16LE")]).unwrap(),
            s("SABlAGwAbABvACAAVwBvAHIAbABkAA==")
        );
        assert_eq!(
            call_fn("textdecodebase64", vec![s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")]).unwrap(),
            s("Hello World")
        );
        assert_eq!(call_fn("textencodebase64", vec![s("é"), s("latin1")]).unwrap(), s("6Q=="));
        assert!(
            call_fn("textencodebase64", vec![s("☃"), s("ISO-8859-1")]).unwrap_err().contains("cannot be represented")
        );
        assert!(
            call_fn("textdecodebase64", vec![s("/w=="), s("UTF-8")]).unwrap_err().contains("not defined for UTF-8")
        );
        assert!(call_fn("textencodebase64", vec![s("x"), s("Shift_JIS")]).unwrap().is_unknown());
    }
}
