// SPDX-License-Identifier: GPL-2.0 OR MIT
//! The concurrency run (scripts/linux-stress) and the other kernels' extra
//! modules.
//!
//! Steps:
//!
//! - `stress:TOTAL:MILLIDEGREES`: four worker processes (this program again,
//!   started as `init stress-worker K COUNT ADAPTER MILLIDEGREES`) transfer
//!   through `/dev/i2c-N` at once, TOTAL transfers in all (a multiple of 8).
//!   Workers 0 and 1 own one half of the EEPROM each: a write of 1 to 16
//!   bytes at a moving offset, then a write-then-read of the same bytes,
//!   compared with what was written. Workers 2 and 3 read the sensor's
//!   temperature register and compare it with the temperature the host set
//!   over QMP, at the 12 bits the lm75 driver configures. Each worker's
//!   result line gives its transfers, mismatches and errors, and the EEPROM
//!   workers' the bytes they left in their half, which the host compares
//!   with the EEPROM's backing file.
//! - `module:NAME`: loads `/modules/NAME.ko` and unloads it again (the
//!   clang kernel's own Rust sample, `rust_minimal`).

use std::env;
use std::fs::{self, File, OpenOptions};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::sys::{self, Msg, I2C_M_RD};
use crate::{errno_name, hex, wait_for, Bus, Log, EEPROM, EEPROM_SIZE, SENSOR};

/// The number of worker processes.
const WORKERS: usize = 4;
/// The EEPROM workers: each owns `EEPROM_SIZE / EEPROM_WORKERS` bytes.
const EEPROM_WORKERS: usize = 2;
/// The longest EEPROM write of a worker.
const MAX_LEN: usize = 16;

/// Runs `step` if it is one of this module's; false if it is not.
pub(crate) fn step(log: &mut Log, bus: &Bus, step: &str) -> bool {
    if let Some(spec) = step.strip_prefix("stress:") {
        stress(log, bus, spec);
    } else if let Some(name) = step.strip_prefix("module:") {
        let r = File::open(format!("/modules/{name}.ko")).and_then(|f| sys::finit_module(&f));
        log.result("module_load", &r, name);
        let r = sys::delete_module(&name.replace('-', "_"));
        log.result("module_unload", &r, name);
    } else {
        return false;
    }
    true
}

/// What one worker did.
#[derive(Default)]
struct Tally {
    transfers: u64,
    mismatches: u64,
    errors: u64,
    /// The first mismatch or error, for the log.
    first: Option<String>,
    /// An EEPROM worker's half as it left it.
    region: Option<String>,
}

impl Tally {
    fn bad(&mut self, what: String) {
        if self.first.is_none() {
            self.first = Some(what);
        }
    }
}

