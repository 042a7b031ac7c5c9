//! Security against Apache Kafka: mTLS identities (a certificate's common name is the
//! principal), TLS 1.3 only, and the catalog's role-based ACLs applied by provisioning and
//! enforced by the broker (KRaft's StandardAuthorizer) on its `MTLS` listener.

use std::convert::Infallible;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use event_core::access::{AclBinding, AclOperation, AclPermission, PatternType, ResourceType};
use event_domains::CombatEvent;
use event_kafka::{
    apply_acls, AclEntry, AclOptions, ClientError, ConsumeError, EventConsumer, EventProducer,
    KafkaConfig, Pem, PendingDelivery, ProduceError,
};
use event_tools::export::declared_bindings;
use kafka_events_tests::broker::Broker;
use kafka_events_tests::kafka::{consume, consume_for, fresh_attack, Isolated, LIMIT};

/// Settings for the service `service` on the broker's mTLS listener, with a certificate from
/// the broker's CA.
fn as_service(broker: &Broker, service: &str) -> KafkaConfig {
    let (certificate, key) = broker.client_certificate(service).expect("certificate");
    with_certificate(broker, certificate, key)
}

/// Settings for the broker's mTLS listener with this certificate and key.
fn with_certificate(broker: &Broker, certificate: PathBuf, key: PathBuf) -> KafkaConfig {
    KafkaConfig::new(broker.mtls_bootstrap())
        .with_mutual_tls(
            Pem::File(broker.ca_certificate()),
            Pem::File(certificate),
            Pem::File(key),
        )
        .expect("mTLS settings")
        .set("message.timeout.ms", "10000")
}

/// The corner's topics provisioned and the catalog's ACLs for them applied.
fn secured(broker: &Broker, name: &str) -> Isolated {
    let corner = Isolated::on(broker, name);
    let declared = declared_bindings(event_domains::catalog().events(), &corner.suffix);
    let report = apply_acls(&corner.config, &declared, &AclOptions::default()).expect("ACLs");
    // Group bindings are shared with the other tests' corners: created by whichever ran first.
    assert_eq!(
        report.created.len() + report.unchanged.len(),
        declared.len(),
        "{report}"
    );
    assert!(!report.has_drift(), "{report}");
    corner
}

/// Polls `consumer` until it returns an error (or [`LIMIT`] passes).
fn first_error(consumer: &EventConsumer<CombatEvent>) -> Option<ConsumeError<Infallible>> {
    let started = Instant::now();
    while started.elapsed() < LIMIT {
        match consumer.poll(Duration::from_millis(200), |_| Ok::<(), Infallible>(())) {
            Err(error) => return Some(error),
            Ok(polled) => assert!(
                !matches!(polled, event_kafka::Polled::Handled { .. }),
                "read a record it may not read"
            ),
        }
    }
    None
}

#[test]
fn the_declared_producer_writes_and_an_undeclared_one_gets_a_typed_refusal() {
    let broker = Broker::shared();
    let corner = secured(broker, "acl-produce");
    let topic = corner.topic("game.combat.events");

    let combat = EventProducer::new(&as_service(broker, "combat-service"))
        .expect("producer")
        .with_topic_suffix(&corner.suffix);
    let allowed = fresh_attack();
    combat
        .enqueue_event(&allowed)
        .and_then(PendingDelivery::wait)
        .expect("combat-service writes combat events");

    let economy = EventProducer::new(&as_service(broker, "economy-service"))
        .expect("producer")
        .with_topic_suffix(&corner.suffix);
    let error = economy
        .enqueue_event(&fresh_attack())
        .and_then(PendingDelivery::wait)
        .unwrap_err();
    assert!(
        matches!(&error, ProduceError::Unauthorized { topic: refused } if *refused == topic),
        "{error:?}"
    );
    assert!(error.to_string().contains(&topic), "{error}");

    // The topic holds exactly the allowed event (read as the super user).
    let everything = corner.consumer::<CombatEvent>("audit");
    let seen = consume(&everything, 1);
    let rest = consume_for(&everything, Duration::from_secs(3));
    assert_eq!(seen.handled.len() + rest.handled.len(), 1);
    assert_eq!(seen.handled[0].event, allowed);
}

#[test]
fn a_declared_consumer_reads_and_others_get_typed_refusals() {
    let broker = Broker::shared();
    let corner = secured(broker, "acl-consume");
    let combat = EventProducer::new(&as_service(broker, "combat-service"))
        .expect("producer")
        .with_topic_suffix(&corner.suffix);
    let event = fresh_attack();
    combat
        .enqueue_event(&event)
        .and_then(PendingDelivery::wait)
        .expect("sent");

    // analytics reads combat events in a group named after it.
    let analytics = EventConsumer::<CombatEvent>::new(
        &as_service(broker, "analytics"),
        corner.consumer_options("analytics"),
    )
    .expect("consumer");
    let seen = consume(&analytics, 1);
    assert_eq!(
        seen.handled.len(),
        1,
        "analytics reads: {:?}",
        seen.dead_letters
    );
    assert_eq!(seen.handled[0].event, event);

    // analytics in a group not named after it: the group is refused.
    let elsewhere = EventConsumer::<CombatEvent>::new(
        &as_service(broker, "analytics"),
        corner.consumer_options("dashboards"),
    )
    .expect("consumer");
    let error = first_error(&elsewhere).expect("refused");
    assert!(
        matches!(
            error,
            ConsumeError::Unauthorized {
                what: "use the consumer group",
                ..
            }
        ),
        "{error:?}"
    );

    // economy-service may not read combat events, even in a group named after it.
    let economy = EventConsumer::<CombatEvent>::new(
        &as_service(broker, "economy-service"),
        corner.consumer_options("economy-service"),
    )
    .expect("consumer");
    let error = first_error(&economy).expect("refused");
    assert!(
        matches!(error, ConsumeError::Unauthorized { .. }),
        "{error:?}"
    );
}

