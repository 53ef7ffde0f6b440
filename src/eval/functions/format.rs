//! `format` and `formatlist`: cty's printf dialect, with Go's rules for the number verbs.
//!
//! Numbers are formatted from their shortest decimal form (the digits the user wrote), which
//! is what cty's 512-bit decimal-parsed numbers print as.

use super::FnContext;
use super::FnError;
use super::args::{MAX_STRING, arg_err, check_len, plain_unknown, string};
use super::encoding::{json_encode, json_string};
use super::string::{Piece, assemble, grapheme_count, graphemes};
use crate::eval::types::{Type, convert};
use crate::terraform::value::{Kind, Value};

/// Largest width or precision a verb may ask for.
const MAX_WIDTH: usize = 10_000;

pub fn format(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if let Some(u) = args[0].first_unknown() {
        return Ok(plain_unknown(u));
    }
    let fmt = string(&args[0], "format")?;
    format_one(&fmt, &args[1..])
}

/// Formats once; unknown arguments become holes in an unknown result. Like cty, an error
/// caused by a known argument is not reported while any argument is unknown.
fn format_one(fmt: &str, args: &[Value]) -> Result<Value, FnError> {
    match format_pieces(fmt, args) {
        Ok(pieces) => assemble(pieces),
        Err(e) => match super::args::first_unknown(args) {
            Some(u) => Ok(u),
            None => Err(e),
        },
    }
}

