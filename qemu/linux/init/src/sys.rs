// SPDX-License-Identifier: GPL-2.0 OR MIT
//! The system calls the init needs and the standard library lacks: mount,
//! module loading, the i2c-dev and RTC ioctls, and reboot.
//!
//! Every `unsafe` block of the init is in this module; the rest of the crate
//! sees safe functions that return `io::Result`.

use std::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void, CString};
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

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
}

// The generic system call numbers (include/uapi/asm-generic/unistd.h).
const SYS_DELETE_MODULE: c_long = 106;
const SYS_FINIT_MODULE: c_long = 273;
const O_NONBLOCK: c_uint = 0o4000;
const RB_AUTOBOOT: c_int = 0x0123_4567;

// include/uapi/linux/i2c-dev.h, include/uapi/linux/i2c.h
const I2C_SLAVE_FORCE: c_ulong = 0x0706;
const I2C_RDWR: c_ulong = 0x0707;
const I2C_SMBUS: c_ulong = 0x0720;
const I2C_SMBUS_READ: u8 = 1;
const I2C_SMBUS_BLOCK_DATA: u32 = 5;
/// The largest SMBus block, and the union's size: count, block, PEC.
const I2C_SMBUS_BLOCK_MAX: usize = 32;
/// The message reads from the target (`I2C_M_RD`).
pub(crate) const I2C_M_RD: u16 = 0x0001;
/// The message follows the previous one without a START (`I2C_M_NOSTART`).
pub(crate) const I2C_M_NOSTART: u16 = 0x4000;
/// The address byte's R/W bit is inverted (`I2C_M_REV_DIR_ADDR`).
pub(crate) const I2C_M_REV_DIR_ADDR: u16 = 0x2000;
/// A NACK from the target does not end the transfer (`I2C_M_IGNORE_NAK`).
pub(crate) const I2C_M_IGNORE_NAK: u16 = 0x1000;

// include/uapi/linux/rtc.h: _IOR('p', 0x09, struct rtc_time) and
// _IOW('p', 0x0a, struct rtc_time), with the generic _IOC layout.
const RTC_RD_TIME: c_ulong = (2 << 30) | (36 << 16) | (0x70 << 8) | 0x09;
const RTC_SET_TIME: c_ulong = (1 << 30) | (36 << 16) | (0x70 << 8) | 0x0a;

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

/// Loads a module from an open file with its parameters (`name=value`
/// words separated by spaces), as `insmod` does (`finit_module`).
pub(crate) fn finit_module(file: &File, params: &str) -> io::Result<()> {
    let params = cstr(params)?;
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

/// One message for [`i2c_rdwr`]: flags (`I2C_M_*`) and the buffer to send
/// or to fill.
pub(crate) struct Msg<'a> {
    pub(crate) flags: u16,
    pub(crate) buf: &'a mut [u8],
}

/// Runs one combined transfer on an i2c-dev file (`I2C_RDWR`): the
/// messages are separated by repeated STARTs, with one STOP at the end.
pub(crate) fn i2c_rdwr(dev: &File, addr: u16, msgs: &mut [Msg<'_>]) -> io::Result<()> {
    let mut to: Vec<(u16, Msg<'_>)> = msgs
        .iter_mut()
        .map(|m| {
            (
                addr,
                Msg {
                    flags: m.flags,
                    buf: &mut *m.buf,
                },
            )
        })
        .collect();
    i2c_rdwr_to(dev, &mut to)
}

/// Runs one combined transfer of messages each to its own address.
pub(crate) fn i2c_rdwr_to(dev: &File, msgs: &mut [(u16, Msg<'_>)]) -> io::Result<()> {
    let mut raw = Vec::with_capacity(msgs.len());
    for (addr, m) in msgs.iter_mut() {
        raw.push(I2cMsg {
            addr: *addr,
            flags: m.flags,
            len: u16::try_from(m.buf.len())
                .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?,
            buf: m.buf.as_mut_ptr(),
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

/// The argument of `I2C_SMBUS` (`struct i2c_smbus_ioctl_data`).
#[repr(C)]
struct SmbusIoctl {
    read_write: u8,
    command: u8,
    size: u32,
    data: *mut u8,
}

/// An SMBus block read (`I2C_SMBUS_BLOCK_DATA`) of `command` from the
/// target at `addr`, claimed with `I2C_SLAVE_FORCE` (a client driver may
/// own it): the count byte and the bytes it counts.
pub(crate) fn smbus_block_read(dev: &File, addr: u16, command: u8) -> io::Result<Vec<u8>> {
    // SAFETY: I2C_SLAVE_FORCE takes the address as an integer argument.
    let ret = unsafe { ioctl(dev.as_raw_fd(), I2C_SLAVE_FORCE, c_ulong::from(addr)) };
    check(ret.into())?;
    // union i2c_smbus_data: the count, I2C_SMBUS_BLOCK_MAX bytes, a PEC.
    let mut block = [0u8; I2C_SMBUS_BLOCK_MAX + 2];
    let mut data = SmbusIoctl {
        read_write: I2C_SMBUS_READ,
        command,
        size: I2C_SMBUS_BLOCK_DATA,
        data: block.as_mut_ptr(),
    };
    // SAFETY: `data` points at `block`, as large as union i2c_smbus_data,
    // which the kernel fills; both live until the call returns.
    let ret = unsafe { ioctl(dev.as_raw_fd(), I2C_SMBUS, &mut data as *mut SmbusIoctl) };
    check(ret.into())?;
    let count = usize::from(block[0]).min(I2C_SMBUS_BLOCK_MAX);
    Ok(block[..=count].to_vec())
}

/// `struct rtc_time`: the broken-down time of the RTC ioctls.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RtcTime {
    pub(crate) sec: c_int,
    pub(crate) min: c_int,
    pub(crate) hour: c_int,
    pub(crate) mday: c_int,
    pub(crate) mon: c_int,
    pub(crate) year: c_int,
    pub(crate) wday: c_int,
    pub(crate) yday: c_int,
    pub(crate) isdst: c_int,
}

/// Sets the RTC (`RTC_SET_TIME`).
pub(crate) fn rtc_set(dev: &File, time: &RtcTime) -> io::Result<()> {
    // SAFETY: RTC_SET_TIME reads one struct rtc_time, which `time` is.
    let ret = unsafe { ioctl(dev.as_raw_fd(), RTC_SET_TIME, time as *const RtcTime) };
    check(ret.into()).map(drop)
}

/// Reads the RTC (`RTC_RD_TIME`).
pub(crate) fn rtc_read(dev: &File) -> io::Result<RtcTime> {
    let mut time = RtcTime::default();
    // SAFETY: RTC_RD_TIME writes one struct rtc_time, which `time` is.
    let ret = unsafe { ioctl(dev.as_raw_fd(), RTC_RD_TIME, &mut time as *mut RtcTime) };
    check(ret.into()).map(|_| time)
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