#[test]
fn acl_provisioning_is_idempotent_and_reports_then_prunes_drift() {
    let broker = Broker::shared();
    let corner = secured(broker, "acl-drift");
    let declared = declared_bindings(event_domains::catalog().events(), &corner.suffix);

    let again = apply_acls(&corner.config, &declared, &AclOptions::default()).expect("ACLs");
    assert!(again.created.is_empty(), "{again}");
    assert_eq!(again.unchanged.len(), declared.len());
    assert!(!again.has_drift());

    // A grant added by someone else: economy-service may write combat events.
    let by_hand = AclBinding {
        resource_type: ResourceType::Topic,
        resource_name: corner.topic("game.combat.events"),
        pattern_type: PatternType::Literal,
        principal: "User:economy-service".into(),
        host: "*".into(),
        operation: AclOperation::Write,
        permission_type: AclPermission::Allow,
    };
    let with_extra: Vec<AclBinding> = declared.iter().cloned().chain([by_hand.clone()]).collect();
    apply_acls(&corner.config, &with_extra, &AclOptions::default()).expect("grant by hand");

    let drift = apply_acls(&corner.config, &declared, &AclOptions::default()).expect("ACLs");
    assert_eq!(drift.undeclared, [AclEntry::from(&by_hand)], "{drift}");
    assert!(drift.has_drift());
    assert!(drift.to_string().contains("UNDECLARED TOPIC"), "{drift}");

    let pruning = AclOptions {
        prune: true,
        ..AclOptions::default()
    };
    let pruned = apply_acls(&corner.config, &declared, &pruning).expect("prune");
    assert_eq!(pruned.pruned, [AclEntry::from(&by_hand)]);
    let after = apply_acls(&corner.config, &declared, &AclOptions::default()).expect("ACLs");
    assert!(!after.has_drift(), "{after}");
}

#[test]
fn without_a_certificate_from_the_ca_a_client_cannot_connect() {
    let broker = Broker::shared();
    let corner = Isolated::on(broker, "mtls-identity");
    let quick = |config: KafkaConfig| config.set("message.timeout.ms", "3000");

    // TLS that trusts the broker, but no client certificate.
    let anonymous = quick(
        KafkaConfig::new(broker.mtls_bootstrap())
            .set("security.protocol", "SSL")
            .set("ssl.ca.location", broker.ca_certificate().to_string_lossy()),
    );
    // A certificate for a declared service, signed by a CA the broker does not trust.
    let (certificate, key) = broker
        .foreign_client_certificate("combat-service")
        .expect("certificate");
    let foreign = quick(with_certificate(broker, certificate, key));
    for config in [anonymous, foreign] {
        let producer = EventProducer::new(&config)
            .expect("producer")
            .with_topic_suffix(&corner.suffix);
        let error = producer
            .enqueue_event(&fresh_attack())
            .and_then(PendingDelivery::wait)
            .unwrap_err();
        assert!(matches!(error, ProduceError::Delivery { .. }), "{error:?}");
    }
}

#[test]
fn a_key_that_is_not_the_certificates_is_a_typed_error() {
    let broker = Broker::shared();
    let (certificate, _) = broker
        .client_certificate("combat-service")
        .expect("certificate");
    let (_, other_key) = broker.client_certificate("analytics").expect("certificate");
    let config = KafkaConfig::new(broker.mtls_bootstrap())
        .with_mutual_tls(
            Pem::File(broker.ca_certificate()),
            Pem::File(certificate),
            Pem::File(other_key),
        )
        .expect("settings");
    let error = EventProducer::new(&config).err().expect("refused");
    assert!(matches!(error, ClientError::Tls { .. }), "{error:?}");
}

/// Whether `openssl s_client` completes a handshake with `version` (`-tls1_2`, `-tls1_3`).
fn handshake(broker: &Broker, version: &str) -> bool {
    let (certificate, key) = broker.client_certificate("analytics").expect("certificate");
    let output = Command::new("openssl")
        .args(["s_client", version, "-connect", &broker.mtls_bootstrap()])
        .arg("-CAfile")
        .arg(broker.ca_certificate())
        .arg("-cert")
        .arg(certificate)
        .arg("-key")
        .arg(key)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("openssl runs");
    let text = String::from_utf8_lossy(&output.stdout);
    output.status.success() && text.contains("Verify return code: 0 (ok)")
}

#[test]
fn the_broker_speaks_tls_1_3_only() {
    let broker = Broker::shared();
    assert!(handshake(broker, "-tls1_3"), "a TLS 1.3 handshake succeeds");
    assert!(
        !handshake(broker, "-tls1_2"),
        "a TLS 1.2 handshake is refused"
    );
}
