// SPDX-License-Identifier: GPL-2.0 OR MIT
//! The system calls only the bench needs, beside the init's (`sys`): the
//! scheduling classes and absolute sleeps on CLOCK_MONOTONIC.
//!
//! With `sys`, this module holds every `unsafe` block of the bench.

use std::ffi::c_int;
use std::io;

/// `struct timespec` of riscv64 Linux.
#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

/// `struct sched_param`.
#[repr(C)]
struct SchedParam {
    priority: c_int,
}

extern "C" {
    fn clock_gettime(clock: c_int, ts: *mut Timespec) -> c_int;
    fn clock_nanosleep(
        clock: c_int,
        flags: c_int,
        ts: *const Timespec,
        rem: *mut Timespec,
    ) -> c_int;
    fn sched_setscheduler(pid: c_int, policy: c_int, param: *const SchedParam) -> c_int;
}

const CLOCK_MONOTONIC: c_int = 1;
const TIMER_ABSTIME: c_int = 1;
const SCHED_FIFO: c_int = 1;
const SCHED_IDLE: c_int = 5;
const EINTR: c_int = 4;

/// CLOCK_MONOTONIC, in nanoseconds.
pub(crate) fn monotonic_ns() -> u64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one struct timespec, which `ts` is.
    unsafe { clock_gettime(CLOCK_MONOTONIC, &mut ts) };
    (ts.sec as u64) * 1_000_000_000 + ts.nsec as u64
}

/// Sleeps until CLOCK_MONOTONIC reads `ns` (an absolute deadline).
pub(crate) fn sleep_until_ns(ns: u64) -> io::Result<()> {
    let ts = Timespec {
        sec: (ns / 1_000_000_000) as i64,
        nsec: (ns % 1_000_000_000) as i64,
    };
    loop {
        // SAFETY: clock_nanosleep reads `ts`, live here; with
        // TIMER_ABSTIME it writes no remainder, so a null pointer is fine.
        let ret =
            unsafe { clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, std::ptr::null_mut()) };
        match ret {
            0 => return Ok(()),
            EINTR => continue,
            e => return Err(io::Error::from_raw_os_error(e)),
        }
    }
}

fn set_scheduler(policy: c_int, priority: c_int) -> io::Result<()> {
    let param = SchedParam { priority };
    // SAFETY: sched_setscheduler reads one struct sched_param, live here;
    // pid 0 is the calling thread.
    let ret = unsafe { sched_setscheduler(0, policy, &param) };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Makes the calling thread SCHED_FIFO at `priority`.
pub(crate) fn set_fifo_priority(priority: c_int) -> io::Result<()> {
    set_scheduler(SCHED_FIFO, priority)
}

/// Makes the calling thread SCHED_IDLE: it runs only when nothing else
/// wants the CPU.
pub(crate) fn set_idle_priority() -> io::Result<()> {
    set_scheduler(SCHED_IDLE, 0)
}
