// SPDX-License-Identifier: GPL-2.0 OR MIT
//! The load run of scripts/linux-soak, in the guest: the init's steps of it.
//!
//! This file is a module of the init (qemu/linux/init, `mod soak` with a
//! `#[path]`), so that it shares the init's system calls and logging.
//!
//! Steps:
//!
//! - `soakload:HOGS:SLEEPERS`: starts the load, which runs until
//!   `soakstop`: HOGS threads in a busy loop (the CPU hog) and SLEEPERS
//!   threads each sleeping 50 to 500 us in turn with `clock_nanosleep`
//!   (the timer storm: that many high-resolution timers armed at once).
//! - `soak:OPS:SEED:CLOCKS`: OPS EEPROM operations through `/dev/i2c-N`
//!   while the host injects faults at random times (`sync soak-begin`,
//!   `sync soak-end` bracket them). The EEPROM is read into a shadow first; then
//!   each operation is a write of 1 to 16 bytes within a 16-byte page
//!   followed by a write-then-read of the same bytes, or a write-then-read
//!   alone, and every read is compared with the shadow. Every 25th
//!   operation starts on a stuck bus: the host stops its random faults
//!   and makes a target hold SDA low for 1 to CLOCKS clocks (`sync
//!   sda-stuck N`, then `sync faults-resume`; the first time for CLOCKS,
//!   the worst case), which the driver must recover from without failing
//!   the transfer. Before each sync the
//!   number of transfers so far is logged (`soak_mark SEQ REQUEST`), so
//!   that the host can match the transfers between two syncs with the
//!   trace between them. A transfer that
//!   fails is logged (`soak_err SEQ KIND ERRNO`) and repeated until it
//!   works, so that a write a fault cut short is completed; the host
//!   matches the errnos with the faults the model traced. Once the host has
//!   stopped the faults the whole EEPROM is read and compared with the
//!   shadow, and the shadow is logged for the host to compare with the
//!   EEPROM's backing file.
//! - `reload:CYCLES`: CYCLES times: the module unloaded, loaded again, and
//!   a 16-byte write and its read-back through the new adapter, which the
//!   shadow takes (logged at the end, as `soak`'s). The memory
//!   counters (/proc/meminfo's slab and vmalloc figures, /proc/slabinfo's
//!   objects where the kernel has it) are logged after a warm-up and every
//!   tenth cycle; where the kernel has kmemleak, a scan after the last
//!   cycle logs every unreferenced object, with its backtrace.
//! - `soakstop`: stops the load and logs what it did.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, sleep};
use std::time::{Duration, Instant};

use crate::sys::{self, Msg, I2C_M_RD};
use crate::{errno_name, hex, Bus, Log, EEPROM, EEPROM_SIZE};

/// The longest transfer's payload, and the page no write crosses.
const PAGE: usize = 16;
/// How often a failed transfer is repeated before the run gives up: more
/// faults in a row than the host injects between two transfers.
const ATTEMPTS: u32 = 50;
/// Every this many operations the bus is found stuck: a target holds SDA
/// low for some clocks when the operation starts.
const SDA_EVERY: u64 = 25;
/// The memory counters logged by `reload`.
const MEMINFO: [&str; 4] = ["Slab", "SUnreclaim", "VmallocUsed", "Percpu"];
/// Where kmemleak is.
const KMEMLEAK: &str = "/sys/kernel/debug/kmemleak";

/// Runs `step` if it is one of this module's; false if it is not.
pub(crate) fn step(log: &mut Log, bus: &mut Bus, step: &str) -> bool {
    if let Some(spec) = step.strip_prefix("soakload:") {
        start_load(log, spec);
    } else if let Some(spec) = step.strip_prefix("soak:") {
        soak(log, bus, spec);
    } else if let Some(spec) = step.strip_prefix("reload:") {
        reload(log, bus, spec);
    } else if step == "soakstop" {
        stop_load(log);
    } else {
        return false;
    }
    true
}

/// The load threads and what they count.
struct Load {
    stop: Arc<AtomicBool>,
    /// Busy-loop rounds of the hogs (a million iterations each).
    rounds: Arc<AtomicU64>,
    /// Wake-ups of the sleepers.
    wakeups: Arc<AtomicU64>,
    /// The latest a sleeper woke after its deadline, in microseconds.
    late_max_us: Arc<AtomicU64>,
    threads: Vec<thread::JoinHandle<()>>,
    start: Instant,
}

static LOAD: Mutex<Option<Load>> = Mutex::new(None);

/// The EEPROM as `soak` left it and `reload` writes it.
static SHADOW: Mutex<Option<Vec<u8>>> = Mutex::new(None);

