//! Running a pipe command (`|`, `:pipe`): `sh -c` with the text on stdin
//! and both outputs captured, so nothing the command prints reaches the
//! reader's screen. Runs on a thread of its own; the UI never waits for it.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::reader::msg::Msg;

/// Runs `command` with `input` on its stdin and waits for it.
pub fn run(command: &str, input: &str) -> Msg {
    let piped = |code, output| Msg::Piped { command: command.to_string(), code, output };
    let child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return piped(None, e.to_string()),
    };
    // Written from a thread of its own: a command that prints before it has
    // read everything would otherwise wait on us while we wait on it.
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.to_string();
        std::thread::spawn(move || {
            // A command that does not read its input (`true`) closes the
            // pipe early: not a failure.
            let _ = stdin.write_all(input.as_bytes());
        })
    });
    let out = child.wait_with_output();
    if let Some(w) = writer {
        let _ = w.join();
    }
    match out {
        Ok(o) => {
            let code = o.status.code();
            // stdout when it succeeded or said nothing on stderr.
            let shown = if o.status.success() || o.stderr.is_empty() { &o.stdout } else { &o.stderr };
            piped(code, first_line(shown))
        }
        Err(e) => piped(None, e.to_string()),
    }
}

fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_goes_to_stdin_and_the_outcome_comes_back() {
        match run("tail -n 1 | tr a-z A-Z", "заголовок\nparagraph\n") {
            Msg::Piped { code, output, .. } => assert_eq!((code, output.as_str()), (Some(0), "PARAGRAPH")),
            other => panic!("{other:?}"),
        }
        match run("cat >/dev/null; echo 'нет ключа' >&2; exit 3", "x") {
            Msg::Piped { code, output, .. } => assert_eq!((code, output.as_str()), (Some(3), "нет ключа")),
            other => panic!("{other:?}"),
        }
        // A command that never reads a large input still ends.
        match run("true", &"абзац ".repeat(100_000)) {
            Msg::Piped { code, .. } => assert_eq!(code, Some(0)),
            other => panic!("{other:?}"),
        }
    }
}
