//! Compile-fail tests: every compile error of the derives, with its committed `.stderr`.
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p event-macros --test ui`
//! and review the diff.

#[test]
fn compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
