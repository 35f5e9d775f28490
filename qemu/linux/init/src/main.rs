// SPDX-License-Identifier: GPL-2.0 OR MIT
//! The init of the Linux boot tests (scripts/linux-test).
//!
//! It runs as PID 1 from the initramfs, reads its scenario from the kernel
//! command line, drives the I2C bus driver under test through the kernel's
//! real client drivers and through i2c-dev, and writes one line per result
//! to /dev/kmsg (the kernel must run with `printk.devkmsg=on`), each
//! starting with `i2ctest: `. Then it reboots, which ends QEMU when it runs
//! with -no-reboot.
//!
//! Command line:
//!
//! - `i2ctest.module=NAME`: the bus driver, loaded from /modules/NAME.ko (the
//!   signed copy) and /modules/NAME.unsigned.ko;
//! - `i2ctest.steps=STEP,...`: what to do, in order: `unsigned` (loading the
//!   unsigned copy must fail), `load`, `clients` (EEPROM, sensor and RTC
//!   through at24, lm75 and rtc-ds1307), `dev` (scan, write-then-read and an
//!   absent address through /dev/i2c-N), `fault:PROPERTY=VALUE` (the host
//!   sets a fault property of the model, then a transfer and the next one),
//!   `counts` (the host reads the model's access counters around a 16-byte
//!   write and a 16-byte read), `shapes` (the message lists of I2C_RDWR and
//!   an SMBus block read, each followed by a request for its bus events),
//!   `pm` (suspend to idle with pm_test, idle and under another thread's
//!   transfers), `unbind` (unbind and bind through sysfs under another
//!   thread's transfers), `recover` (i2c_recover_bus() through the test
//!   module, on an idle bus and on a busy one), `atomic` (the test module's
//!   transfer with interrupts off when the init reboots), `panic:ENTRY`
//!   (the test build of sifive_i2c panicking in that entry point), `unload`;
//!   the concurrency run's (src/stress.rs) and the load run's
//!   (qemu/linux/soak/guest.rs).
//!
//! A line `i2ctest: sync WORDS` asks the host to act (`qom-set PROPERTY
//! VALUE`, `counters LABEL`, `wire STEP`); the init then waits for a line on
//! the console.
//! Result lines are `i2ctest: STEP STATUS [DATA]`, STATUS being `ok` or the
//! errno's name, so that two runs compare line by line.

// The load run of scripts/linux-soak: its steps live with its host side.
#[path = "../../soak/guest.rs"]
mod soak;
mod stress;
mod sys;

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::thread::{self, sleep};
use std::time::{Duration, Instant};

use sys::{Msg, RtcTime, I2C_M_IGNORE_NAK, I2C_M_NOSTART, I2C_M_RD, I2C_M_REV_DIR_ADDR};

/// The targets of the emulated board (qemu/model, sifive_u).
const EEPROM: u16 = 0x50;
const SENSOR: u16 = 0x48;
const RTC: u16 = 0x68;
/// An address nothing answers.
const ABSENT: u16 = 0x2a;
/// The Device ID address (a reserved 7-bit address; no target here).
const DEVICE_ID: u16 = 0x7c;
/// Where the host puts an SMBus block in the EEPROM: a count, then bytes.
const BLOCK_AT: u8 = 0xa0;
/// The 24c02's size: the at24 `eeprom` file has this many bytes.
const EEPROM_SIZE: usize = 256;
/// How long a device file may take to appear after the module loads.
const APPEAR: Duration = Duration::from_secs(5);

/// How long the init waits after the host's answer.
const SETTLE: Duration = Duration::from_millis(50);

/// Where the results go: /dev/kmsg, one record per line.
struct Log {
    kmsg: Option<File>,
}

impl Log {
    fn line(&mut self, text: &str) {
        let line = format!("i2ctest: {text}\n");
        let written = match self.kmsg.as_mut() {
            Some(k) => k.write_all(line.as_bytes()).is_ok(),
            None => false,
        };
        if !written {
            // Without /dev/kmsg the console is the only way out.
            print!("{line}");
        }
    }

    fn result<T>(&mut self, step: &str, r: &io::Result<T>, data: &str) {
        match r {
            Ok(_) if data.is_empty() => self.line(&format!("{step} ok")),
            Ok(_) => self.line(&format!("{step} ok {data}")),
            Err(e) => self.line(&format!("{step} {}", errno_name(e))),
        }
    }

