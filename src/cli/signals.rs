//! SIGINT and SIGTERM during a writer run (`index`, `reindex`, and the
//! first `search` that builds its index): instead of dying with the run's
//! half-written segments and `.NAME.new-PID` folder left on disk, the
//! process sets the flag the library's pipeline checks
//! ([`byline::IndexOptions::stop`]); the run rolls back, removes what it
//! wrote, and the command exits with 128 + the signal's number, as a shell
//! reports a process the signal killed. A second signal kills at once (the
//! next writer run removes what that leaves). Other commands keep the
//! default handling: a search has nothing to clean up. `quickwit push`
//! watches too: it ends after the request in flight, so that its ledger
//! holds all the node acknowledged.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::flag;

/// The flag a signal sets, and which signal set it.
pub struct Watch {
    stop: Arc<AtomicBool>,
    which: Arc<AtomicUsize>,
}

impl Watch {
    /// Starts watching for SIGINT and SIGTERM. When the handlers cannot be
    /// installed, the signals keep their default action (the run dies, and
    /// the next writer run cleans up after it).
    pub fn start() -> Watch {
        let watch = Watch {
            stop: Arc::new(AtomicBool::new(false)),
            which: Arc::new(AtomicUsize::new(0)),
        };
        for signal in [SIGINT, SIGTERM] {
            // The default action on a second signal: registered before the
            // flag, so the first signal only sets it.
            let _ = flag::register_conditional_default(signal, Arc::clone(&watch.stop));
            let _ = flag::register_usize(signal, Arc::clone(&watch.which), signal as usize);
            let _ = flag::register(signal, Arc::clone(&watch.stop));
        }
        watch
    }

    /// The flag for [`byline::IndexOptions::stop`].
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// The signal that set the flag, by name, and the exit code it calls
    /// for (128 + its number), for a run that stops cleanly on it.
    pub fn signal(&self) -> (&'static str, i32) {
        let signal = self.which.load(Ordering::Relaxed) as i32;
        match signal {
            SIGINT => ("SIGINT", 128 + signal),
            SIGTERM => ("SIGTERM", 128 + signal),
            _ => ("a signal", 2),
        }
    }

    /// What a run that failed with `err` exits with, when a signal stopped
    /// it: said on standard error, then 128 + the signal's number.
    pub fn stopped(&self, err: &anyhow::Error) -> Option<i32> {
        let stopped = err
            .chain()
            .any(|e| matches!(e.downcast_ref(), Some(byline::Error::Stopped { .. })));
        if !stopped {
            return None;
        }
        let signal = self.which.load(Ordering::Relaxed) as i32;
        let name = match signal {
            SIGINT => "SIGINT",
            SIGTERM => "SIGTERM",
            _ => "a signal",
        };
        let why = err
            .chain()
            .find_map(|e| e.downcast_ref::<byline::Error>())
            .map(|e| e.to_string())
            .unwrap_or_default();
        eprintln!("byline: interrupted by {name}: {why}; what the run wrote was removed");
        Some(if signal > 0 { 128 + signal } else { 2 })
    }
}
