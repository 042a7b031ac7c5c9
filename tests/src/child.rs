//! Tests that need a process to kill: the test binary runs one of its own ignored tests as a
//! child process, which reports a line on its standard output and waits to be killed.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

/// The child's side: writes `marker` and `value` on one line of the process's own standard
/// output (the test harness captures `println!`, not the process's stdout) and flushes it.
pub fn report(marker: &str, value: &str) {
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{marker}{value}").expect("stdout");
    stdout.flush().expect("stdout");
}

/// The parent's side: runs the ignored test `test` of this test binary with the environment
/// variable `name` set to `value`, and waits for the line the child [`report`]s after `marker`.
/// Returns the running child (to kill) and what followed the marker.
///
/// # Panics
/// When the child cannot be started or ends without reporting.
pub fn spawn_and_wait_for(
    test: &str,
    (name, value): (&str, &str),
    marker: &str,
) -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", test, "--ignored", "--test-threads=1"])
        .env(name, value)
        .stdout(Stdio::piped())
        .spawn()
        .expect("child process");
    let stdout = child.stdout.take().expect("piped");
    let reported = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        // The harness's `test … ... ` may stand before it on the same line.
        .find_map(|line| {
            line.split_once(marker)
                .map(|(_, rest)| rest.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("the child test `{test}` ended without reporting `{marker}`"));
    (child, reported)
}
