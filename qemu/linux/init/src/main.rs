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
//!   write and a 16-byte read), `unload`.
//!
//! A line `i2ctest: sync WORDS` asks the host to act (`qom-set PROPERTY
//! VALUE`, `counters LABEL`); the init then waits for a line on the console.
//! Result lines are `i2ctest: STEP STATUS [DATA]`, STATUS being `ok` or the
//! errno's name, so that two runs compare line by line.

mod stress;
mod sys;

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

use sys::{Msg, RtcTime, I2C_M_RD};

/// The targets of the emulated board (qemu/model, sifive_u).
const EEPROM: u16 = 0x50;
const SENSOR: u16 = 0x48;
const RTC: u16 = 0x68;
/// An address nothing answers.
const ABSENT: u16 = 0x2a;
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
        let f = File::open(format!("/modules/{file}"))?;
        sys::finit_module(&f)
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
        // The RTC's seconds tick: only the sensor's bytes are stable.
        let shown = match &r {
            Ok(data) if addr == SENSOR => hex(data),
            _ => String::new(),
        };
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
            "unload" => {
                let r = sys::delete_module(&bus.module.replace('-', "_"));
                log.result("unload", &r, "");
            }
            s => match s.strip_prefix("fault:") {
                Some(spec) => fault(log, &bus, spec),
                None if stress::step(log, &bus, s) => {}
                None => log.line(&format!("step {s} unknown")),
            },
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
