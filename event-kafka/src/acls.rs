//! The catalog's access rules applied to a cluster: missing ACL bindings created, bindings the
//! catalog does not declare reported (and deleted only when the operator asks).

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use event_core::access::AclBinding;
use rdkafka::admin::AdminClient;
use rdkafka::client::{Client, DefaultClientContext};
use rdkafka::types::RDKafkaErrorCode;

use crate::config::{create_client, KafkaConfig};
pub use crate::native_acls::AclEntry;
use crate::native_acls::{create_acls, delete_acls, describe_acls, AclCallError};
use crate::wait::{self, Look};
use crate::ClientError;

impl From<&AclBinding> for AclEntry {
    fn from(binding: &AclBinding) -> Self {
        AclEntry {
            resource_type: binding.resource_type.as_str().to_owned(),
            resource_name: binding.resource_name.clone(),
            pattern_type: binding.pattern_type.as_str().to_owned(),
            principal: binding.principal.clone(),
            host: binding.host.clone(),
            operation: binding.operation.as_str().to_owned(),
            permission_type: binding.permission_type.as_str().to_owned(),
        }
    }
}

impl fmt::Display for AclEntry {
    /// `TOPIC game.combat.events LITERAL User:combat-service@* WRITE ALLOW`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}@{} {} {}",
            self.resource_type,
            self.resource_name,
            self.pattern_type,
            self.principal,
            self.host,
            self.operation,
            self.permission_type
        )
    }
}

/// How ACLs are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclOptions {
    /// Delete the bindings on the catalog's resources that the catalog does not declare
    /// (`--prune-acls`); without it they are only reported.
    pub prune: bool,
    /// How long each request to the cluster may take.
    pub timeout: Duration,
}

impl Default for AclOptions {
    fn default() -> Self {
        AclOptions {
            prune: false,
            timeout: Duration::from_secs(30),
        }
    }
}

/// What applying the access rules found and did, each list sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclReport {
    /// Declared bindings the cluster lacked, now created.
    pub created: Vec<AclEntry>,
    /// Declared bindings the cluster already had.
    pub unchanged: Vec<AclEntry>,
    /// Bindings on the catalog's topics and groups that the catalog does not declare (drift),
    /// left in place.
    pub undeclared: Vec<AclEntry>,
    /// Undeclared bindings deleted because [`AclOptions::prune`] asked for it.
    pub pruned: Vec<AclEntry>,
}

impl AclReport {
    /// Whether the cluster grants more on the catalog's resources than the catalog declares.
    pub fn has_drift(&self) -> bool {
        !self.undeclared.is_empty()
    }
}

impl fmt::Display for AclReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (label, entries) in [
            ("created   ", &self.created),
            ("unchanged ", &self.unchanged),
            ("UNDECLARED", &self.undeclared),
            ("pruned    ", &self.pruned),
        ] {
            for entry in entries {
                writeln!(f, "acl {label} {entry}")?;
            }
        }
        Ok(())
    }
}

/// Why the access rules could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum AclError {
    /// The admin client could not be created.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// A binding cannot be expressed to the cluster.
    #[error("cannot express an ACL binding: {0}")]
    Binding(String),
    /// The cluster refused a request as a whole (`SECURITY_DISABLED`: it has no authorizer).
    #[error("cannot {operation} ACLs: {code:?}: {message}")]
    Request {
        /// `describe`, `create` or `delete`.
        operation: &'static str,
        /// The cluster's error.
        code: RDKafkaErrorCode,
        /// Its message.
        message: String,
    },
    /// No answer within the timeout.
    #[error("no answer to the request to {operation} ACLs within {timeout:?}")]
    Timeout {
        /// `describe`, `create` or `delete`.
        operation: &'static str,
        /// The timeout.
        timeout: Duration,
    },
    /// The cluster accepted the changes but its authorizer did not show them within the
    /// timeout.
    #[error("{pending} ACL change(s) accepted but not in effect after {waited:?}")]
    NotInEffect {
        /// Bindings still missing, or still present after being deleted.
        pending: usize,
        /// How long it waited.
        waited: Duration,
    },
    /// The cluster refused one binding.
    #[error("cannot {operation} `{entry}`: {code:?}: {message}")]
    Refused {
        /// `create` or `delete`.
        operation: &'static str,
        /// The binding.
        entry: Box<AclEntry>,
        /// The cluster's error.
        code: RDKafkaErrorCode,
        /// Its message.
        message: String,
    },
}

fn call_error(operation: &'static str, timeout: Duration) -> impl Fn(AclCallError) -> AclError {
    move |error| match error {
        AclCallError::Binding(reason) => AclError::Binding(reason),
        AclCallError::Request { code, message } => AclError::Request {
            operation,
            code,
            message,
        },
        AclCallError::Timeout => AclError::Timeout { operation, timeout },
    }
}