    /// Asks the host to log the bus events (the model's trace) since the
    /// last such request as those of `step`.
    fn wire(&mut self, step: &str) {
        if let Err(e) = self.sync(&format!("wire {step}")) {
            self.result::<()>("wire_sync", &Err(e), "");
        }
    }

    /// Asks the host to act and waits for its answer on the console.
    fn sync(&mut self, request: &str) -> io::Result<()> {
        self.line(&format!("sync {request}"));
        let mut answer = String::new();
        if io::stdin().lock().read_line(&mut answer)? == 0 {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
        }
        // Let the console finish with the answer (its echo, the UART's
        // interrupts) before what follows, which the host may be counting.
        sleep(SETTLE);
        Ok(())
    }
}

/// The errno's name as the kernel's headers spell it.
fn errno_name(e: &io::Error) -> String {
    let Some(n) = e.raw_os_error() else {
        return format!("ERROR({e})");
    };
    let name = match n {
        1 => "EPERM",
        2 => "ENOENT",
        5 => "EIO",
        6 => "ENXIO",
        8 => "ENOEXEC",
        11 => "EAGAIN",
        14 => "EFAULT",
        16 => "EBUSY",
        17 => "EEXIST",
        19 => "ENODEV",
        22 => "EINVAL",
        61 => "ENODATA",
        71 => "EPROTO",
        74 => "EBADMSG",
        95 => "EOPNOTSUPP",
        108 => "ESHUTDOWN",
        110 => "ETIMEDOUT",
        121 => "EREMOTEIO",
        126 => "ENOKEY",
        129 => "EKEYREJECTED",
        _ => return format!("E{n}"),
    };
    name.to_string()
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The bytes the tests write: distinct, none 0x00 or 0xff, which an erased
/// or missing EEPROM would give.
fn pattern(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(0x1d).wrapping_add(seed) | 0x01)
        .map(|b| if b == 0xff { 0x7f } else { b })
        .collect()
}

