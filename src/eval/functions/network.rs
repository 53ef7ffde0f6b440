//! IP network functions (cidrhost, cidrnetmask, cidrsubnet, cidrsubnets) for IPv4 and IPv6,
//! following Terraform's use of Go's `net` and `go-cidr`.

use super::FnError;
use std::net::Ipv6Addr;

use super::FnContext;
use super::args::{arg_err, integer, number, string};
use crate::terraform::value::Value;

/// A network prefix: address (host bits zeroed) and length, in a 32- or 128-bit space.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Net {
    addr: u128,
    prefix: u32,
    bits: u32,
}

fn full(bits: u32) -> u128 {
    if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 }
}

fn mask(prefix: u32, bits: u32) -> u128 {
    if prefix == 0 { 0 } else { (full(bits) << (bits - prefix)) & full(bits) }
}

/// Go 1.16 IPv4 syntax, which Terraform keeps: four decimal fields, leading zeros allowed.
fn parse_v4(s: &str) -> Option<u128> {
    let mut out = 0u128;
    let mut fields = 0;
    for part in s.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u128 = part.parse().ok()?;
        if v > 255 {
            return None;
        }
        out = (out << 8) | v;
        fields += 1;
    }
    (fields == 4).then_some(out)
}

fn parse_cidr(s: &str) -> Result<Net, FnError> {
    let invalid = || FnError::from(format!("invalid CIDR expression: invalid CIDR address: {s}"));
    let (addr, len) = s.split_once('/').ok_or_else(invalid)?;
    let (addr, bits) = if addr.contains(':') {
        (u128::from(addr.parse::<Ipv6Addr>().map_err(|_| invalid())?), 128)
    } else {
        (parse_v4(addr).ok_or_else(invalid)?, 32)
    };
    if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let prefix: u32 = len.parse().map_err(|_| invalid())?;
    if prefix > bits {
        return Err(invalid());
    }
    Ok(Net { addr: addr & mask(prefix, bits), prefix, bits })
}

/// An address as Go's `net.IP.String` prints it (IPv4-mapped IPv6 addresses as IPv4).
fn addr_string(addr: u128, bits: u32) -> String {
    if bits == 32 || addr >> 32 == 0xffff {
        let a = addr as u32;
        return format!("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    }
    Ipv6Addr::from(addr).to_string()
}

impl Net {
    fn contains(&self, addr: u128) -> bool {
        addr & mask(self.prefix, self.bits) == self.addr
    }
    fn last(&self) -> u128 {
        self.addr | (full(self.bits) & !mask(self.prefix, self.bits))
    }
}

impl std::fmt::Display for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mapped = self.bits == 128 && self.addr >> 32 == 0xffff && self.prefix >= 96;
        let prefix = if mapped { self.prefix - 96 } else { self.prefix };
        write!(f, "{}/{prefix}", addr_string(self.addr, self.bits))
    }
}

/// A whole-number argument as an i128 (host and network numbers may exceed 64 bits).
fn whole(v: &Value, param: &str) -> Result<i128, FnError> {
    let n = number(v, param)?;
    if n.fract() != 0.0 || !n.is_finite() || n.abs() >= 1.7e38 {
        return Err(arg_err(param, "value must be a whole number"));
    }
    Ok(n as i128)
}

pub fn cidrhost(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let prefix = string(&args[0], "prefix")?;
    let num = whole(&args[1], "hostnum")?;
    let net = parse_cidr(&prefix)?;
    let host_bits = net.bits - net.prefix;
    let max = full(host_bits);
    let (index, shown) = if num < 0 {
        let back = num.unsigned_abs() - 1;
        (max.checked_sub(back), max as i128 - back as i128)
    } else {
        (Some(num as u128).filter(|n| *n <= max), num)
    };
    match index {
        Some(i) if i <= max => Ok(Value::string(addr_string(net.addr | i, net.bits))),
        _ => Err(format!("prefix of {} does not accommodate a host numbered {shown}", net.prefix).into()),
    }
}

