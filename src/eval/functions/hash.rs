//! Hash and crypto functions. Results that are random or secret (`uuid`, `bcrypt`,
//! `rsadecrypt`) are unknown.

use uuid::Uuid;

use super::FnError;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::FnContext;
use super::args::{hex, string};
use super::encoding::base64_encode;
use super::filesystem::read_file;
use crate::terraform::value::Value;

fn digest<D: Digest>(bytes: &[u8]) -> Vec<u8> {
    D::digest(bytes).to_vec()
}

fn text(args: &[Value]) -> Result<Vec<u8>, FnError> {
    Ok(string(&args[0], "str")?.as_bytes().to_vec())
}

fn contents(args: &[Value], ctx: &FnContext) -> Result<Vec<u8>, FnError> {
    read_file(ctx, &string(&args[0], "path")?)
}

pub fn md5(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Md5>(&text(args)?))))
}
pub fn sha1(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Sha1>(&text(args)?))))
}
pub fn sha256(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Sha256>(&text(args)?))))
}
pub fn sha512(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Sha512>(&text(args)?))))
}
pub fn base64sha256(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(base64_encode(&digest::<Sha256>(&text(args)?))))
}
pub fn base64sha512(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(base64_encode(&digest::<Sha512>(&text(args)?))))
}
pub fn filemd5(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Md5>(&contents(args, ctx)?))))
}
pub fn filesha1(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Sha1>(&contents(args, ctx)?))))
}
pub fn filesha256(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Sha256>(&contents(args, ctx)?))))
}
pub fn filesha512(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(hex(&digest::<Sha512>(&contents(args, ctx)?))))
}
pub fn filebase64sha256(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(base64_encode(&digest::<Sha256>(&contents(args, ctx)?))))
}
pub fn filebase64sha512(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(base64_encode(&digest::<Sha512>(&contents(args, ctx)?))))
}

/// Random: known only after apply.
pub fn uuid(_: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::unknown_apply("uuid()"))
}

/// Salted with randomness: known only after apply.
pub fn bcrypt(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    string(&args[0], "str")?;
    Ok(Value::unknown_apply("bcrypt()"))
}

/// Needs a private key and yields a secret: never evaluated here.
pub fn rsadecrypt(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    string(&args[0], "ciphertext")?;
    string(&args[1], "privatekey")?;
    Ok(Value::unknown_apply("rsadecrypt()"))
}

pub fn uuidv5(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (ns, name) = (string(&args[0], "namespace")?, string(&args[1], "name")?);
    let namespace = match &*ns {
        "dns" => Ok(Uuid::NAMESPACE_DNS),
        "url" => Ok(Uuid::NAMESPACE_URL),
        "oid" => Ok(Uuid::NAMESPACE_OID),
        "x500" => Ok(Uuid::NAMESPACE_X500),
        // The forms Google's uuid package parses: plain, `{...}`, `urn:uuid:...`, 32 hex
        // digits; its `urn:uuid:` ignores case, the crate's does not.
        other => match other.get(..9).filter(|p| other.len() == 45 && p.eq_ignore_ascii_case("urn:uuid:")) {
            Some(_) => Uuid::try_parse(&other[9..]).map_err(|_| ()),
            None => Uuid::try_parse(other).map_err(|_| ()),
        },
    }
    .map_err(|_| format!("uuidv5() doesn't support namespace {ns} (invalid UUID format)"))?;
    Ok(Value::string(Uuid::new_v5(&namespace, name.as_bytes()).hyphenated().to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_fn, call_in};
    use crate::terraform::value::Value;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn hash(name: &str, arg: &str) -> String {
        call_fn(name, vec![s(arg)]).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn documented_digests() {
        assert_eq!(hash("md5", "hello world"), "5eb63bbbe01eeed093cb22bb8f5acdc3");
        assert_eq!(hash("sha1", "hello world"), "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed");
        assert_eq!(hash("sha256", "hello world"), "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assert_eq!(
            hash("sha512", "hello world"),
            "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"
        );
        assert_eq!(hash("base64sha256", "hello world"), "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
        assert_eq!(
            hash("base64sha512", "hello world"),
            "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
        );
    }

    #[test]
    fn uuids() {
        let v5 = |ns: &str, name: &str| call_fn("uuidv5", vec![s(ns), s(name)]).unwrap();
        assert_eq!(v5("dns", "www.terraform.io"), s("a5008fae-b28c-5ba5-96cd-82b4c53552d6"));
        assert_eq!(v5("url", "https://www.terraform.io/"), s("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5"));
        assert_eq!(v5("oid", "1.3.6.1.4"), s("af9d40a5-7a36-5c07-b23a-851cd99fbfa5"));
        assert_eq!(v5("x500", "CN=Example Company Name,OU=Org Unit Name"), s("6dc1da0a-cedd-5256-9870-f4cf4ac888c2"));
        assert_eq!(
            v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io"),
            s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
        );
        // Every form Google's uuid package parses names the same namespace.
        for ns in [
            "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
            "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "URN:UUID:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "6ba7b8109dad11d180b400c04fd430c8",
            "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
        ] {
            assert_eq!(v5(ns, "www.terraform.io"), s("a5008fae-b28c-5ba5-96cd-82b4c53552d6"), "{ns}");
        }
        assert!(call_fn("uuidv5", vec![s("nope"), s("x")]).unwrap_err().contains("doesn't support namespace"));
        assert!(call_fn("uuid", vec![]).unwrap().is_unknown());
        assert!(call_fn("bcrypt", vec![s("x")]).unwrap().is_unknown());
        assert!(call_fn("rsadecrypt", vec![s("x"), s("k")]).unwrap().is_unknown());
    }

    #[test]
    fn file_digests() {
        let dir = std::env::temp_dir().join(format!("tfcheck-hash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("f.txt"), "hello world").unwrap();
        let got = call_in(&dir, "filesha256", vec![s("f.txt")]).unwrap();
        assert_eq!(got, s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"));
        assert_eq!(call_in(&dir, "filemd5", vec![s("f.txt")]).unwrap(), s("5eb63bbbe01eeed093cb22bb8f5acdc3"));
        let got = call_in(&dir, "filebase64sha256", vec![s("f.txt")]).unwrap();
        assert_eq!(got, s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
