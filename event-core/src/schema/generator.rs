//! [`SchemaGenerator`]: collects the named types of one document under `definitions`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Schema;
use crate::EventSchema;

/// Builds the schemas of one document: named types go to `definitions` once and are used
/// through `$ref`, so recursive types terminate and shared types are written once.
#[derive(Debug, Default, Clone)]
pub struct SchemaGenerator {
    definitions: BTreeMap<String, Schema>,
    /// Which type (by [`EventSchema::schema_id`]) owns each definition name.
    owners: BTreeMap<String, Cow<'static, str>>,
    /// Definition name of each type already seen, by id.
    names: BTreeMap<Cow<'static, str>, String>,
}

impl SchemaGenerator {
    /// The schema to use where a value of type `T` appears: a `$ref` for named types (adding
    /// the definition on first use), the inline schema otherwise.
    pub fn subschema_for<T: EventSchema + ?Sized>(&mut self) -> Schema {
        let Some(name) = T::schema_name() else {
            return T::schema(self);
        };
        let id = T::schema_id();
        if let Some(known) = self.names.get(&id) {
            return Schema::reference(known);
        }
        let name = self.free_name(name, &id);
        self.names.insert(id.clone(), name.clone());
        self.owners.insert(name.clone(), id);
        // A placeholder first, so that a recursive type finds its own name.
        self.definitions.insert(name.clone(), Schema::Bool(true));
        let schema = T::schema(self);
        self.definitions.insert(name.clone(), schema);
        Schema::reference(&name)
    }

    /// The schema of `T` itself, never a `$ref` (for `#[serde(flatten)]` and internally tagged
    /// newtype variants, which need the properties).
    pub fn inline_schema_for<T: EventSchema + ?Sized>(&mut self) -> Schema {
        T::flatten_schema(self)
    }

    /// The definitions collected so far, sorted by name.
    pub fn definitions(&self) -> &BTreeMap<String, Schema> {
        &self.definitions
    }

    /// Consumes the generator, returning its definitions.
    pub fn into_definitions(self) -> BTreeMap<String, Schema> {
        self.definitions
    }

    /// `name`, unless another type already owns it: then a name made from the full id.
    fn free_name(&self, name: Cow<'static, str>, id: &str) -> String {
        match self.owners.get(name.as_ref()) {
            None => name.into_owned(),
            Some(owner) if owner == id => name.into_owned(),
            Some(_) => sanitize(id),
        }
    }
}

/// A definition name safe inside a JSON pointer and a URI fragment.
pub(crate) fn sanitize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_was_separator = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
            last_was_separator = false;
        } else if !last_was_separator {
            out.push('.');
            last_was_separator = true;
        }
    }
    out.trim_matches('.').to_owned()
}

/// A readable label of `T` for the definition names of generic types: its own schema name, or
/// the last path segment of its Rust type name.
///
/// ```
/// use event_core::schema::type_label;
/// assert_eq!(type_label::<u32>(), "u32");
/// assert_eq!(type_label::<Vec<String>>(), "Vec.String");
/// ```
pub fn type_label<T: EventSchema + ?Sized>() -> String {
    match T::schema_name() {
        Some(name) => name.into_owned(),
        None => {
            let full = core::any::type_name::<T>();
            let short: String = full
                .split(['<', '>', ',', ' '])
                .filter(|part| !part.is_empty())
                .map(|part| part.rsplit("::").next().unwrap_or(part))
                .collect::<Vec<_>>()
                .join(".");
            sanitize(&short)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_pointer_safe_characters() {
        assert_eq!(sanitize("my_crate::a::Pos<u8>"), "my_crate.a.Pos.u8");
    }
}
