//! Numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum, sum.

use super::FnContext;
use super::FnError;
use super::args::{arg_err, integer, number, seq, string};
use crate::terraform::value::Value;

/// Wraps a computed number, refusing NaN (which Terraform cannot represent).
fn finite_or_inf(n: f64) -> Result<Value, FnError> {
    if n.is_nan() { Err("the result is not a number".into()) } else { Ok(Value::number(n)) }
}

pub fn abs(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::number(number(&args[0], "num")?.abs()))
}

pub fn ceil(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::number(number(&args[0], "num")?.ceil()))
}

pub fn floor(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::number(number(&args[0], "num")?.floor()))
}

pub fn log(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (num, base) = (number(&args[0], "num")?, number(&args[1], "base")?);
    finite_or_inf(fdlibm_ln(num) / fdlibm_ln(base))
}

/// The natural logarithm as Go's `math.Log` computes it (fdlibm's `__ieee754_log`), which is
/// what Terraform calls. The platform's `ln` may differ in the last bit, and a bit matters:
/// `ceil(log(n, 2))` sizes subnets.
fn fdlibm_ln(x: f64) -> f64 {
    // fdlibm's constants, as bit patterns: ln 2 split in two, and the polynomial's terms.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const L: [f64; 7] = [
        f64::from_bits(0x3fe5_5555_5555_5593),
        f64::from_bits(0x3fd9_9999_9997_fa04),
        f64::from_bits(0x3fd2_4924_9422_9359),
        f64::from_bits(0x3fcc_71c5_1d8e_78af),
        f64::from_bits(0x3fc7_4664_96cb_03de),
        f64::from_bits(0x3fc3_9a09_d078_c69f),
        f64::from_bits(0x3fc2_f112_df3e_5244),
    ];
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    // x = f1 * 2^k with f1 in [sqrt(2)/2, sqrt(2)).
    let (mut f1, mut k) = frexp(x);
    if f1 < std::f64::consts::SQRT_2 / 2.0 {
        f1 *= 2.0;
        k -= 1;
    }
    let f = f1 - 1.0;
    let k = f64::from(k);
    let s = f / (2.0 + f);
    let s2 = s * s;
    let s4 = s2 * s2;
    let t1 = s2 * (L[0] + s4 * (L[2] + s4 * (L[4] + s4 * L[6])));
    let t2 = s4 * (L[1] + s4 * (L[3] + s4 * L[5]));
    let r = t1 + t2;
    let hfsq = 0.5 * f * f;
    k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
}

/// x = frac * 2^exp with frac in [0.5, 1), for finite non-zero x.
fn frexp(x: f64) -> (f64, i32) {
    let (x, bias) = if x.abs() < f64::MIN_POSITIVE { (x * (1u64 << 52) as f64, -52) } else { (x, 0) };
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1022;
    let frac = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (frac, exp + bias)
}

#[cfg(test)]
#[test]
fn logarithms_match_go_bit_for_bit() {
    // Values Terraform (Go) printed: log(3, 0.5) is -1.584962500721156 there, one bit from
    // the platform's -1.5849625007211563.
    assert_eq!(fdlibm_ln(3.0) / fdlibm_ln(0.5), -1.584962500721156);
    assert_eq!(fdlibm_ln(8.0) / fdlibm_ln(2.0), 3.0);
    assert_eq!(fdlibm_ln(1.0), 0.0);
    assert_eq!(frexp(8.0), (0.5, 4));
    assert_eq!(frexp(f64::MIN_POSITIVE / 4.0), (0.5, -1023));
    for n in [1.0, 2.0, 3.0, 10.0, 1e-300, 5e-324, 1e300, 0.1] {
        assert!((fdlibm_ln(n) - n.ln()).abs() <= 2.0 * f64::EPSILON * n.ln().abs().max(1.0), "{n}");
    }
}

pub fn pow(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (num, power) = (number(&args[0], "num")?, number(&args[1], "power")?);
    finite_or_inf(num.powf(power))
}

pub fn signum(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let n = number(&args[0], "num")?;
    // cty takes a whole number that fits 64 bits.
    if n.fract() != 0.0 || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n) {
        return Err("value must be a whole number, between -9223372036854775808 and 9223372036854775807".into());
    }
    Ok(Value::number(if n > 0.0 {
        1.0
    } else if n < 0.0 {
        -1.0
    } else {
        0.0
    }))
}

fn extreme(args: &[Value], pick: fn(f64, f64) -> f64) -> Result<Value, FnError> {
    let mut nums = args.iter().map(|a| number(a, "numbers"));
    let Some(first) = nums.next() else {
        return Err(arg_err("numbers", "must pass at least one number"));
    };
    nums.try_fold(first?, |acc, n| Ok(pick(acc, n?))).map(Value::number)
}

pub fn max(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    extreme(args, f64::max)
}

pub fn min(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    extreme(args, f64::min)
}