fn start_load(log: &mut Log, spec: &str) {
    let mut parts = spec.split(':').map(str::parse::<usize>);
    let (Some(Ok(hogs)), Some(Ok(sleepers)), None) = (parts.next(), parts.next(), parts.next())
    else {
        log.line(&format!("soakload bad-spec {spec}"));
        return;
    };
    let load = Load {
        stop: Arc::new(AtomicBool::new(false)),
        rounds: Arc::new(AtomicU64::new(0)),
        wakeups: Arc::new(AtomicU64::new(0)),
        late_max_us: Arc::new(AtomicU64::new(0)),
        threads: Vec::new(),
        start: Instant::now(),
    };
    let mut load = load;
    for _ in 0..hogs {
        let stop = load.stop.clone();
        let rounds = load.rounds.clone();
        load.threads.push(thread::spawn(move || {
            let mut x = 1u64;
            while !stop.load(Ordering::Relaxed) {
                for _ in 0..1_000_000 {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
                rounds.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for k in 0..sleepers {
        let stop = load.stop.clone();
        let wakeups = load.wakeups.clone();
        let late = load.late_max_us.clone();
        load.threads.push(thread::spawn(move || {
            let mut us = 50 + (k as u64 * 37) % 450;
            while !stop.load(Ordering::Relaxed) {
                let asked = Duration::from_micros(us);
                let t = Instant::now();
                sleep(asked);
                let over = t.elapsed().saturating_sub(asked).as_micros() as u64;
                late.fetch_max(over, Ordering::Relaxed);
                wakeups.fetch_add(1, Ordering::Relaxed);
                us = 50 + (us * 7 + 13) % 450;
            }
        }));
    }
    log.line(&format!("soakload ok hogs={hogs} sleepers={sleepers}"));
    *LOAD.lock().unwrap_or_else(|e| e.into_inner()) = Some(load);
}

fn stop_load(log: &mut Log) {
    let Some(load) = LOAD.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        log.line("soakstop ENOENT");
        return;
    };
    load.stop.store(true, Ordering::Relaxed);
    let n = load.threads.len();
    let joined = load
        .threads
        .into_iter()
        .filter_map(|t| t.join().ok())
        .count();
    let secs = load.start.elapsed().as_secs_f64();
    let status = if joined == n { "ok" } else { "EIO" };
    log.line(&format!(
        "soakstop {status} seconds={secs:.1} hog_rounds={} sleeper_wakeups={} late_max_us={}",
        load.rounds.load(Ordering::Relaxed),
        load.wakeups.load(Ordering::Relaxed),
        load.late_max_us.load(Ordering::Relaxed)
    ));
}

/// A small deterministic generator (xorshift64*), so that a seed replays a
/// run's operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() >> 33) as usize % n
    }
}

/// The counts of a soak, for its summary line.
#[derive(Default)]
struct Tally {
    transfers: u64,
    errors: u64,
    mismatches: u64,
    seq: u64,
    /// Operations that started on a stuck bus.
    sda: u64,
}

/// One transfer: a write of `data` at `offset`, or a write-then-read of
/// `len` bytes at `offset`.
fn write(dev: &File, offset: u8, data: &[u8]) -> io::Result<()> {
    let mut msg = Vec::with_capacity(data.len() + 1);
    msg.push(offset);
    msg.extend_from_slice(data);
    sys::i2c_rdwr(
        dev,
        EEPROM,
        &mut [Msg {
            flags: 0,
            buf: &mut msg,
        }],
    )
}

fn read(dev: &File, offset: u8, len: usize) -> io::Result<Vec<u8>> {
    let mut word = [offset];
    let mut data = vec![0; len];
    sys::i2c_rdwr(
        dev,
        EEPROM,
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

/// Runs `f` until it works (at most [`ATTEMPTS`] times), logging each
/// failure with its sequence number and `kind`.
fn retry<T>(
    log: &mut Log,
    t: &mut Tally,
    kind: &str,
    mut f: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    let mut last = None;
    for _ in 0..ATTEMPTS {
        t.seq += 1;
        t.transfers += 1;
        match f() {
            Ok(v) => return Ok(v),
            Err(e) => {
                t.errors += 1;
                log.line(&format!("soak_err {} {kind} {}", t.seq, errno_name(&e)));
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from_raw_os_error(5)))
}

/// Reads the whole EEPROM in pages.
fn read_all(log: &mut Log, t: &mut Tally, dev: &File) -> io::Result<Vec<u8>> {
    let mut all = Vec::with_capacity(EEPROM_SIZE);
    for page in (0..EEPROM_SIZE).step_by(PAGE) {
        all.extend(retry(log, t, "read", || read(dev, page as u8, PAGE))?);
    }
    Ok(all)
}

fn log_image(log: &mut Log, label: &str, image: &[u8]) {
    for (i, chunk) in image.chunks(64).enumerate() {
        log.line(&format!("{label}_{:02x} ok {}", i * 64, hex(chunk)));
    }
}

/// Logs the transfers so far, then asks the host for `request`.
fn mark(log: &mut Log, t: &Tally, request: &str) -> io::Result<()> {
    log.line(&format!("soak_mark {} {request}", t.seq));
    log.sync(request)
}

fn soak(log: &mut Log, bus: &Bus, spec: &str) {
    let mut parts = spec.split(':').map(str::parse::<u64>);
    let (Some(Ok(ops)), Some(Ok(seed)), Some(Ok(clocks @ 1..)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        log.line(&format!("soak bad-spec {spec}"));
        return;
    };
    let dev = match bus.dev() {
        Ok(d) => d,
        Err(e) => return log.result::<()>("soak_open", &Err(e), ""),
    };
    let mut rng = Rng(seed | 1);
    let mut t = Tally::default();
    let start = Instant::now();
    if let Err(e) = mark(log, &t, "soak-begin") {
        return log.result::<()>("soak_sync", &Err(e), "");
    }
    let result = (|| -> io::Result<Vec<u8>> {
        let mut shadow = read_all(log, &mut t, &dev)?;
        log_image(log, "soak_initial", &shadow);
        for op in 0..ops {
            let stuck = op % SDA_EVERY == SDA_EVERY / 2;
            if stuck {
                // While the bus is idle: a stuck target in the middle of
                // a transfer would turn the bits it holds into zeros,
                // which no master can tell from data.
                // The first one holds the most clocks: every boot sees
                // the worst case (with 27, the third round of recovery).
                let held = match 1 + rng.below(clocks as usize) {
                    _ if t.sda == 0 => clocks as usize,
                    held => held,
                };
                mark(log, &t, &format!("sda-stuck {held}"))?;
                t.sda += 1;
            }
            let offset = rng.below(EEPROM_SIZE);
            let len = 1 + rng.below(PAGE - offset % PAGE);
            if op % 2 == 0 {
                let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                retry(log, &mut t, "write", || write(&dev, offset as u8, &data))?;
                shadow[offset..offset + len].copy_from_slice(&data);
            }
            let got = retry(log, &mut t, "read", || read(&dev, offset as u8, len))?;
            if got != shadow[offset..offset + len] {
                t.mismatches += 1;
                log.line(&format!(
                    "soak_mismatch {} {offset:02x} got {} want {}",
                    t.seq,
                    hex(&got),
                    hex(&shadow[offset..offset + len])
                ));
            }
            if stuck {
                mark(log, &t, "faults-resume")?;
            }
        }
        Ok(shadow)
    })();
    // The faults end before the final read, whatever happened.
    if let Err(e) = mark(log, &t, "soak-end") {
        log.result::<()>("soak_end_sync", &Err(e), "");
    }
    let shadow = match result {
        Ok(s) => s,
        Err(e) => return log.result::<()>("soak", &Err(e), ""),
    };
    let fin = read_all(log, &mut t, &dev);
    let lost = match &fin {
        Ok(f) => f.iter().zip(&shadow).filter(|(a, b)| a != b).count(),
        Err(_) => EEPROM_SIZE,
    };
    log_image(log, "soak_shadow", &shadow);
    log.result("soak_final", &fin, &format!("differing={lost}"));
    *SHADOW.lock().unwrap_or_else(|e| e.into_inner()) = Some(shadow);
    let status = if t.mismatches == 0 && lost == 0 && fin.is_ok() {
        "ok"
    } else {
        "EBADMSG"
    };
    log.line(&format!(
        "soak {status} ops={ops} transfers={} errors={} mismatches={} stuck_bus={} ms={}",
        t.transfers,
        t.errors,
        t.mismatches,
        t.sda,
        start.elapsed().as_millis()
    ));
}

/// The memory counters: /proc/meminfo's [`MEMINFO`] in kB, and the
/// active objects and their bytes in /proc/slabinfo, where it exists.
fn counters() -> String {
    let mut out = Vec::new();
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    for key in MEMINFO {
        let v = meminfo
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next())
            .unwrap_or("-");
        out.push(format!("{key}={v}"));
    }
    if let Ok(slabinfo) = fs::read_to_string("/proc/slabinfo") {
        let (mut objs, mut bytes) = (0u64, 0u64);
        for line in slabinfo.lines().filter(|l| !l.starts_with(['#', 's'])) {
            let w: Vec<u64> = line
                .split_whitespace()
                .skip(1)
                .take(3)
                .filter_map(|x| x.parse().ok())
                .collect();
            if let [active, _, size] = w[..] {
                objs += active;
                bytes += active * size;
            }
        }
        out.push(format!("slab_objs={objs} slab_bytes={bytes}"));
    }
    out.join(" ")
}

/// One unload and load of the bus driver, and a write and its read-back
/// through it; the shadow, if any, takes the write.
fn cycle(bus: &mut Bus, n: usize, shadow: &mut Option<Vec<u8>>) -> Result<(), String> {
    let name = bus.module.replace('-', "_");
    sys::delete_module(&name).map_err(|e| format!("unload {}", errno_name(&e)))?;
    bus.adapter = None;
    File::open(format!("/modules/{}.ko", bus.module))
        .and_then(|f| sys::finit_module(&f))
        .map_err(|e| format!("load {}", errno_name(&e)))?;
    bus.find_adapter()
        .map_err(|e| format!("adapter {}", errno_name(&e)))?;
    let dev = bus.dev().map_err(|e| format!("open {}", errno_name(&e)))?;
    let offset = ((n * PAGE) % EEPROM_SIZE) as u8;
    let data: Vec<u8> = (0..PAGE).map(|i| (n * 31 + i * 7) as u8 | 1).collect();
    write(&dev, offset, &data).map_err(|e| format!("write {}", errno_name(&e)))?;
    let back = read(&dev, offset, PAGE).map_err(|e| format!("read {}", errno_name(&e)))?;
    if back != data {
        return Err(format!("mismatch {offset:02x} {}", hex(&back)));
    }
    if let Some(s) = shadow {
        s[offset as usize..offset as usize + PAGE].copy_from_slice(&data);
    }
    Ok(())
}

/// Asks kmemleak for a scan; returns its reports, or None without it.
fn kmemleak(what: &str) -> Option<io::Result<String>> {
    if !Path::new("/sys/kernel/debug").exists() {
        return None;
    }
    let _ = sys::mount_fs("debugfs", "/sys/kernel/debug");
    if !Path::new(KMEMLEAK).exists() {
        return None;
    }
    let r = OpenOptions::new()
        .write(true)
        .open(KMEMLEAK)
        .and_then(|mut f| io::Write::write_all(&mut f, what.as_bytes()))
        .and_then(|()| fs::read_to_string(KMEMLEAK));
    Some(r)
}

fn reload(log: &mut Log, bus: &mut Bus, spec: &str) {
    let Ok(cycles) = spec.parse::<usize>() else {
        log.line(&format!("reload bad-spec {spec}"));
        return;
    };
    let start = Instant::now();
    let mut shadow = SHADOW.lock().unwrap_or_else(|e| e.into_inner()).take();
    // Two cycles first: the first load of anything (the i2c-dev class
    // nodes, the clients' drivers' first probe) allocates for good.
    for n in 0..2 {
        if let Err(e) = cycle(bus, n, &mut shadow) {
            return log.line(&format!("reload_warmup {e}"));
        }
    }
    // What kmemleak already suspects is not this run's.
    if let Some(r) = kmemleak("clear") {
        log.result("reload_kmemleak_clear", &r, "");
    }
    log.line(&format!("reload_counters 0 {}", counters()));
    for n in 0..cycles {
        if let Err(e) = cycle(bus, n, &mut shadow) {
            return log.line(&format!("reload_cycle {n} {e}"));
        }
        if (n + 1) % 10 == 0 || n + 1 == cycles {
            log.line(&format!("reload_counters {} {}", n + 1, counters()));
        }
    }
    log.line(&format!(
        "reload ok cycles={cycles} ms={}",
        start.elapsed().as_millis()
    ));
    // The EEPROM as the cycles left it, for the host.
    if let Some(s) = &shadow {
        log_image(log, "reload_shadow", s);
    }
    // kmemleak reports an object only once it is 5 s old and a scan found
    // no pointer to it; two scans make sure the last cycle's count.
    if kmemleak("scan").is_some() {
        sleep(Duration::from_secs(6));
        match kmemleak("scan") {
            Some(Ok(text)) => {
                let n = text.matches("unreferenced object").count();
                log.line(&format!("reload_kmemleak ok {n}"));
                for line in text.lines() {
                    log.line(&format!("kmemleak: {line}"));
                }
            }
            Some(Err(e)) => log.result::<()>("reload_kmemleak", &Err(e), ""),
            None => log.line("reload_kmemleak ENOENT"),
        }
    }
}