fn stress(log: &mut Log, bus: &Bus, spec: &str) {
    let mut parts = spec.split(':');
    let (Some(Ok(total)), Some(Ok(milli)), None) = (
        parts.next().map(str::parse::<u64>),
        parts.next().map(str::parse::<i32>),
        parts.next(),
    ) else {
        log.line(&format!("stress bad-spec {spec}"));
        return;
    };
    if total == 0 || total % (2 * WORKERS as u64) != 0 {
        log.line(&format!("stress bad-spec {spec}"));
        return;
    }
    let cpus = fs::read_to_string("/sys/devices/system/cpu/online");
    let data = cpus
        .as_ref()
        .map(|c| c.trim().to_string())
        .unwrap_or_default();
    log.result("stress_cpus", &cpus, &data);
    let Some(adapter) = bus.adapter else {
        log.line("stress ENODEV");
        return;
    };
    let dev = PathBuf::from(format!("/dev/i2c-{adapter}"));
    if let Err(e) = wait_for(&dev) {
        log.result::<()>("stress", &Err(e), "");
        return;
    }

    let per = total / WORKERS as u64;
    let start = Instant::now();
    let mut children = Vec::new();
    for k in 0..WORKERS {
        let child = Command::new("/proc/self/exe")
            .args(["stress-worker", &k.to_string(), &per.to_string()])
            .args([adapter.to_string(), milli.to_string()])
            .stdout(Stdio::piped())
            .spawn();
        match child {
            Ok(c) => children.push((k, c)),
            Err(e) => log.result::<()>(&format!("stress_worker_{k}"), &Err(e), ""),
        }
    }
    let mut sum = Tally::default();
    let mut failed = children.len() != WORKERS;
    for (k, child) in children {
        let out = child.wait_with_output();
        match out {
            Ok(o) if o.status.success() => {
                let text = String::from_utf8_lossy(&o.stdout).trim().to_string();
                for word in text.split_whitespace() {
                    if let Some((key, v)) = word.split_once('=') {
                        let v = v.parse().unwrap_or(0);
                        match key {
                            "transfers" => sum.transfers += v,
                            "mismatches" => sum.mismatches += v,
                            "errors" => sum.errors += v,
                            _ => {}
                        }
                    }
                }
                log.line(&format!("stress_worker_{k} ok {text}"));
            }
            Ok(o) => {
                failed = true;
                log.line(&format!("stress_worker_{k} exit {}", o.status));
            }
            Err(e) => {
                failed = true;
                log.result::<()>(&format!("stress_worker_{k}"), &Err(e), "");
            }
        }
    }
    let ms = start.elapsed().as_millis();
    let status = if failed { "EIO" } else { "ok" };
    log.line(&format!(
        "stress {status} transfers={} mismatches={} errors={} ms={ms}",
        sum.transfers, sum.mismatches, sum.errors
    ));
}

/// The temperature register's two bytes at 12 bits for `milli`
/// millidegrees Celsius, as the TMP105 holds it.
fn sensor_bytes(milli: i32) -> [u8; 2] {
    let raw = (milli * 16).div_euclid(1000);
    // 12 bits, left-aligned in 16, two's complement.
    (((raw << 4) & 0xfff0) as u16).to_be_bytes()
}

/// In a worker process (`init stress-worker ...`): runs the worker and
/// exits. Returns at once in the init itself.
pub(crate) fn worker_main() {
    let args: Vec<String> = env::args().collect();
    if args.get(1).map(String::as_str) != Some("stress-worker") {
        return;
    }
    let parsed = (
        args.get(2).and_then(|a| a.parse::<usize>().ok()),
        args.get(3).and_then(|a| a.parse::<u64>().ok()),
        args.get(4).and_then(|a| a.parse::<u32>().ok()),
        args.get(5).and_then(|a| a.parse::<i32>().ok()),
    );
    let (Some(k), Some(count), Some(adapter), Some(milli)) = parsed else {
        println!("bad arguments");
        std::process::exit(2);
    };
    let dev = OpenOptions::new()
        .read(true)
        .write(true)
        .open(format!("/dev/i2c-{adapter}"));
    let dev = match dev {
        Ok(d) => d,
        Err(e) => {
            println!("open {}", errno_name(&e));
            std::process::exit(1);
        }
    };
    let t = if k < EEPROM_WORKERS {
        eeprom_worker(&dev, k, count)
    } else {
        sensor_worker(&dev, count, milli)
    };
    let first = t.first.map(|f| format!(" first={f}")).unwrap_or_default();
    let region = t.region.map(|r| format!(" region={r}")).unwrap_or_default();
    println!(
        "transfers={} mismatches={} errors={}{first}{region}",
        t.transfers, t.mismatches, t.errors
    );
    std::process::exit(0);
}

/// A byte for offset `i` of write `n` of worker `k`: never 0x00 or 0xff,
/// and different from the last write's at the same place.
fn byte(k: usize, n: u64, i: usize) -> u8 {
    let b = (n as u8)
        .wrapping_mul(0x35)
        .wrapping_add((i as u8).wrapping_mul(0x1d))
        .wrapping_add(k as u8 * 0x80);
    match b {
        0x00 => 0x5a,
        0xff => 0xa5,
        b => b,
    }
}