pub fn sum(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let items = seq(&args[0], "list").map_err(|_| arg_err("list", "cannot sum noniterable"))?;
    if items.is_empty() {
        return Err(arg_err("list", "cannot sum an empty list"));
    }
    let mut total = 0.0;
    for item in items {
        if item.is_null() {
            return Err(arg_err("list", "argument must be list, set, or tuple of number values"));
        }
        let n = number(item, "list")
            .map_err(|_| arg_err("list", "argument must be list, set, or tuple of number values"))?;
        total += n;
    }
    if total.is_nan() {
        return Err("can't compute sum of opposing infinities".into());
    }
    Ok(Value::number(total))
}

pub fn parseint(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let base = integer(&args[1], "base")?;
    if !(2..=62).contains(&base) {
        return Err(arg_err("base", "base must be a whole number between 2 and 62 inclusive"));
    }
    let s = match &args[0].kind {
        crate::terraform::value::Kind::String(_) => string(&args[0], "number")?,
        _ => {
            return Err(arg_err("number", "first argument must be a string, not number"));
        }
    };
    let fail = || arg_err("number", format!("cannot parse {s:?} as a base {base} integer"));
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, &s[..]),
    };
    if digits.is_empty() {
        return Err(fail());
    }
    // Go's big.Int digits: 0-9, then a-z, then (above base 36) A-Z; case-insensitive up to 36.
    let base = base as u32;
    let mut exact: Option<u128> = Some(0);
    let mut approx = 0.0f64;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            _ => return Err(fail()),
        };
        if d >= base {
            return Err(fail());
        }
        exact = exact.and_then(|e| e.checked_mul(u128::from(base))).and_then(|e| e.checked_add(u128::from(d)));
        approx = approx * f64::from(base) + f64::from(d);
    }
    let n = exact.map_or(approx, |e| e as f64);
    Ok(Value::number(if neg { -n } else { n }))
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use crate::terraform::value::Value;

    fn n(x: f64) -> Value {
        Value::number(x)
    }
    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn documented_examples() {
        assert_eq!(call_fn("abs", vec![n(-12.4)]).unwrap(), n(12.4));
        assert_eq!(call_fn("ceil", vec![n(5.1)]).unwrap(), n(6.0));
        assert_eq!(call_fn("floor", vec![n(4.9)]).unwrap(), n(4.0));
        assert_eq!(call_fn("log", vec![n(16.0), n(2.0)]).unwrap(), n(4.0));
        assert_eq!(call_fn("max", vec![n(12.0), n(54.0), n(3.0)]).unwrap(), n(54.0));
        assert_eq!(call_fn("min", vec![n(12.0), n(54.0), n(3.0)]).unwrap(), n(3.0));
        assert_eq!(call_fn("pow", vec![n(3.0), n(2.0)]).unwrap(), n(9.0));
        assert_eq!(call_fn("pow", vec![n(4.0), n(0.0)]).unwrap(), n(1.0));
        assert_eq!(call_fn("signum", vec![n(-13.0)]).unwrap(), n(-1.0));
        assert_eq!(call_fn("signum", vec![n(0.0)]).unwrap(), n(0.0));
        assert_eq!(call_fn("sum", vec![Value::list(vec![n(10.0), n(13.0), n(6.0), n(4.5)])]).unwrap(), n(33.5));
    }

    #[test]
    fn parseint_examples() {
        assert_eq!(call_fn("parseint", vec![s("100"), n(10.0)]).unwrap(), n(100.0));
        assert_eq!(call_fn("parseint", vec![s("FF"), n(16.0)]).unwrap(), n(255.0));
        assert_eq!(call_fn("parseint", vec![s("-10"), n(16.0)]).unwrap(), n(-16.0));
        assert_eq!(call_fn("parseint", vec![s("1011111011101111"), n(2.0)]).unwrap(), n(48879.0));
        assert_eq!(call_fn("parseint", vec![s("aA"), n(62.0)]).unwrap(), n(656.0));
        assert!(call_fn("parseint", vec![s("12"), n(2.0)]).unwrap_err().contains("cannot parse \"12\" as a base 2"));
        assert!(call_fn("parseint", vec![s("1"), n(63.0)]).is_err());
        assert!(call_fn("parseint", vec![s(""), n(10.0)]).is_err());
    }

    #[test]
    fn errors() {
        assert!(call_fn("max", vec![]).unwrap_err().contains("at least one number"));
        assert!(call_fn("sum", vec![Value::list(vec![])]).unwrap_err().contains("empty list"));
        assert!(call_fn("log", vec![n(-1.0), n(10.0)]).is_err());
        assert!(call_fn("abs", vec![Value::null()]).unwrap_err().contains("must not be null"));
        assert_eq!(call_fn("abs", vec![s("-3")]).unwrap(), n(3.0));
        assert!(call_fn("abs", vec![s("x")]).unwrap_err().contains("a number is required"));
    }
}