fn wait_for(path: &Path) -> io::Result<()> {
    let start = Instant::now();
    while !path.exists() {
        if start.elapsed() > APPEAR {
            return Err(io::Error::from_raw_os_error(2));
        }
        sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// The scenario from /proc/cmdline.
struct Scenario {
    module: String,
    steps: Vec<String>,
}

fn scenario() -> io::Result<Scenario> {
    let cmdline = fs::read_to_string("/proc/cmdline")?;
    let mut module = None;
    let mut steps = Vec::new();
    for word in cmdline.split_whitespace() {
        if let Some(m) = word.strip_prefix("i2ctest.module=") {
            module = Some(m.to_string());
        } else if let Some(s) = word.strip_prefix("i2ctest.steps=") {
            steps.extend(s.split(',').map(str::to_string));
        }
    }
    let module = module.ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
    Ok(Scenario { module, steps })
}

/// The bus driver under test and the adapter it registers.
struct Bus {
    module: String,
    adapter: Option<u32>,
}

impl Bus {
    fn load(&self, file: &str) -> io::Result<()> {
        load_module(file, "")
    }

    /// The adapter's number, from the EEPROM client the device tree gives.
    fn find_adapter(&mut self) -> io::Result<u32> {
        let start = Instant::now();
        loop {
            for entry in fs::read_dir("/sys/bus/i2c/devices")? {
                let name = entry?.file_name();
                let name = name.to_string_lossy();
                if let Some(n) = name.strip_suffix(&format!("-{EEPROM:04x}")) {
                    if let Ok(n) = n.parse() {
                        self.adapter = Some(n);
                        return Ok(n);
                    }
                }
            }
            if start.elapsed() > APPEAR {
                return Err(io::Error::from_raw_os_error(19));
            }
            sleep(Duration::from_millis(10));
        }
    }

    fn client(&self, addr: u16) -> PathBuf {
        PathBuf::from(format!(
            "/sys/bus/i2c/devices/{}-{addr:04x}",
            self.adapter.unwrap_or(0)
        ))
    }

    fn dev(&self) -> io::Result<File> {
        let path = PathBuf::from(format!("/dev/i2c-{}", self.adapter.unwrap_or(0)));
        wait_for(&path)?;
        OpenOptions::new().read(true).write(true).open(path)
    }
}

fn load_module(file: &str, params: &str) -> io::Result<()> {
    let f = File::open(format!("/modules/{file}"))?;
    sys::finit_module_with(&f, params)
}

/// Reads `len` bytes of the target at `addr` from register (or word
/// address) `reg` with one combined transfer: `reg` written, a repeated
/// START, the bytes read.
fn wr_rd(dev: &File, addr: u16, reg: u8, len: usize) -> io::Result<Vec<u8>> {
    let mut word = [reg];
    let mut data = vec![0; len];
    sys::i2c_rdwr(
        dev,
        addr,
        &mut [
            Msg {
                flags: 0,
                buf: &mut word,
            },
            Msg {
                flags: I2C_M_RD,
                buf: &mut data,
            },
        ],
    )?;
    Ok(data)
}

/// One message of `flags` to the target at `addr`, alone in its transfer.
fn xfer(dev: &File, addr: u16, flags: u16, buf: &mut [u8]) -> io::Result<()> {
    sys::i2c_rdwr(dev, addr, &mut [Msg { flags, buf }])
}

/// The bus's /dev/i2c-N, or None once the failure to open it is logged.
fn open_dev(log: &mut Log, bus: &Bus) -> Option<File> {
    match bus.dev() {
        Ok(d) => Some(d),
        Err(e) => {
            log.result::<()>("dev_open", &Err(e), "");
            None
        }
    }
}

/// The at24, lm75 (tmp105) and rtc-ds1307 drivers on the bus.
fn clients(log: &mut Log, bus: &Bus) {
    let eeprom = bus.client(EEPROM).join("eeprom");
    let r = wait_for(&eeprom).and_then(|()| fs::read(&eeprom));
    match &r {
        Ok(data) if data.len() == EEPROM_SIZE => {
            for (i, chunk) in data.chunks(64).enumerate() {
                log.line(&format!("eeprom_read_{:02x} ok {}", i * 64, hex(chunk)));
            }
        }
        Ok(data) => log.line(&format!("eeprom_read size {}", data.len())),
        Err(_) => log.result("eeprom_read", &r, ""),
    }

    let offset = 0x40;
    let bytes = pattern(0x5b, 16);
    let r = OpenOptions::new()
        .write(true)
        .open(&eeprom)
        .and_then(|mut f| {
            f.seek(SeekFrom::Start(offset))?;
            f.write_all(&bytes)
        });
    log.result("eeprom_write", &r, &format!("{offset:02x} {}", hex(&bytes)));
    let r = File::open(&eeprom).and_then(|mut f| {
        f.seek(SeekFrom::Start(offset))?;
        let mut back = vec![0; bytes.len()];
        f.read_exact(&mut back)?;
        Ok(back)
    });
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("eeprom_readback", &r, &format!("{offset:02x} {data}"));

    let r = fs::read_dir(bus.client(SENSOR).join("hwmon")).and_then(|mut dirs| {
        let dir = dirs
            .next()
            .ok_or_else(|| io::Error::from_raw_os_error(19))??;
        fs::read_to_string(dir.path().join("temp1_input"))
    });
    let data = r.as_ref().map(|t| t.trim().to_string()).unwrap_or_default();
    log.result("sensor_temp1_input", &r, &data);

    // 2026-01-02 03:04:05, a Friday.
    let set = RtcTime {
        sec: 5,
        min: 4,
        hour: 3,
        mday: 2,
        mon: 0,
        year: 126,
        wday: 5,
        ..RtcTime::default()
    };
    let rtc = wait_for(Path::new("/dev/rtc0")).and_then(|()| File::open("/dev/rtc0"));
    let r = rtc.and_then(|f| sys::rtc_set(&f, &set).map(|()| f));
    log.result("rtc_set", &r, &rtc_string(&set));
    let r = r.and_then(|f| sys::rtc_read(&f));
    let data = r.as_ref().map(rtc_string).unwrap_or_default();
    log.result("rtc_read", &r, &data);
}

fn rtc_string(t: &RtcTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year + 1900,
        t.mon + 1,
        t.mday,
        t.hour,
        t.min,
        t.sec
    )
}

/// The bus through i2c-dev: a scan, a write-then-read, an absent target.
fn dev(log: &mut Log, bus: &Bus) {
    let Some(dev) = open_dev(log, bus) else {
        return;
    };
    let mut present = Vec::new();
    let mut absent: Vec<String> = Vec::new();
    for addr in 0x08..=0x77u16 {
        match xfer(&dev, addr, I2C_M_RD, &mut [0]) {
            Ok(()) => present.push(format!("{addr:02x}")),
            Err(e) => {
                let name = errno_name(&e);
                if !absent.contains(&name) {
                    absent.push(name);
                }
            }
        }
    }
    log.line(&format!("scan_present ok {}", present.join(",")));
    log.line(&format!("scan_absent {}", absent.join("+")));

    let r = wr_rd(&dev, EEPROM, 0x00, 16);
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("wr_rd_eeprom", &r, &format!("00 {data}"));

    // The sensor's temperature register and the RTC's clock registers.
    for (step, addr, reg, len) in [("wr_rd_sensor", SENSOR, 0u8, 2), ("wr_rd_rtc", RTC, 0, 8)] {
        let r = wr_rd(&dev, addr, reg, len);
        let shown = r.as_ref().map(|b| hex(b)).unwrap_or_default();
        log.result(step, &r, &shown);
    }

    let r = xfer(&dev, ABSENT, I2C_M_RD, &mut [0]);
    log.result("absent_read", &r, "");
    let r = xfer(&dev, ABSENT, 0, &mut [0x00]);
    log.result("absent_write", &r, "");
}

/// A fault the host injects through the model's PROPERTY: the transfer it
/// hits, how long that took, and the transfer after it.
fn fault(log: &mut Log, bus: &Bus, spec: &str) {
    let Some((prop, value)) = spec.split_once('=') else {
        log.line(&format!("fault bad-spec {spec}"));
        return;
    };
    let Some(dev) = open_dev(log, bus) else {
        return;
    };
    if let Err(e) = log.sync(&format!("qom-set {prop} {value}")) {
        log.result::<()>("fault_sync", &Err(e), "");
        return;
    }
    let start = Instant::now();
    let r = wr_rd(&dev, EEPROM, 0x00, 16);
    let ms = start.elapsed().as_millis();
    log.result("fault_xfer", &r, "");
    log.line(&format!("fault_time ok {ms}"));
    let r = wr_rd(&dev, EEPROM, 0x00, 16);
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("fault_next", &r, &format!("00 {data}"));
}

/// The model's access counters around a 16-byte write and a 16-byte read
/// of the EEPROM through i2c-dev (one combined transfer each).
fn counts(log: &mut Log, bus: &Bus) {
    let Some(dev) = open_dev(log, bus) else {
        return;
    };
    let offset = 0x60;
    let mut msg = vec![offset];
    msg.extend(pattern(0x33, 16));
    let data = hex(&msg[1..]);
    let mut r = log.sync("counters write16-begin");
    if r.is_ok() {
        r = xfer(&dev, EEPROM, 0, &mut msg);
    }
    let r = r.and_then(|()| log.sync("counters write16-end"));
    log.result("counts_write16", &r, &format!("{offset:02x} {data}"));

    let r = log
        .sync("counters read16-begin")
        .and_then(|()| wr_rd(&dev, EEPROM, offset, 16))
        .and_then(|b| log.sync("counters read16-end").map(|()| b));
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("counts_read16", &r, &format!("{offset:02x} {data}"));
}

/// A message to its own address, for [`sys::i2c_rdwr_to`].
fn to(addr: u16, flags: u16, buf: &mut [u8]) -> (u16, Msg<'_>) {
    (addr, Msg { flags, buf })
}

/// The message lists upstream's i2c-ocores runs, through i2c-dev, each
/// followed by a request for its bus events. The host checks the bytes on
/// the targets and on the wire (qemu/linux/check.py).
fn shapes(log: &mut Log, bus: &Bus) {
    let Some(dev) = open_dev(log, bus) else {
        return;
    };
    log.wire("-");

    // Two writes, the second after a repeated START: two EEPROM writes.
    let mut a = vec![0x80];
    a.extend(pattern(0x21, 4));
    let mut b = vec![0x90];
    b.extend(pattern(0x43, 4));
    let data = format!("80 {} 90 {}", hex(&a[1..]), hex(&b[1..]));
    let r = sys::i2c_rdwr_to(&dev, &mut [to(EEPROM, 0, &mut a), to(EEPROM, 0, &mut b)]);
    log.result("shape_wr_wr", &r, &data);
    log.wire("shape_wr_wr");

    // A write, then the rest of its bytes with I2C_M_NOSTART.
    let mut a = vec![0x98];
    a.extend(pattern(0x65, 2));
    let mut b = pattern(0x87, 2);
    let data = format!("98 {}{}", hex(&a[1..]), hex(&b));
    let r = sys::i2c_rdwr_to(
        &dev,
        &mut [to(EEPROM, 0, &mut a), to(EEPROM, I2C_M_NOSTART, &mut b)],
    );
    log.result("shape_nostart", &r, &data);
    log.wire("shape_nostart");

    // A write to the EEPROM, then a read from the sensor.
    let mut word = [0x05];
    let mut temp = [0; 2];
    let r = sys::i2c_rdwr_to(
        &dev,
        &mut [to(EEPROM, 0, &mut word), to(SENSOR, I2C_M_RD, &mut temp)],
    );
    let data = if r.is_ok() { hex(&temp) } else { String::new() };
    log.result("shape_wr_other_rd", &r, &data);
    log.wire("shape_wr_other_rd");

    // 42 messages (i2c-dev's most): 21 times a word address and a byte.
    let mut words: Vec<[u8; 1]> = (0..21u8).map(|i| [i]).collect();
    let mut bytes = [[0u8; 1]; 21];
    let mut msgs = Vec::with_capacity(42);
    for (w, b) in words.iter_mut().zip(bytes.iter_mut()) {
        msgs.push(to(EEPROM, 0, w));
        msgs.push(to(EEPROM, I2C_M_RD, b));
    }
    let r = sys::i2c_rdwr_to(&dev, &mut msgs);
    drop(msgs);
    let data = if r.is_ok() {
        format!("00 {}", hex(&bytes.concat()))
    } else {
        String::new()
    };
    log.result("shape_42", &r, &data);
    log.wire("shape_42");

    // I2C_M_IGNORE_NAK: two bytes to an address nothing answers.
    let mut buf = [0x11, 0x22];
    let r = sys::i2c_rdwr_to(&dev, &mut [to(ABSENT, I2C_M_IGNORE_NAK, &mut buf)]);
    log.result("shape_ignore_nak", &r, "");
    log.wire("shape_ignore_nak");

    // A Device ID read (the EEPROM's address, then three bytes) at the
    // reserved address 0x7C, where nothing answers.
    let mut target = [(EEPROM << 1) as u8];
    let mut id = [0; 3];
    let r = sys::i2c_rdwr_to(
        &dev,
        &mut [
            to(DEVICE_ID, 0, &mut target),
            to(DEVICE_ID, I2C_M_RD, &mut id),
        ],
    );
    log.result("shape_device_id", &r, "");
    log.wire("shape_device_id");

    // I2C_M_REV_DIR_ADDR on a one-byte read after a word address: the
    // address byte goes out with the write bit.
    let mut word = [0x05];
    let mut byte = [0];
    let r = sys::i2c_rdwr_to(
        &dev,
        &mut [
            to(EEPROM, 0, &mut word),
            to(EEPROM, I2C_M_RD | I2C_M_REV_DIR_ADDR, &mut byte),
        ],
    );
    let data = if r.is_ok() { hex(&byte) } else { String::new() };
    log.result("shape_rev_dir", &r, &data);
    log.wire("shape_rev_dir");

    // An SMBus block read (I2C_M_RECV_LEN) of the block the host put in
    // the EEPROM.
    let r = sys::smbus_block_read(&dev, EEPROM, BLOCK_AT);
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("smbus_block", &r, &format!("{BLOCK_AT:02x} {data}"));
    log.wire("smbus_block");

    // The bus after them: a 16-byte read of the EEPROM's start.
    let r = wr_rd(&dev, EEPROM, 0x00, 16);
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("shapes_next", &r, &format!("00 {data}"));
    log.wire("shapes_next");
}

fn write_file(path: &str, text: &str) -> io::Result<()> {
    OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
}

/// Suspend to idle up to pm_test's LEVEL (`devices`: the normal phase of
/// the devices' callbacks; `platform`: their late and noirq phases too).
fn suspend(level: &str) -> io::Result<()> {
    write_file("/sys/power/pm_test", level)?;
    write_file("/sys/power/state", "freeze")
}

/// Transfers in a loop on their own thread: the EEPROM's first 16 bytes
/// through a fresh open of /dev/i2c-N each time, compared with `want`,
/// until `stop` (or, unless `keep_going`, the first failure).
struct Loop {
    stop: Arc<AtomicBool>,
    /// The transfers that gave `want` so far.
    ok: Arc<AtomicU32>,
    handle: thread::JoinHandle<LoopResult>,
}

/// What a [`Loop`] saw: transfers that gave `want`, those that gave other
/// bytes, the errnos in the order they first came, and the result of one
/// more attempt once told to stop (`keep_going` only).
#[derive(Default)]
struct LoopResult {
    ok: u32,
    bad: u32,
    errors: Vec<String>,
    last: Option<io::Result<Vec<u8>>>,
}

impl Loop {
    fn start(bus: &Bus, want: Vec<u8>, keep_going: bool) -> Loop {
        let path = PathBuf::from(format!("/dev/i2c-{}", bus.adapter.unwrap_or(0)));
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let ok = Arc::new(AtomicU32::new(0));
        let count = ok.clone();
        let attempt = move || {
            OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .and_then(|dev| wr_rd(&dev, EEPROM, 0x00, 16))
        };
        let handle = thread::spawn(move || {
            let mut res = LoopResult::default();
            let mut tries = 0u32;
            while !flag.load(Ordering::Relaxed) && tries < 100_000 {
                tries += 1;
                match attempt() {
                    Ok(data) if data == want => {
                        res.ok += 1;
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) => res.bad += 1,
                    Err(e) => {
                        let name = errno_name(&e);
                        if !res.errors.contains(&name) {
                            res.errors.push(name);
                        }
                        if !keep_going {
                            return res;
                        }
                    }
                }
            }
            if keep_going {
                res.last = Some(attempt());
            }
            res
        });
        Loop { stop, ok, handle }
    }

    /// Waits until `n` more transfers have given `want` (at most 5 s).
    fn wait_more(&self, n: u32) -> bool {
        let from = self.ok.load(Ordering::Relaxed);
        let start = Instant::now();
        while self.ok.load(Ordering::Relaxed) < from + n {
            if start.elapsed() > APPEAR || self.handle.is_finished() {
                return false;
            }
            sleep(Duration::from_millis(10));
        }
        true
    }

    fn finish(self) -> LoopResult {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap_or_else(|_| LoopResult {
            errors: vec!["panicked".to_string()],
            ..LoopResult::default()
        })
    }
}

/// Suspend and resume, idle and while another thread runs transfers; a
/// transfer after each.
fn pm(log: &mut Log, bus: &Bus) {
    let r = write_file("/sys/module/suspend/parameters/pm_test_delay", "0");
    log.result("pm_test_delay", &r, "");
    let Some(dev) = open_dev(log, bus) else {
        return;
    };
    for level in ["devices", "platform"] {
        let r = suspend(level);
        log.result(&format!("pm_idle_{level}"), &r, "");
        let r = wr_rd(&dev, EEPROM, 0x00, 16);
        let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
        log.result(&format!("pm_after_{level}"), &r, &format!("00 {data}"));
    }
    drop(dev);
    let want = match bus.dev().and_then(|d| wr_rd(&d, EEPROM, 0x00, 16)) {
        Ok(w) => w,
        Err(e) => {
            log.result::<()>("pm_busy", &Err(e), "");
            return;
        }
    };
    let busy = Loop::start(bus, want, false);
    let before = busy.wait_more(3);
    let r = suspend("platform");
    log.result("pm_busy_suspend", &r, "");
    // The other thread's transfers go on after the resume.
    let after = busy.wait_more(3);
    log.line(&format!(
        "pm_busy_around {}",
        if before && after { "ok" } else { "stalled" }
    ));
    let res = busy.finish();
    log.line(&format!("pm_busy_count ok {}", res.ok));
    match res.errors.first() {
        Some(e) => log.line(&format!("pm_busy {e}")),
        None if res.bad > 0 => log.line(&format!("pm_busy mismatch {}", res.bad)),
        None => log.line("pm_busy ok"),
    }
}

/// The platform device of the adapter and the name of its driver.
fn platform_device(bus: &Bus) -> io::Result<(String, String)> {
    let adapter = fs::canonicalize(format!(
        "/sys/bus/i2c/devices/i2c-{}",
        bus.adapter.unwrap_or(0)
    ))?;
    let device = adapter
        .parent()
        .ok_or_else(|| io::Error::from_raw_os_error(19))?;
    let driver = fs::read_link(device.join("driver"))?;
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    match (name(device), name(&driver)) {
        (Some(d), Some(drv)) => Ok((d, drv)),
        _ => Err(io::Error::from_raw_os_error(19)),
    }
}

/// The driver unbound through sysfs while another thread runs transfers,
/// then bound again.
fn unbind(log: &mut Log, bus: &mut Bus) {
    let (device, driver) = match platform_device(bus) {
        Ok(x) => x,
        Err(e) => {
            log.result::<()>("unbind_device", &Err(e), "");
            return;
        }
    };
    let want = match bus.dev().and_then(|d| wr_rd(&d, EEPROM, 0x00, 16)) {
        Ok(w) => w,
        Err(e) => {
            log.result::<()>("unbind_other", &Err(e), "");
            return;
        }
    };
    let busy = Loop::start(bus, want, true);
    busy.wait_more(3);
    let dir = format!("/sys/bus/platform/drivers/{driver}");
    let r = write_file(&format!("{dir}/unbind"), &device);
    log.result("unbind", &r, "");
    let res = busy.finish();
    // While the unbind runs, an open finds the node or the adapter gone,
    // whichever the race gives: ENOENT or ENODEV, no other error.
    log.line(&format!(
        "unbind_other_count ok {} {}",
        res.ok,
        res.errors.join("+")
    ));
    let unexpected: Vec<&String> = res
        .errors
        .iter()
        .filter(|e| !matches!(e.as_str(), "ENOENT" | "ENODEV"))
        .collect();
    match unexpected.first() {
        Some(e) => log.line(&format!("unbind_other_race {e}")),
        None if res.bad > 0 => log.line(&format!("unbind_other_race mismatch {}", res.bad)),
        None => log.line("unbind_other_race ok"),
    }
    // Once it has returned, the node is gone.
    let last = res
        .last
        .unwrap_or_else(|| Err(io::Error::from_raw_os_error(5)));
    log.result("unbind_other", &last, "");
    let r = write_file(&format!("{dir}/bind"), &device);
    log.result("bind", &r, "");
    let r = bus.find_adapter();
    log.result("bind_adapter", &r, "");
    let r = bus.dev().and_then(|d| wr_rd(&d, EEPROM, 0x00, 16));
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("bind_next", &r, &format!("00 {data}"));
}

/// The test module (qemu/linux/testmod) with ACTION on the bus: it logs
/// its own `i2ctest:` lines.
fn testmod(log: &mut Log, bus: &Bus, action: &str) {
    testmod_step(log, bus, action, &format!("testmod_{action}"), "");
}

/// The test module with ACTION and more PARAMS; STEP names the result.
fn testmod_step(log: &mut Log, bus: &Bus, action: &str, step: &str, params: &str) {
    let params = format!("bus={} action={action} {params}", bus.adapter.unwrap_or(0));
    let r = load_module("i2ctest_mod.ko", &params);
    log.result(step, &r, "");
}

fn testmod_unload(log: &mut Log) {
    let r = sys::delete_module("i2ctest_mod");
    log.result("testmod_unload", &r, "");
}

/// i2c_recover_bus() through the test module on an idle bus, then on one
/// whose first status read shows SR.BUSY (the model's fault-busy-stuck),
/// their bus events, and a transfer after them.
fn recover(log: &mut Log, bus: &Bus) {
    log.wire("-");
    testmod(log, bus, "recover");
    log.wire("recover_bus");
    testmod_unload(log);
    if let Err(e) = log.sync("qom-set fault-busy-stuck 1") {
        log.result::<()>("recover_busy_sync", &Err(e), "");
        return;
    }
    log.wire("-");
    testmod_step(
        log,
        bus,
        "recover",
        "testmod_recover_busy",
        "step=recover_busy",
    );
    log.wire("recover_busy");
    testmod_unload(log);
    let r = bus.dev().and_then(|d| wr_rd(&d, EEPROM, 0x00, 16));
    let data = r.as_ref().map(|b| hex(b)).unwrap_or_default();
    log.result("recover_next", &r, &format!("00 {data}"));
}
/// The entry points of the Rust core (enum sifive_i2c_entry in
/// driver/kmod/sifive_i2c.h), in order.
const ENTRIES: [&str; 9] = [
    "init", "resume", "disable", "start", "recover", "advance", "irq", "timeout", "byte_us",
];

/// The test build of sifive_i2c (SIFIVE_I2C_PANIC_TEST=y) loaded with
/// `panic_mask` bit ENTRY: the core panics in that entry point, which the
/// step then runs (a transfer runs start and irq; one whose command sticks
/// also advance, timeout and byte_us; the unload runs disable); the call
/// fails, later transfers fail, and the module unloads.
fn panic_entry(log: &mut Log, bus: &mut Bus, entry: &str) {
    let Some(n) = ENTRIES.iter().position(|e| *e == entry) else {
        log.line(&format!("panic_{entry} unknown"));
        return;
    };
    let step = format!("panic_{entry}");
    log.line(&format!("{step} begin"));
    let r = load_module("sifive_i2c_panic.ko", &format!("panic_mask={}", 1u32 << n));
    log.result(&format!("{step}_load"), &r, "");
    if r.is_err() {
        return;
    }
    bus.adapter = None;
    let r = bus.find_adapter();
    log.result(&format!("{step}_adapter"), &r, "");
    if r.is_ok() {
        match entry {
            // The resume callback calls the core.
            "resume" => {
                let r = suspend("platform");
                log.result(&format!("{step}_suspend"), &r, "");
            }
            "recover" => {
                testmod(log, bus, "recover");
                testmod_unload(log);
            }
            // A command that never completes raises no interrupt: when the
            // transfer's deadline passes, the glue looks once more with
            // advance (with interrupts, a transfer that ends normally is
            // ended by the handler and never calls advance), then times out.
            "advance" | "timeout" => {
                if let Err(e) = log.sync("qom-set fault-tip-stuck 1") {
                    log.result::<()>(&format!("{step}_sync"), &Err(e), "");
                }
            }
            _ => {}
        }
        for what in ["xfer", "next"] {
            let r = bus.dev().and_then(|d| wr_rd(&d, EEPROM, 0x00, 16));
            log.result(&format!("{step}_{what}"), &r, "");
        }
    }
    let r = sys::delete_module("sifive_i2c");
    log.result(&format!("{step}_unload"), &r, "");
}

fn run(log: &mut Log) -> io::Result<()> {
    let sc = scenario()?;
    let mut bus = Bus {
        module: sc.module.clone(),
        adapter: None,
    };
    for step in &sc.steps {
        match step.as_str() {
            "unsigned" => {
                let r = bus.load(&format!("{}.unsigned.ko", bus.module));
                log.result("load_unsigned", &r, "");
            }
            "load" => {
                let r = bus.load(&format!("{}.ko", bus.module));
                log.result("load", &r, "");
                if r.is_err() {
                    break;
                }
                let r = bus.find_adapter();
                log.result("adapter", &r, "");
                if r.is_err() {
                    break;
                }
            }
            "clients" => clients(log, &bus),
            "dev" => dev(log, &bus),
            "counts" => counts(log, &bus),
            "shapes" => shapes(log, &bus),
            "pm" => pm(log, &bus),
            "unbind" => unbind(log, &mut bus),
            "recover" => recover(log, &bus),
            // Last: the test module transfers with interrupts off when the
            // init reboots (system_state past SYSTEM_RUNNING).
            "atomic" => testmod(log, &bus, "atomic"),
            "unload" => {
                let r = sys::delete_module(&bus.module.replace('-', "_"));
                log.result("unload", &r, "");
            }
            s => {
                if let Some(spec) = s.strip_prefix("fault:") {
                    fault(log, &bus, spec);
                } else if let Some(entry) = s.strip_prefix("panic:") {
                    panic_entry(log, &mut bus, entry);
                } else if !stress::step(log, &bus, s) && !soak::step(log, &mut bus, s) {
                    log.line(&format!("step {s} unknown"));
                }
            }
        }
    }
    Ok(())
}

fn main() {
    stress::worker_main();
    for (fs, dir) in [("proc", "/proc"), ("sysfs", "/sys"), ("devtmpfs", "/dev")] {
        if let Err(e) = sys::mount_fs(fs, dir) {
            println!("init: mounting {dir}: {e}");
        }
    }
    let mut log = Log {
        kmsg: OpenOptions::new().write(true).open("/dev/kmsg").ok(),
    };
    log.line("start");
    match run(&mut log) {
        Ok(()) => log.line("done"),
        Err(e) => log.line(&format!("scenario {}", errno_name(&e))),
    }
    let e = sys::restart();
    log.line(&format!("reboot {}", errno_name(&e)));
}
