//! The compatibility checker on two documents built from the fuzzer's bytes ($ref, recursive
//! definitions, combinators, patterns, nested objects and arrays): it finishes with a verdict
//! or a typed error, never a panic, and a document is compatible with itself.
#![no_main]

use event_compat::{check, CompatMode};
use kafka_events_fuzz::schema::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|documents: (Document, Document)| {
    let (old, new) = (documents.0.to_json(), documents.1.to_json());
    if let Ok(report) = check(&old, &old.clone(), CompatMode::Full) {
        assert!(
            report.is_compatible(),
            "a document is compatible with itself: {old}\n{report:?}"
        );
    }
    let _verdict = check(&old, &new, CompatMode::FullTransitive);
});
