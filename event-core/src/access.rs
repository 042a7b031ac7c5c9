//! Who may write and read a domain's topics, declared with the domain, as the Kafka ACL
//! bindings that grant exactly that.
//!
//! A domain names its services ([`domain!`](crate::domain!)'s `producers`, `consumers` and
//! `dead_letter_readers`); a service is the principal `User:<name>` (with mTLS, the common
//! name of its certificate) and reads in consumer groups whose names start with its name.
//!
//! ```
//! use event_core::access::{acl_bindings, Access, AclOperation};
//! let access = Access {
//!     producers: &["combat-service"],
//!     consumers: &["analytics"],
//!     dead_letter_readers: &["operations"],
//! };
//! let bindings = acl_bindings("game.combat.events", "game.combat.events.dlq", &access);
//! assert!(bindings.iter().any(|b| b.principal == "User:combat-service"
//!     && b.resource_name == "game.combat.events"
//!     && b.operation == AclOperation::Write));
//! // analytics reads the topic and writes its dead letters; nobody else writes there
//! assert!(!bindings.iter().any(|b| b.principal == "User:analytics"
//!     && b.resource_name == "game.combat.events"
//!     && b.operation == AclOperation::Write));
//! ```

use serde::{Deserialize, Serialize};

/// The services allowed on a domain's topics, as declared with the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// Services that write the domain's events.
    pub producers: &'static [&'static str],
    /// Services that read them (and write the dead letters of what they cannot read).
    pub consumers: &'static [&'static str],
    /// Services that read the domain's dead-letter topic (operations).
    pub dead_letter_readers: &'static [&'static str],
}

impl Access {
    /// No service declared.
    pub const NONE: Access = Access {
        producers: &[],
        consumers: &[],
        dead_letter_readers: &[],
    };

    /// Whether the domain declares no service at all (then no binding is exported and
    /// nothing is applied: the cluster's own policy governs its topics).
    pub const fn is_open(&self) -> bool {
        self.producers.is_empty()
            && self.consumers.is_empty()
            && self.dead_letter_readers.is_empty()
    }
}

/// A Kafka resource type, as the Admin API and `kafka-acls` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ResourceType {
    /// A topic.
    Topic,
    /// A consumer group.
    Group,
}

/// How a binding's resource name matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PatternType {
    /// The resource with exactly this name.
    Literal,
    /// Every resource whose name starts with this name.
    Prefixed,
}

/// An operation a binding allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AclOperation {
    /// Read records (topics), join and commit (groups).
    Read,
    /// Write records.
    Write,
    /// Read metadata and offsets.
    Describe,
}

/// Whether a binding allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AclPermission {
    /// Allows the operation.
    Allow,
}

/// One Kafka ACL binding, with the field names and values of Kafka's Admin API
/// (`AclBinding`: resource type and name, pattern type; principal, host, operation,
/// permission type).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AclBinding {
    /// What kind of resource.
    pub resource_type: ResourceType,
    /// The resource (a topic, or a group name or prefix).
    pub resource_name: String,
    /// How `resource_name` matches.
    pub pattern_type: PatternType,
    /// `User:<service>`.
    pub principal: String,
    /// `*`: any host.
    pub host: String,
    /// The operation allowed.
    pub operation: AclOperation,
    /// Always `ALLOW`: the catalog grants, the cluster denies whatever is not granted.
    pub permission_type: AclPermission,
}

/// The names Kafka's Admin API and `kafka-acls` give the parts of a binding.
macro_rules! admin_names {
    ($($ty:ident { $($variant:ident => $name:literal),* $(,)? })*) => {$(
        impl $ty {
            /// The name Kafka's Admin API gives it, e.g. `"TOPIC"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),*
                }
            }
        }
    )*};
}

admin_names! {
    ResourceType { Topic => "TOPIC", Group => "GROUP" }
    PatternType { Literal => "LITERAL", Prefixed => "PREFIXED" }
    AclOperation { Read => "READ", Write => "WRITE", Describe => "DESCRIBE" }
    AclPermission { Allow => "ALLOW" }
}

impl AclBinding {
    fn allow(
        resource_type: ResourceType,
        resource_name: &str,
        pattern_type: PatternType,
        service: &str,
        operation: AclOperation,
    ) -> Self {
        AclBinding {
            resource_type,
            resource_name: resource_name.to_owned(),
            pattern_type,
            principal: principal(service),
            host: "*".to_owned(),
            operation,
            permission_type: AclPermission::Allow,
        }
    }
}

/// The principal of a declared service: `User:<service>`.
pub fn principal(service: &str) -> String {
    format!("User:{service}")
}

