// SPDX-License-Identifier: GPL-2.0 OR MIT
//! The system calls the bench needs and the standard library lacks: mount,
//! module loading, `I2C_RDWR`, the scheduling classes, absolute sleeps on
//! CLOCK_MONOTONIC, and reboot.
//!
//! Every `unsafe` block of the bench is in this module.

use std::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void, CString};
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

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
    fn mount(
        source: *const c_char,
        target: *const c_char,
        fstype: *const c_char,
        flags: c_ulong,
        data: *const c_void,
    ) -> c_int;
    fn syscall(number: c_long, ...) -> c_long;
    fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
    fn reboot(cmd: c_int) -> c_int;
    fn sync();
    fn clock_gettime(clock: c_int, ts: *mut Timespec) -> c_int;
    fn clock_nanosleep(
        clock: c_int,
        flags: c_int,
        ts: *const Timespec,
        rem: *mut Timespec,
    ) -> c_int;
    fn sched_setscheduler(pid: c_int, policy: c_int, param: *const SchedParam) -> c_int;
}

// The generic system call numbers (include/uapi/asm-generic/unistd.h).
const SYS_DELETE_MODULE: c_long = 106;
const SYS_FINIT_MODULE: c_long = 273;
const O_NONBLOCK: c_uint = 0o4000;
const RB_AUTOBOOT: c_int = 0x0123_4567;
const CLOCK_MONOTONIC: c_int = 1;
const TIMER_ABSTIME: c_int = 1;
const SCHED_FIFO: c_int = 1;
const SCHED_IDLE: c_int = 5;
const EINTR: c_int = 4;

// include/uapi/linux/i2c-dev.h, include/uapi/linux/i2c.h
const I2C_RDWR: c_ulong = 0x0707;
/// The message reads from the target (`I2C_M_RD`).
pub(crate) const I2C_M_RD: u16 = 0x0001;

fn cstr(s: &str) -> io::Result<CString> {
    CString::new(s).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

fn check(ret: c_long) -> io::Result<c_long> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// Mounts a pseudo file system of type `fstype` on `target`.
pub(crate) fn mount_fs(fstype: &str, target: &str) -> io::Result<()> {
    let fs = cstr(fstype)?;
    let dir = cstr(target)?;
    // SAFETY: all three strings are NUL-terminated and outlive the call;
    // a null data pointer is allowed.
    let ret = unsafe { mount(fs.as_ptr(), dir.as_ptr(), fs.as_ptr(), 0, std::ptr::null()) };
    check(ret.into()).map(drop)
}

/// Loads a module from an open file, as `insmod` does (`finit_module`).
pub(crate) fn finit_module(file: &File) -> io::Result<()> {
    let params = cstr("")?;
    // SAFETY: finit_module takes a file descriptor, a NUL-terminated
    // parameter string and flags; the descriptor and string are live.
    let ret = unsafe {
        syscall(
            SYS_FINIT_MODULE,
            c_long::from(file.as_raw_fd()),
            params.as_ptr(),
            0 as c_long,
        )
    };
    check(ret).map(drop)
}

/// Unloads a module by name, as `rmmod` does (`delete_module`).
pub(crate) fn delete_module(name: &str) -> io::Result<()> {
    let name = cstr(name)?;
    // SAFETY: delete_module takes a NUL-terminated name, live here, and
    // flags.
    let ret = unsafe { syscall(SYS_DELETE_MODULE, name.as_ptr(), c_long::from(O_NONBLOCK)) };
    check(ret).map(drop)
}

/// One message of an `I2C_RDWR` transfer (`struct i2c_msg`).
#[repr(C)]
struct I2cMsg {
    addr: u16,
    flags: u16,
    len: u16,
    buf: *mut u8,
}

/// The argument of `I2C_RDWR` (`struct i2c_rdwr_ioctl_data`).
#[repr(C)]
struct I2cRdwr {
    msgs: *mut I2cMsg,
    nmsgs: u32,
}

/// Runs one combined transfer to the target at `addr` on an i2c-dev file
/// (`I2C_RDWR`): messages of (flags, buffer), separated by repeated
/// STARTs, one STOP at the end.
pub(crate) fn i2c_rdwr(dev: &File, addr: u16, msgs: &mut [(u16, &mut [u8])]) -> io::Result<()> {
    let mut raw = Vec::with_capacity(msgs.len());
    for (flags, buf) in msgs.iter_mut() {
        raw.push(I2cMsg {
            addr,
            flags: *flags,
            len: u16::try_from(buf.len())
                .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?,
            buf: buf.as_mut_ptr(),
        });
    }
    let mut data = I2cRdwr {
        msgs: raw.as_mut_ptr(),
        nmsgs: u32::try_from(raw.len())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?,
    };
    // SAFETY: `data` points at `raw.len()` messages, each pointing at a
    // buffer of its `len` bytes borrowed mutably from `msgs`; all of them
    // live until the call returns, and the kernel writes only into the
    // buffers of read messages.
    let ret = unsafe { ioctl(dev.as_raw_fd(), I2C_RDWR, &mut data as *mut I2cRdwr) };
    check(ret.into()).map(drop)
}

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
    check(ret.into()).map(drop)
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

/// Flushes the file systems and reboots; with QEMU's -no-reboot the
/// machine exits. Returns only if the kernel refuses.
pub(crate) fn restart() -> io::Error {
    // SAFETY: sync and reboot take no pointers.
    unsafe {
        sync();
        reboot(RB_AUTOBOOT);
    }
    io::Error::last_os_error()
}