/// Applies `declared` to the cluster: creates the bindings it lacks, and reports every
/// binding on a resource `declared` governs (the same resource type, name and pattern type)
/// that `declared` does not hold, deleting those only with [`AclOptions::prune`]. Running it
/// twice creates nothing the second time.
///
/// It returns once the broker it talks to shows every change (the controller accepts a
/// change a moment before the broker's authorizer applies it); other brokers of a cluster
/// follow within their metadata lag.
///
/// The cluster needs an authorizer (`authorizer.class.name`); the principal of `config`
/// needs `ALTER` and `DESCRIBE` on the cluster resource (a super user, typically).
pub fn apply_acls(
    config: &KafkaConfig,
    declared: &[AclBinding],
    options: &AclOptions,
) -> Result<AclReport, AclError> {
    let admin: AdminClient<DefaultClientContext> =
        create_client(&config.rdkafka_config(), "admin client")?;
    let client = admin.inner();
    let timeout = options.timeout;
    let declared: BTreeSet<AclEntry> = declared.iter().map(AclEntry::from).collect();
    let governed: BTreeSet<(&str, &str, &str)> = declared
        .iter()
        .map(|entry| {
            (
                entry.resource_type.as_str(),
                entry.resource_name.as_str(),
                entry.pattern_type.as_str(),
            )
        })
        .collect();
    let present = present_acls(client, timeout)?;

    let mut report = AclReport {
        unchanged: declared.intersection(&present).cloned().collect(),
        created: declared.difference(&present).cloned().collect(),
        undeclared: present
            .iter()
            .filter(|entry| {
                governed.contains(&(
                    entry.resource_type.as_str(),
                    entry.resource_name.as_str(),
                    entry.pattern_type.as_str(),
                )) && !declared.contains(*entry)
            })
            .cloned()
            .collect(),
        pruned: Vec::new(),
    };
    let outcomes =
        create_acls(client, &report.created, timeout).map_err(call_error("create", timeout))?;
    refused("create", &report.created, outcomes)?;
    if options.prune {
        let outcomes = delete_acls(client, &report.undeclared, timeout)
            .map_err(call_error("delete", timeout))?;
        refused("delete", &report.undeclared, outcomes)?;
        report.pruned = std::mem::take(&mut report.undeclared);
    }
    wait_until_in_effect(client, &report, timeout)?;
    Ok(report)
}

/// Describes the bindings until the created ones show and the pruned ones are gone: the
/// controller accepts a change before the broker's authorizer applies it, and a client
/// started right after `apply_acls` returned would otherwise be refused what was just
/// granted.
fn wait_until_in_effect(
    client: &Client<DefaultClientContext>,
    report: &AclReport,
    timeout: Duration,
) -> Result<(), AclError> {
    if report.created.is_empty() && report.pruned.is_empty() {
        return Ok(());
    }
    wait::until(timeout, |_| {
        let present = present_acls(client, timeout)?;
        let pending = report
            .created
            .iter()
            .filter(|entry| !present.contains(*entry))
            .chain(
                report
                    .pruned
                    .iter()
                    .filter(|entry| present.contains(*entry)),
            )
            .count();
        Ok::<_, AclError>(if pending == 0 {
            Look::Done(())
        } else {
            Look::Pending(pending)
        })
    })?
    .map_err(|(pending, waited)| AclError::NotInEffect { pending, waited })
}

/// Every binding the cluster holds.
fn present_acls(
    client: &Client<DefaultClientContext>,
    timeout: Duration,
) -> Result<BTreeSet<AclEntry>, AclError> {
    Ok(describe_acls(client, timeout)
        .map_err(call_error("describe", timeout))?
        .into_iter()
        .collect())
}

/// The first binding the cluster refused, as an error.
fn refused(
    operation: &'static str,
    entries: &[AclEntry],
    outcomes: Vec<Option<(RDKafkaErrorCode, String)>>,
) -> Result<(), AclError> {
    for (entry, outcome) in entries.iter().zip(outcomes) {
        if let Some((code, message)) = outcome {
            return Err(AclError::Refused {
                operation,
                entry: Box::new(entry.clone()),
                code,
                message,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use event_core::access::{acl_bindings, Access};

    #[test]
    fn catalog_bindings_become_entries_with_the_cluster_names() {
        let access = Access {
            producers: &["combat-service"],
            ..Access::NONE
        };
        let entries: Vec<AclEntry> = acl_bindings("t", "t.dlq", &access)
            .iter()
            .map(AclEntry::from)
            .collect();
        assert_eq!(
            entries.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "TOPIC t LITERAL User:combat-service@* WRITE ALLOW",
                "TOPIC t LITERAL User:combat-service@* DESCRIBE ALLOW",
            ]
        );
    }

    #[test]
    fn a_cluster_without_an_address_is_a_typed_error() {
        let config = KafkaConfig::new("127.0.0.1:1");
        let options = AclOptions {
            timeout: Duration::from_millis(200),
            ..AclOptions::default()
        };
        let error = apply_acls(&config, &[], &options).unwrap_err();
        assert!(
            matches!(
                error,
                AclError::Request {
                    operation: "describe",
                    ..
                } | AclError::Timeout {
                    operation: "describe",
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
