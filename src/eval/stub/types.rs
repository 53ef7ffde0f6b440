//! Temporary stand-in for type constraints while they are being written.
use crate::value::Value;
#[derive(Clone, Debug)]
pub enum Type { Any, String, Number, Bool, List(Box<Type>), Set(Box<Type>), Map(Box<Type>), Tuple(Vec<Type>), Object(Vec<ObjAttr>) }
#[derive(Clone, Debug)]
pub struct ObjAttr { pub name: String, pub ty: Type, pub optional: bool, pub default: Option<Value> }
pub fn convert(v: Value, _ty: &Type) -> Result<Value, String> { Ok(v) }
