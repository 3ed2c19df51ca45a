//! The controlling terminal (`/dev/tty`), where passphrases are asked as
//! age, ssh and gpg ask them: standard input and output may be pipes or
//! files (`echo v | sm put x`, `sm import - < f`) and the prompt still
//! reaches the user.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;

use zeroize::Zeroizing;

/// The process's controlling terminal, opened for reading and writing.
pub struct Tty(File);

impl Tty {
    /// Opens `/dev/tty`; `None` when the process has no controlling
    /// terminal (CI, a daemon, `setsid`).
    pub fn open() -> Option<Tty> {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .ok()
            .map(Tty)
    }

    /// Shows `prompt` and reads one line without echoing it; `None` at end
    /// of input (Ctrl-D) or on an error. The line's newline is dropped.
    pub fn read_secret(&mut self, prompt: &str) -> Option<Zeroizing<String>> {
        let _ = write!(self.0, "{prompt}");
        let _ = self.0.flush();
        let echo = EchoOff::new(&self.0);
        let mut line = Zeroizing::new(String::new());
        let read = BufReader::new(&self.0).read_line(&mut line);
        drop(echo);
        // The user's Enter was not echoed: end the prompt's line.
        let _ = writeln!(self.0);
        match read {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                let trimmed = line.trim_end_matches(['\n', '\r']).len();
                line.truncate(trimmed);
                Some(line)
            }
        }
    }
}

/// Turns the terminal's echo off while it lives.
struct EchoOff {
    fd: i32,
    saved: Option<libc::termios>,
}

impl EchoOff {
    fn new(file: &File) -> EchoOff {
        let fd = file.as_raw_fd();
        // SAFETY: tcgetattr fills the termios struct passed to it, and
        // tcsetattr reads it; `fd` is an open terminal for their duration.
        let saved = unsafe {
            let mut term = std::mem::zeroed::<libc::termios>();
            if libc::tcgetattr(fd, &mut term) != 0 {
                None
            } else {
                let saved = term;
                term.c_lflag &= !(libc::ECHO | libc::ECHONL);
                term.c_lflag |= libc::ICANON;
                libc::tcsetattr(fd, libc::TCSANOW, &term);
                Some(saved)
            }
        };
        EchoOff { fd, saved }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            // SAFETY: restores the settings read in `new` on the same fd.
            unsafe {
                libc::tcsetattr(self.fd, libc::TCSANOW, saved);
            }
        }
    }
}
