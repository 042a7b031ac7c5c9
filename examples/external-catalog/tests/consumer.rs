//! The typed consumer enum: a record of any arcade event decodes into its variant.

use event_core::catalog::{example_envelope, Example};
use event_core::codec::{DispatchError, DomainEvents};
use external_catalog::{ArcadeEvent, RunFinished, ScoreSubmitted};

#[test]
fn every_example_decodes_into_its_variant() {
    let examples = ArcadeEvent::examples();
    assert_eq!(examples.len(), 3);
    for example in examples {
        let record = example.to_record().expect("valid example");
        assert_eq!(record.topic, "arcade.events");
        assert_eq!(
            ArcadeEvent::decode_record(&record).expect("decodes"),
            example
        );
    }
}

#[test]
fn records_are_keyed_by_the_domains_key_field_and_checked() {
    let record = example_envelope(RunFinished::example())
        .to_record()
        .expect("valid");
    assert_eq!(
        record.key.as_deref(),
        Some(b"3e1b7c52-9d4a-4f0e-8c6b-2a5d7e9f1c30".as_slice())
    );
    let mut score = ScoreSubmitted::example();
    score.initials = "TOO LONG".to_owned();
    assert!(example_envelope(score).to_record().is_err());
}

#[test]
fn another_domains_event_is_refused_by_name() {
    let value = br#"{"event_type": "combat.session.start"}"#;
    match ArcadeEvent::decode(None, value) {
        Err(DispatchError::UnknownEventType { event_type, domain }) => {
            assert_eq!(
                (event_type.as_str(), domain),
                ("combat.session.start", "arcade")
            );
        }
        other => panic!("{other:?}"),
    }
}
