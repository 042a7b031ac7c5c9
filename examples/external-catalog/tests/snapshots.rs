//! The snapshot gate: fails when an event's schema breaks its committed snapshots in schemas/.

#[test]
fn schemas_match_their_snapshots() {
    event_tools::assert_snapshots(&external_catalog::catalog());
}