/// The bindings that let exactly the services of `access` do their part on `topic` and its
/// dead-letter topic, sorted and without duplicates:
///
/// - a producer: `WRITE` and `DESCRIBE` on the topic;
/// - a consumer: `READ` and `DESCRIBE` on the topic, `WRITE` and `DESCRIBE` on the
///   dead-letter topic, `READ` on the groups its name prefixes;
/// - a dead-letter reader: `READ` and `DESCRIBE` on the dead-letter topic, `READ` on the
///   groups its name prefixes.
pub fn acl_bindings(topic: &str, dead_letter_topic: &str, access: &Access) -> Vec<AclBinding> {
    use AclOperation::{Describe, Read, Write};
    let mut bindings = Vec::new();
    let mut grant = |services: &[&str], resource: &str, operations: &[AclOperation]| {
        for service in services {
            for operation in operations {
                bindings.push(AclBinding::allow(
                    ResourceType::Topic,
                    resource,
                    PatternType::Literal,
                    service,
                    *operation,
                ));
            }
        }
    };
    grant(access.producers, topic, &[Write, Describe]);
    grant(access.consumers, topic, &[Read, Describe]);
    grant(access.consumers, dead_letter_topic, &[Write, Describe]);
    grant(
        access.dead_letter_readers,
        dead_letter_topic,
        &[Read, Describe],
    );
    for service in access.consumers.iter().chain(access.dead_letter_readers) {
        bindings.push(AclBinding::allow(
            ResourceType::Group,
            service,
            PatternType::Prefixed,
            service,
            Read,
        ));
    }
    bindings.sort();
    bindings.dedup();
    bindings
}

/// Whether `service` is a well-formed service name: 1 to 64 of `[a-z0-9._-]`, starting with
/// a letter or digit (it becomes a principal, a consumer-group prefix and a certificate's
/// common name).
pub const fn is_valid_service(service: &str) -> bool {
    let bytes = service.as_bytes();
    if bytes.is_empty() || bytes.len() > 64 || !bytes[0].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_' || b == b'-') {
            return false;
        }
        i += 1;
    }
    true
}

/// Checks one role list of a domain declaration at compile time: every name well formed, none
/// twice.
#[doc(hidden)]
pub const fn check_services(services: &[&str]) {
    let mut i = 0;
    while i < services.len() {
        if !is_valid_service(services[i]) {
            panic!("a service name of a domain's roles must be 1 to 64 of [a-z0-9._-], starting with a letter or digit");
        }
        let mut j = i + 1;
        while j < services.len() {
            if crate::__private::same_name(services[i], services[j]) {
                panic!("a service is named twice in the same role of a domain declaration");
            }
            j += 1;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names() {
        for good in ["combat-service", "analytics", "ops.eu-1", "a"] {
            assert!(is_valid_service(good), "{good}");
        }
        for bad in ["", "Combat", "-x", "a b", "User:x", &"x".repeat(65)] {
            assert!(!is_valid_service(bad), "{bad}");
        }
    }

    #[test]
    fn each_role_gets_exactly_its_bindings() {
        let access = Access {
            producers: &["writer"],
            consumers: &["reader"],
            dead_letter_readers: &["ops"],
        };
        let bindings = acl_bindings("t", "t.dlq", &access);
        let has = |principal: &str, resource: &str, operation: AclOperation| {
            bindings.iter().any(|b| {
                b.principal == format!("User:{principal}")
                    && b.resource_name == resource
                    && b.operation == operation
            })
        };
        assert!(has("writer", "t", AclOperation::Write));
        assert!(!has("writer", "t", AclOperation::Read));
        assert!(has("reader", "t", AclOperation::Read));
        assert!(!has("reader", "t", AclOperation::Write));
        assert!(has("reader", "t.dlq", AclOperation::Write));
        assert!(has("ops", "t.dlq", AclOperation::Read));
        assert!(!has("ops", "t", AclOperation::Read));
        let groups: Vec<_> = bindings
            .iter()
            .filter(|b| b.resource_type == ResourceType::Group)
            .map(|b| (b.resource_name.as_str(), b.pattern_type))
            .collect();
        assert_eq!(
            groups,
            [
                ("ops", PatternType::Prefixed),
                ("reader", PatternType::Prefixed)
            ]
        );
        assert_eq!(bindings.len(), 2 + 5 + 3);
        let mut sorted = bindings.clone();
        sorted.sort();
        assert_eq!(sorted, bindings, "deterministic order");
    }

    #[test]
    fn admin_names_are_the_serialised_names() {
        for (value, name) in [
            (
                serde_json::to_value(ResourceType::Group).unwrap(),
                ResourceType::Group.as_str(),
            ),
            (
                serde_json::to_value(PatternType::Prefixed).unwrap(),
                PatternType::Prefixed.as_str(),
            ),
            (
                serde_json::to_value(AclOperation::Describe).unwrap(),
                AclOperation::Describe.as_str(),
            ),
            (
                serde_json::to_value(AclPermission::Allow).unwrap(),
                AclPermission::Allow.as_str(),
            ),
        ] {
            assert_eq!(value, name);
        }
    }

    #[test]
    fn bindings_serialise_with_the_admin_api_names() {
        let access = Access {
            producers: &["w"],
            ..Access::NONE
        };
        let json = serde_json::to_value(&acl_bindings("t", "t.dlq", &access)[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "resourceType": "TOPIC",
                "resourceName": "t",
                "patternType": "LITERAL",
                "principal": "User:w",
                "host": "*",
                "operation": "WRITE",
                "permissionType": "ALLOW"
            })
        );
    }
}
