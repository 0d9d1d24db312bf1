//! Checkpoints of a file store's write-ahead log, off the save path.
//!
//! In WAL mode a commit appends the transaction's pages to the log and flushes the log once:
//! that one flush is what makes a save durable. SQLite's automatic checkpoint would then, every
//! thousand pages or so, copy the log into the database file and flush that too, inside
//! whichever save crossed the threshold, which made that save several times slower than the
//! rest. A file store opened for writing turns the automatic checkpoint off and runs a passive
//! checkpoint from a thread of its own, on a connection of its own, once a second: it copies
//! what is committed without waiting for or blocking a writer. When the store is dropped the
//! thread stops; the last connection to close checkpoints what is left, as SQLite always does.
//! Where no thread can be started the automatic checkpoint stays on, as before.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// How often the log is copied into the database file.
const INTERVAL: Duration = Duration::from_secs(1);

/// The running checkpoint thread; dropping it stops the thread and waits for it.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing `path` and turns `conn`'s automatic checkpoint off; `None` (and the
    /// automatic checkpoint left on) when the thread cannot be started.
    pub(crate) fn start(conn: &Connection, path: &Path) -> Option<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("ehr-sim-checkpoint".to_string())
            .spawn(move || {
                let mut own: Option<Connection> = None;
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                    if own.is_none() {
                        own = open(&path);
                    }
                    if let Some(c) = &own {
                        // A failed checkpoint (the file busy, or gone) is tried again next time;
                        // the log keeps every commit meanwhile.
                        let _ = c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    }
                }
            })
            .ok()?;
        if conn.pragma_update(None, "wal_autocheckpoint", 0).is_err() {
            drop(stop);
            let _ = thread.join();
            return None;
        }
        Some(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// The thread's own connection: the existing file only, flushed as the store's is.
fn open(path: &Path) -> Option<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    conn.pragma_update(None, "synchronous", "FULL").ok()?;
    Some(conn)
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