pub fn cidrnetmask(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let prefix = string(&args[0], "prefix")?;
    let net = parse_cidr(&prefix)?;
    if net.bits != 32 {
        return Err(format!("IPv6 addresses cannot have a netmask: {prefix}").into());
    }
    Ok(Value::string(addr_string(mask(net.prefix, 32), 32)))
}

pub fn cidrsubnet(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let prefix = string(&args[0], "prefix")?;
    let newbits = integer(&args[1], "newbits")?;
    let netnum = whole(&args[2], "netnum")?.unsigned_abs();
    let net = parse_cidr(&prefix)?;
    let new_prefix = i64::from(net.prefix) + newbits;
    if newbits < 0 || new_prefix > i64::from(net.bits) {
        return Err(format!("insufficient address space to extend prefix of {} by {newbits}", net.prefix).into());
    }
    let new_prefix = new_prefix as u32;
    if netnum > full(newbits as u32) {
        return Err(format!("prefix extension of {newbits} does not accommodate a subnet numbered {netnum}").into());
    }
    // netnum < 2^newbits, so shifted into place it stays inside the host part.
    let shift = net.bits - new_prefix;
    let addr = net.addr | if shift >= 128 { 0 } else { netnum << shift };
    Ok(Value::string(Net { addr, prefix: new_prefix, bits: net.bits }.to_string()))
}