pub fn formatlist(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if let Some(u) = args[0].first_unknown() {
        return Ok(plain_unknown(u));
    }
    let fmt = string(&args[0], "format")?;
    let rest = &args[1..];
    let mut len: Option<(usize, usize)> = None; // (length, argument index)
    for (i, a) in rest.iter().enumerate() {
        if a.is_unknown() {
            return Ok(plain_unknown(a));
        }
        if let Some(items) = a.as_seq() {
            match len {
                None => len = Some((items.len(), i)),
                Some((l, j)) if l != items.len() => {
                    return Err(arg_err(
                        "args",
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} of length {l}",
                            i + 1,
                            items.len(),
                            j + 1
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let iterations = len.map_or(1, |(l, _)| l);
    let mut out = Vec::with_capacity(iterations);
    let mut total = 0usize;
    for it in 0..iterations {
        let call_args: Vec<Value> =
            rest.iter().map(|a| a.as_seq().map_or_else(|| a.clone(), |items| items[it].clone())).collect();
        let v = format_one(&fmt, &call_args).map_err(|e| e.wrap(|m| format!("error on format iteration {it}: {m}")))?;
        total += v.as_str().map_or(0, str::len);
        check_len(total)?;
        out.push(v);
    }
    Ok(Value::list(out))
}

/// One `%` verb.
struct Verb<'a> {
    raw: &'a str,
    offset: usize,
    arg: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

fn format_pieces(fmt: &str, args: &[Value]) -> Result<Vec<Piece>, FnError> {
    let bytes = fmt.as_bytes();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let (mut next_arg, mut max_used) = (1usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let end = fmt[i..].find('%').map_or(fmt.len(), |p| i + p);
            text.push_str(&fmt[i..end]);
            i = end;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'%') {
            text.push('%');
            i += 2;
            continue;
        }
        let start = i;
        i += 1;
        let mut verb = Verb {
            raw: "",
            offset: start,
            arg: next_arg,
            mode: ' ',
            zero: false,
            sharp: false,
            plus: false,
            minus: false,
            space: false,
            width: None,
            prec: None,
        };
        while let Some(&b) = bytes.get(i) {
            match b {
                b'0' => verb.zero = true,
                b'#' => verb.sharp = true,
                b'-' => verb.minus = true,
                b'+' => verb.plus = true,
                b' ' => verb.space = true,
                _ => break,
            }
            i += 1;
        }
        if bytes.get(i) == Some(&b'[') {
            i += 1;
            if !matches!(bytes.get(i), Some(b'1'..=b'9')) {
                return Err(bad_char(fmt, i));
            }
            verb.arg = parse_digits(bytes, &mut i)?;
            if bytes.get(i) != Some(&b']') {
                return Err(bad_char(fmt, i));
            }
            i += 1;
        }
        if matches!(bytes.get(i), Some(b'1'..=b'9')) {
            verb.width = Some(parse_digits(bytes, &mut i)?);
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            verb.prec = Some(if matches!(bytes.get(i), Some(b'0'..=b'9')) { parse_digits(bytes, &mut i)? } else { 0 });
        }
        match fmt[i..].chars().next() {
            None => return Err(format!("invalid format string starting at offset {start}").into()),
            Some(c) if c.is_ascii_alphabetic() => verb.mode = c,
            Some(_) => return Err(bad_char(fmt, i)),
        }
        i += 1;
        verb.raw = &fmt[start..i];
        next_arg = verb.arg + 1;
        max_used = max_used.max(verb.arg);
        let Some(arg) = args.get(verb.arg - 1) else {
            return Err(format!(
                "not enough arguments for {:?} at {start}: need index {} but have {} total",
                verb.raw,
                verb.arg,
                args.len()
            )
            .into());
        };
        if let Some(u) = arg.first_unknown() {
            let plain = verb.width.is_none() && verb.prec.is_none() && matches!(verb.mode, 's' | 'v');
            pieces.push(Piece::Text(std::mem::take(&mut text)));
            pieces.push(Piece::Hole { unknown: u.clone(), verbatim: plain && arg.is_unknown() });
            continue;
        }
        let formatted = format_verb(&verb, arg)?;
        check_len(text.len() + formatted.len())?;
        text.push_str(&formatted);
    }
    pieces.push(Piece::Text(text));
    if args.len() > max_used {
        return Err(if max_used == 0 {
            FnError::from("too many arguments; no verbs in format string")
        } else {
            FnError::from(format!("too many arguments; only {max_used} used by format string"))
        });
    }
    Ok(pieces)
}

fn bad_char(fmt: &str, i: usize) -> FnError {
    match fmt.get(i..).and_then(|s| s.chars().next()) {
        Some(c) => format!("unrecognized format character {c:?} at offset {i}").into(),
        None => "invalid format string: unexpected end".into(),
    }
}

fn parse_digits(bytes: &[u8], i: &mut usize) -> Result<usize, FnError> {
    let mut n = 0usize;
    while let Some(d) = bytes.get(*i).filter(|b| b.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
        *i += 1;
    }
    if n > MAX_WIDTH {
        return Err(super::limit_message(format_args!(
            "width, precision or argument index {n} is larger than tfcheck's limit of {MAX_WIDTH}"
        )));
    }
    Ok(n)
}

fn format_verb(verb: &Verb, arg: &Value) -> Result<String, FnError> {
    let unsupported =
        |e: String| FnError::from(format!("unsupported value for {:?} at {}: {e}", verb.raw, verb.offset));
    // A limit stays a limit, with the same words.
    let unsupported_err =
        |e: FnError| e.wrap(|m| format!("unsupported value for {:?} at {}: {m}", verb.raw, verb.offset));
    if verb.mode != 'v' && arg.is_null() {
        return Err(unsupported("null value cannot be formatted".into()));
    }
    match verb.mode {
        'v' => {
            let s = match &arg.kind {
                Kind::String(s) if !verb.sharp => s.to_string(),
                Kind::Number(n) if !verb.sharp => g_shortest(*n),
                _ => json_encode(arg).map_err(unsupported_err)?,
            };
            Ok(pad_width(verb, s))
        }
        't' => {
            let b = convert(arg.clone(), &Type::Bool).map_err(unsupported)?;
            Ok(if b.as_bool() == Some(true) { "true" } else { "false" }.to_string())
        }
        'b' | 'd' | 'o' | 'x' | 'X' => {
            let n = convert(arg.clone(), &Type::Number).map_err(unsupported)?.as_number().unwrap_or(0.0);
            format_integer(verb, n).ok_or_else(|| unsupported("an integer is required".into()))
        }
        'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = convert(arg.clone(), &Type::Number).map_err(unsupported)?.as_number().unwrap_or(0.0);
            Ok(format_float(verb, n))
        }
        's' | 'q' => {
            let s = convert(arg.clone(), &Type::String).map_err(unsupported)?;
            let s = s.as_str().unwrap_or_default();
            let s: String = match verb.prec {
                Some(p) if p > 0 => graphemes(s).take(p).collect(),
                _ => s.to_string(),
            };
            Ok(pad_width(verb, if verb.mode == 'q' { json_string(&s) } else { s }))
        }
        m => Err(format!("unsupported format verb {m:?} in {:?} at offset {}", verb.raw, verb.offset).into()),
    }
}

/// cty's padding for strings and `%v`: width counts grapheme clusters.
fn pad_width(verb: &Verb, s: String) -> String {
    let Some(width) = verb.width else { return s };
    let len = grapheme_count(&s);
    if len >= width {
        return s;
    }
    let pad = (if verb.zero { "0" } else { " " }).repeat(width - len);
    if verb.minus { s + &pad } else { pad + &s }
}

/// A decimal number: `0.digits × 10^exp`, digits without leading or trailing zeros.
#[derive(Clone, Debug)]
struct Decimal {
    digits: Vec<u8>,
    exp: i32,
}

/// The shortest decimal digits that read back as `n` (whose sign is ignored).
fn decimal(n: f64) -> Decimal {
    let s = format!("{:e}", n.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.is_empty() {
        return Decimal { digits, exp: 0 };
    }
    Decimal { digits, exp: exp + 1 }
}

impl Decimal {
    fn at(&self, i: i32) -> u8 {
        usize::try_from(i).ok().and_then(|i| self.digits.get(i)).copied().unwrap_or(b'0')
    }

    /// Keeps `n` significant digits, rounding half to even (Go's `decimal.round`).
    fn round(&mut self, n: i32) {
        let Ok(n) = usize::try_from(n) else { return };
        if n >= self.digits.len() {
            return;
        }
        let up = if self.digits[n] == b'5' && n + 1 == self.digits.len() {
            n > 0 && (self.digits[n - 1] - b'0') % 2 == 1
        } else {
            self.digits[n] >= b'5'
        };
        if !up {
            self.digits.truncate(n);
        } else {
            let mut k = n;
            while k > 0 && self.digits[k - 1] == b'9' {
                k -= 1;
            }
            if k == 0 {
                self.digits = vec![b'1'];
                self.exp += 1;
            } else {
                self.digits[k - 1] += 1;
                self.digits.truncate(k);
            }
        }
        while self.digits.last() == Some(&b'0') {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.exp = 0;
        }
    }

    /// `d.dddde±dd`
    fn fmt_e(&self, prec: usize, e: char) -> String {
        let mut out = String::new();
        out.push(*self.digits.first().unwrap_or(&b'0') as char);
        if prec > 0 {
            out.push('.');
            for i in 1..=prec {
                out.push(self.digits.get(i).copied().unwrap_or(b'0') as char);
            }
        }
        out.push(e);
        let exp = if self.digits.is_empty() { 0 } else { i64::from(self.exp) - 1 };
        out.push(if exp < 0 { '-' } else { '+' });
        if exp.abs() < 10 {
            out.push('0');
        }
        out.push_str(&exp.abs().to_string());
        out
    }

    /// `ddd.dddd`
    fn fmt_f(&self, prec: usize) -> String {
        let mut out = String::new();
        if self.exp > 0 {
            for i in 0..self.exp {
                out.push(self.at(i) as char);
            }
        } else {
            out.push('0');
        }
        if prec > 0 {
            out.push('.');
            for i in 0..prec {
                out.push(self.at(self.exp.saturating_add(i as i32)) as char);
            }
        }
        out
    }

    /// Go's `%g`; `prec` is `None` for the shortest form.
    fn fmt_g(mut self, prec: Option<usize>, upper: bool) -> String {
        let shortest = prec.is_none();
        let mut prec = match prec {
            None => self.digits.len() as i32,
            Some(p) => {
                let p = p.max(1) as i32;
                self.round(p);
                p
            }
        };
        let len = self.digits.len() as i32;
        let mut eprec = prec;
        if eprec > len && len >= self.exp {
            eprec = len;
        }
        if shortest {
            eprec = 6;
        }
        let exp = self.exp - 1;
        if exp < -4 || exp >= eprec {
            prec = prec.min(len);
            return self.fmt_e((prec - 1).max(0) as usize, if upper { 'E' } else { 'e' });
        }
        if prec > self.exp {
            prec = len;
        }
        self.fmt_f((prec - self.exp).max(0) as usize)
    }
}

/// A number as cty's `%v` (big.Float's `Text('g', -1)`) prints it.
fn g_shortest(n: f64) -> String {
    if n.is_infinite() {
        return if n > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let body = decimal(n).fmt_g(None, false);
    // The sign of zero too: Go prints -0.
    if n.is_sign_negative() { format!("-{body}") } else { body }
}

/// `%e %E %f %g %G`, as Go formats a `*big.Float`.
fn format_float(verb: &Verb, n: f64) -> String {
    let (mut sign, body) = if n.is_infinite() {
        (
            if n < 0.0 {
                "-"
            } else if verb.space {
                " "
            } else {
                "+"
            },
            "Inf".to_string(),
        )
    } else {
        let mut d = decimal(n);
        let body = match verb.mode {
            'e' | 'E' => {
                let prec = verb.prec.unwrap_or(6);
                d.round(1 + prec as i32);
                d.fmt_e(prec, if verb.mode == 'E' { 'E' } else { 'e' })
            }
            'f' => {
                let prec = verb.prec.unwrap_or(6);
                d.round(d.exp + prec as i32);
                d.fmt_f(prec)
            }
            _ => d.fmt_g(verb.prec, verb.mode == 'G'),
        };
        (if n < 0.0 { "-" } else { "" }, body)
    };
    if sign.is_empty() {
        sign = if verb.plus {
            "+"
        } else if verb.space {
            " "
        } else {
            ""
        };
    }
    let pad = verb.width.map_or(0, |w| w.saturating_sub(sign.len() + body.len()));
    if verb.zero && n.is_finite() {
        format!("{sign}{}{body}", "0".repeat(pad))
    } else if verb.minus {
        format!("{sign}{body}{}", " ".repeat(pad))
    } else {
        format!("{}{sign}{body}", " ".repeat(pad))
    }
}

/// `%b %d %o %x %X`, as Go formats a `*big.Int`; `None` when `n` is not a whole number.
fn format_integer(verb: &Verb, n: f64) -> Option<String> {
    if !n.is_finite() {
        return None;
    }
    let d = decimal(n);
    if d.digits.len() as i32 > d.exp {
        return None;
    }
    let decimal_digits: String = (0..d.exp).map(|i| d.at(i) as char).collect();
    let decimal_digits = if decimal_digits.is_empty() { "0".to_string() } else { decimal_digits };
    let (base, prefix) = match verb.mode {
        'b' => (2, "0b"),
        'o' => (8, "0"),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        _ => (10, ""),
    };
    let mut digits = to_base(&decimal_digits, base);
    if verb.mode == 'X' {
        digits = digits.to_uppercase();
    }
    let prefix = if verb.sharp { prefix } else { "" };
    let sign = if n < 0.0 {
        "-"
    } else if verb.plus {
        "+"
    } else if verb.space {
        " "
    } else {
        ""
    };
    let mut zeros = 0;
    if let Some(p) = verb.prec {
        if digits.len() < p {
            zeros = p - digits.len();
        } else if digits == "0" && p == 0 {
            return Some(String::new());
        }
    }
    let (mut left, mut right) = (0, 0);
    let len = sign.len() + prefix.len() + zeros + digits.len();
    if let Some(w) = verb.width.filter(|&w| w > len) {
        let extra = w - len;
        if verb.minus {
            right = extra;
        } else if verb.zero && verb.prec.is_none() {
            zeros = extra;
        } else {
            left = extra;
        }
    }
    Some(format!("{}{sign}{prefix}{}{digits}{}", " ".repeat(left), "0".repeat(zeros), " ".repeat(right)))
}

/// Converts a decimal digit string to another base (schoolbook division).
fn to_base(decimal_digits: &str, base: u32) -> String {
    if base == 10 {
        return decimal_digits.to_string();
    }
    let mut num: Vec<u32> = decimal_digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let mut out = Vec::new();
    while num.iter().any(|&d| d != 0) {
        let mut rem = 0u32;
        for d in num.iter_mut() {
            let cur = rem * 10 + *d;
            *d = cur / base;
            rem = cur % base;
        }
        out.push(char::from_digit(rem, base).unwrap_or('?'));
        while num.first() == Some(&0) {
            num.remove(0);
        }
    }
    if out.is_empty() {
        return "0".to_string();
    }
    debug_assert!(out.len() <= MAX_STRING);
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use crate::terraform::value::{UnknownSource, Value};

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::number(x)
    }
    fn fmt(f: &str, args: Vec<Value>) -> Result<String, String> {
        let mut all = vec![s(f)];
        all.extend(args);
        call_fn("format", all).map(|v| v.as_str().expect("string result").to_string())
    }

    #[test]
    fn documented_examples() {
        assert_eq!(fmt("Hello, %s!", vec![s("Ander")]).unwrap(), "Hello, Ander!");
        assert_eq!(fmt("There are %d lights", vec![n(4.0)]).unwrap(), "There are 4 lights");
        assert_eq!(fmt("%-5d|", vec![n(42.0)]).unwrap(), "42   |");
        assert_eq!(fmt("%5d|", vec![n(42.0)]).unwrap(), "   42|");
        assert_eq!(fmt("%05d|", vec![n(42.0)]).unwrap(), "00042|");
        assert_eq!(fmt("%.3f", vec![n(1.23456)]).unwrap(), "1.235");
        assert_eq!(fmt("%10.3f|", vec![n(1.23456)]).unwrap(), "     1.235|");
        assert_eq!(fmt("%v", vec![Value::bool(true)]).unwrap(), "true");
        assert_eq!(fmt("%#v", vec![s("hello")]).unwrap(), "\"hello\"");
        assert_eq!(fmt("%q", vec![s("Hello\nWorld")]).unwrap(), "\"Hello\\nWorld\"");
    }

    #[test]
    fn cty_cases() {
        assert_eq!(fmt("100%% successful", vec![]).unwrap(), "100% successful");
        assert_eq!(fmt("string %[2]v", vec![Value::bool(true), s("hello")]).unwrap(), "string hello");
        assert_eq!(fmt("%v", vec![Value::null()]).unwrap(), "null");
        assert_eq!(fmt("%v", vec![n(1234567.0)]).unwrap(), "1.234567e+06");
        assert_eq!(fmt("%v", vec![Value::list(vec![n(1.0), s("a")])]).unwrap(), "[1,\"a\"]");
        assert_eq!(fmt("%4s", vec![s("💃🏿")]).unwrap(), "   💃🏿");
        assert_eq!(fmt("%-6q", vec![s("💃🏿")]).unwrap(), "\"💃🏿\"   ");
        assert_eq!(fmt("%.5s", vec![s("日本語日本語")]).unwrap(), "日本語日本");
        assert_eq!(fmt("%6.2q", vec![s("hello")]).unwrap(), "  \"he\"");
        assert_eq!(fmt("This statement is %t", vec![s("false")]).unwrap(), "This statement is false");
        assert_eq!(fmt("%+d", vec![n(10.0)]).unwrap(), "+10");
        assert_eq!(fmt("% d", vec![n(10.0)]).unwrap(), " 10");
        assert_eq!(
            fmt("%b %o %x %X %#x", vec![n(5.0), n(9.0), n(254.0), n(254.0), n(254.0)]).unwrap(),
            "101 11 fe FE 0xfe"
        );
        assert_eq!(fmt("%f things", vec![n(10.0)]).unwrap(), "10.000000 things");
        assert_eq!(fmt("% f", vec![n(-10.0)]).unwrap(), "-10.000000");
        assert_eq!(fmt("%.1f", vec![s("1.06")]).unwrap(), "1.1");
        assert_eq!(fmt("%e", vec![n(1000.0)]).unwrap(), "1.000000e+03");
        assert_eq!(fmt("%E", vec![n(1000.0)]).unwrap(), "1.000000E+03");
        assert_eq!(fmt("%g", vec![n(1000.0)]).unwrap(), "1000");
        assert_eq!(fmt("%g", vec![s("0.00000000000000000000001")]).unwrap(), "1e-23");
        assert_eq!(fmt("%G", vec![s("0.00000000000000000000001")]).unwrap(), "1E-23");
        assert_eq!(fmt("%.3g", vec![n(1.23456)]).unwrap(), "1.23");
        assert!(fmt("%d", vec![s("100000000000000000000000000000000000001")]).is_ok());
        assert_eq!(fmt("%d", vec![n(1e25)]).unwrap(), "10000000000000000000000000");
        assert_eq!(fmt("%x", vec![n(1e25)]).unwrap(), "84595161401484a000000");
    }

    #[test]
    fn cty_errors() {
        let e = |f: &str, args: Vec<Value>| fmt(f, args).unwrap_err();
        assert!(
            e("%s", vec![Value::null()]).contains("unsupported value for \"%s\" at 0: null value cannot be formatted")
        );
        assert!(e("%d", vec![Value::bool(true)]).contains("unsupported value for \"%d\" at 0: number required"));
        assert!(e("%d", vec![n(1.5)]).contains("an integer is required"));
        assert!(
            e("%s is not in the args list", vec![])
                .contains("not enough arguments for \"%s\" at 0: need index 1 but have 0 total")
        );
        assert!(e("%v %v %v", vec![n(1.0), n(2.0)]).contains("need index 3 but have 2 total"));
        assert!(e("%[0]s", vec![n(1.0)]).contains("unrecognized format character '0' at offset 2"));
        assert!(e("%z", vec![n(10.0)]).contains("unsupported format verb 'z' in \"%z\" at offset 0"));
        assert!(e("%☠", vec![n(10.0)]).contains("unrecognized format character '☠' at offset 1"));
        assert!(e("no verbs", vec![n(10.0)]).contains("too many arguments; no verbs in format string"));
        assert!(e("only one verb %d", vec![n(10.0), n(11.0)]).contains("only 1 used by format string"));
        assert!(e("%", vec![]).contains("invalid format string"));
        assert!(e("%99999999999d", vec![n(1.0)]).contains("larger than"));
    }

    #[test]
    fn unknown_arguments_keep_known_ends() {
        let region = Value::unknown(UnknownSource::Variable { name: "region".into(), span: None });
        let account = Value::unknown(UnknownSource::Variable { name: "account".into(), span: None });
        let got = call_fn("format", vec![s("arn:aws:kms:%s:%s:alias/aws/ecr"), region.clone(), account]).unwrap();
        let u = got.as_unknown().expect("unknown");
        assert_eq!(u.prefix.as_deref(), Some("arn:aws:kms:"));
        assert_eq!(u.suffix.as_deref(), Some(":alias/aws/ecr"));
        assert_eq!(u.source, region.as_unknown().unwrap().source);
        // Width on the unknown verb: only the text around it is known.
        let got = call_fn("format", vec![s("a%5sb"), region.clone()]).unwrap();
        assert_eq!(got.as_unknown().unwrap().prefix.as_deref(), Some("a"));
        // An error among known arguments is not reported while an unknown is present.
        assert!(call_fn("format", vec![s("%d %s"), s("x"), region]).unwrap().is_unknown());
    }

    #[test]
    fn formatlist_iterates_lists() {
        let names = Value::list(vec![s("Valentina"), s("Ander"), s("Olivia"), s("Sam")]);
        let got = call_fn("formatlist", vec![s("Hello, %s!"), names]).unwrap();
        assert_eq!(got.as_seq().unwrap()[3], s("Hello, Sam!"));
        let got =
            call_fn("formatlist", vec![s("%s, %s!"), s("Salutations"), Value::list(vec![s("A"), s("B")])]).unwrap();
        assert_eq!(got, Value::list(vec![s("Salutations, A!"), s("Salutations, B!")]));
        let err = call_fn("formatlist", vec![s("%s %s"), Value::list(vec![s("a"), s("b")]), Value::list(vec![s("c")])]);
        assert!(
            err.unwrap_err().contains("argument 2 has length 1, which is inconsistent with argument 1 of length 2")
        );
        let u = Value::unknown_apply("x");
        let got = call_fn("formatlist", vec![s("id-%s"), Value::list(vec![s("a"), u])]).unwrap();
        assert_eq!(got.as_seq().unwrap()[0], s("id-a"));
        assert_eq!(got.as_seq().unwrap()[1].as_unknown().unwrap().prefix.as_deref(), Some("id-"));
    }
}