/// A byte of an EEPROM worker's half, as far as the worker knows.
#[derive(Clone, Copy)]
enum Byte {
    /// Never written: the host's image holds its byte.
    Untouched,
    /// A write that failed covered it: it may hold any value.
    Unknown,
    /// The last successful write put this value there.
    Known(u8),
}

fn eeprom_worker(dev: &File, k: usize, count: u64) -> Tally {
    let size = EEPROM_SIZE / EEPROM_WORKERS;
    let base = k * size;
    let mut t = Tally::default();
    // What this worker's half holds, as far as it knows.
    let mut shadow = vec![Byte::Untouched; size];
    let mut n = 0u64;
    while t.transfers < count {
        let len = 1 + (n as usize % MAX_LEN);
        let off = (n as usize * 7) % (size - len + 1);
        let data: Vec<u8> = (0..len).map(|i| byte(k, n, i)).collect();
        let mut msg = vec![(base + off) as u8];
        msg.extend_from_slice(&data);
        t.transfers += 1;
        match sys::i2c_rdwr(
            dev,
            EEPROM,
            &mut [Msg {
                flags: 0,
                buf: &mut msg,
            }],
        ) {
            Ok(()) => {
                for (i, b) in data.iter().enumerate() {
                    shadow[off + i] = Byte::Known(*b);
                }
            }
            Err(e) => {
                t.errors += 1;
                t.bad(format!("write#{n}:{}", errno_name(&e)));
                // The target may hold some of the bytes, or none.
                for s in &mut shadow[off..off + len] {
                    *s = Byte::Unknown;
                }
            }
        }
        let mut word = [(base + off) as u8];
        let mut back = vec![0; len];
        t.transfers += 1;
        let r = sys::i2c_rdwr(
            dev,
            EEPROM,
            &mut [
                Msg {
                    flags: 0,
                    buf: &mut word,
                },
                Msg {
                    flags: I2C_M_RD,
                    buf: &mut back,
                },
            ],
        );
        match r {
            Ok(()) => {
                let want = &shadow[off..off + len];
                let differs = |(w, b): (&Byte, &u8)| matches!(w, Byte::Known(w) if w != b);
                if want.iter().zip(&back).any(differs) {
                    t.mismatches += 1;
                    t.bad(format!("read#{n}@{:02x}:{}", base + off, hex(&back)));
                }
            }
            Err(e) => {
                t.errors += 1;
                t.bad(format!("read#{n}:{}", errno_name(&e)));
            }
        }
        n += 1;
    }
    // The half as this worker left it, for the host to compare with the
    // backing file.
    let region: String = shadow
        .iter()
        .map(|b| match b {
            Byte::Untouched => "--".to_string(),
            Byte::Unknown => "??".to_string(),
            Byte::Known(b) => format!("{b:02x}"),
        })
        .collect();
    t.region = Some(format!("{base:02x}:{region}"));
    t
}

fn sensor_worker(dev: &File, count: u64, milli: i32) -> Tally {
    let want = sensor_bytes(milli);
    let mut t = Tally::default();
    for n in 0..count {
        let mut reg = [0u8];
        let mut back = [0u8; 2];
        t.transfers += 1;
        let r = sys::i2c_rdwr(
            dev,
            SENSOR,
            &mut [
                Msg {
                    flags: 0,
                    buf: &mut reg,
                },
                Msg {
                    flags: I2C_M_RD,
                    buf: &mut back,
                },
            ],
        );
        match r {
            Ok(()) if back == want => {}
            Ok(()) => {
                t.mismatches += 1;
                t.bad(format!("read#{n}:{}!={}", hex(&back), hex(&want)));
            }
            Err(e) => {
                t.errors += 1;
                t.bad(format!("read#{n}:{}", errno_name(&e)));
            }
        }
    }
    t
}