pub fn cidrsubnets(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let prefix = string(&args[0], "prefix")?;
    let net = parse_cidr(&prefix).map_err(|e| arg_err("prefix", e))?;
    let lengths = &args[1..];
    if lengths.is_empty() {
        return Ok(Value::list(Vec::new()));
    }
    let first = integer(&lengths[0], "newbits")?.clamp(0, 128) as u32;
    let first_len = (net.prefix + first).min(net.bits);
    // The subnet just before the network, so the first allocation starts at its beginning.
    let prev = net.addr.wrapping_sub(1) & full(net.bits);
    let mut current = Net { addr: prev & mask(first_len, net.bits), prefix: first_len, bits: net.bits };
    let mut out = Vec::with_capacity(lengths.len());
    for arg in lengths {
        let bits = integer(arg, "newbits")?;
        if bits < 1 {
            return Err(arg_err("newbits", "must extend prefix by at least one bit"));
        }
        if bits > 32 {
            return Err(arg_err("newbits", "may not extend prefix by more than 32 bits"));
        }
        let len = net.prefix as i64 + bits;
        if len > i64::from(net.bits) {
            let proto = if net.bits == 32 { "IPv4" } else { "IPv6" };
            return Err(arg_err(
                "newbits",
                format!("would extend prefix to {len} bits, which is too long for an {proto} address"),
            ));
        }
        let len = len as u32;
        let m = mask(len, net.bits);
        let containing = Net { addr: current.last() & m, prefix: len, bits: net.bits };
        let after = containing.last().wrapping_add(1) & full(net.bits);
        let next = Net { addr: after & m, prefix: len, bits: net.bits };
        if after == 0 || !net.contains(next.addr) {
            return Err(arg_err(
                "newbits",
                format!("not enough remaining address space for a subnet with a prefix of {len} bits after {current}"),
            ));
        }
        current = next;
        out.push(Value::string(current.to_string()));
    }
    Ok(Value::list(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use crate::terraform::value::Value;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::number(x)
    }

    #[test]
    fn cidrsubnet_examples() {
        let sub = |p: &str, b: f64, num: f64| call_fn("cidrsubnet", vec![s(p), n(b), n(num)]);
        assert_eq!(sub("172.16.0.0/12", 4.0, 2.0).unwrap(), s("172.18.0.0/16"));
        assert_eq!(sub("10.1.2.0/24", 4.0, 15.0).unwrap(), s("10.1.2.240/28"));
        assert_eq!(sub("fd00:fd12:3456:7890::/56", 16.0, 162.0).unwrap(), s("fd00:fd12:3456:7800:a200::/72"));
        assert_eq!(sub("10.0.0.0/8", 8.0, 0.0).unwrap(), s("10.0.0.0/16"));
        assert_eq!(sub("10.1.2.5/24", 0.0, 0.0).unwrap(), s("10.1.2.0/24"));
        assert_eq!(sub("010.001.0.0/16", 8.0, 3.0).unwrap(), s("10.1.3.0/24"));
        assert!(
            sub("10.1.2.0/24", 4.0, 16.0)
                .unwrap_err()
                .contains("prefix extension of 4 does not accommodate a subnet numbered 16")
        );
        assert!(
            sub("10.1.2.0/24", 9.0, 0.0)
                .unwrap_err()
                .contains("insufficient address space to extend prefix of 24 by 9")
        );
        assert!(sub("10.1.2.0", 4.0, 0.0).unwrap_err().contains("invalid CIDR"));
        assert!(sub("10.1.2.300/24", 4.0, 0.0).is_err());
        assert!(sub("::/0", 129.0, 0.0).is_err());
        assert_eq!(sub("::/0", 128.0, 1.0).unwrap(), s("::1/128"));
    }

    #[test]
    fn cidrhost_examples() {
        let host = |p: &str, num: f64| call_fn("cidrhost", vec![s(p), n(num)]);
        assert_eq!(host("10.12.112.0/20", 16.0).unwrap(), s("10.12.112.16"));
        assert_eq!(host("10.12.112.0/20", 268.0).unwrap(), s("10.12.113.12"));
        assert_eq!(host("fd00:fd12:3456:7890:00a2::/72", 34.0).unwrap(), s("fd00:fd12:3456:7890::22"));
        assert_eq!(host("10.0.0.0/24", -1.0).unwrap(), s("10.0.0.255"));
        assert_eq!(host("10.0.0.0/24", -256.0).unwrap(), s("10.0.0.0"));
        assert!(
            host("10.0.0.0/24", 256.0).unwrap_err().contains("prefix of 24 does not accommodate a host numbered 256")
        );
        assert!(host("10.0.0.0/24", -257.0).is_err());
        assert!(host("10.0.0.0/24", 1.5).is_err());
        assert_eq!(host("::ffff:10.0.0.0/120", 5.0).unwrap(), s("10.0.0.5"));
    }

    #[test]
    fn cidrnetmask_examples() {
        assert_eq!(call_fn("cidrnetmask", vec![s("172.16.0.0/12")]).unwrap(), s("255.240.0.0"));
        assert_eq!(call_fn("cidrnetmask", vec![s("10.0.0.0/0")]).unwrap(), s("0.0.0.0"));
        assert_eq!(call_fn("cidrnetmask", vec![s("10.0.0.1/32")]).unwrap(), s("255.255.255.255"));
        assert!(
            call_fn("cidrnetmask", vec![s("fd00::/8")]).unwrap_err().contains("IPv6 addresses cannot have a netmask")
        );
    }

    #[test]
    fn cidrsubnets_examples() {
        let subs = |p: &str, bits: &[f64]| {
            let mut args = vec![s(p)];
            args.extend(bits.iter().map(|b| n(*b)));
            call_fn("cidrsubnets", args)
        };
        let strs = |xs: &[&str]| Value::list(xs.iter().map(|x| s(x)).collect());
        assert_eq!(
            subs("10.1.0.0/16", &[4.0, 4.0, 8.0, 4.0]).unwrap(),
            strs(&["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"])
        );
        assert_eq!(
            subs("fd00:fd12:3456:7890::/56", &[16.0, 16.0, 16.0, 32.0]).unwrap(),
            strs(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88",
            ])
        );
        assert_eq!(subs("10.0.0.0/8", &[1.0, 1.0]).unwrap(), strs(&["10.0.0.0/9", "10.128.0.0/9"]));
        assert_eq!(subs("10.0.0.0/8", &[]).unwrap(), strs(&[]));
        assert!(
            subs("10.0.0.0/24", &[1.0, 1.0, 1.0]).unwrap_err().contains(
                "not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128/25"
            )
        );
        assert!(subs("10.0.0.0/24", &[0.0]).unwrap_err().contains("at least one bit"));
        assert!(subs("10.0.0.0/24", &[9.0]).unwrap_err().contains("would extend prefix to 33 bits"));
        assert!(subs("fd00::/8", &[33.0]).unwrap_err().contains("more than 32 bits"));
    }
}
