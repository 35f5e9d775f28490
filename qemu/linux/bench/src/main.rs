// SPDX-License-Identifier: GPL-2.0 OR MIT
//! The init of scripts/bench-linux: measures what an I2C bus driver costs
//! the rest of the system, for each module named on the command line in
//! turn, on the one CPU Linux runs on (the U54 hart of sifive_u).
//!
//! Kernel command line: `bench.modules=A,B` (modules in /modules, loaded,
//! measured and unloaded in this order), `bench.transfers=N` (EEPROM
//! transfers per module, half 17-byte writes and half 1+16-byte
//! write-then-reads, alternating) and `bench.idle_ms=MS` (the idle bus
//! baseline's length).
//!
//! Three threads run while a phase is measured: a SCHED_FIFO probe that
//! sleeps to absolute CLOCK_MONOTONIC deadlines every 200 us and records
//! how late it wakes (cyclictest's method; periods already past after an
//! overrun are skipped), an idle-priority (SCHED_IDLE) thread counting in
//! a loop, and the transfers. The counter's rate on the idle bus, with the
//! probe running, is the baseline: what it loses while the transfers run
//! is the CPU they take.
//!
//! Results go to /dev/kmsg as `bench: ...` lines. A line
//! `bench: sync WORDS` asks the host (qemu/linux/bench/bench.py) to act
//! over QMP (`reset`: clear the model's counters and interrupt latency
//! statistics; `stats LABEL`: log them) and waits for its answer on the
//! console.

mod sched;
/// The init's system calls (mount, modules, `I2C_RDWR`, reboot), shared with
/// it.
#[path = "../../init/src/sys.rs"]
#[expect(
    dead_code,
    reason = "the init's SMBus and RTC calls are not the bench's"
)]
mod sys;

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use sys::Msg;

/// The EEPROM on the bus (QEMU's at24c, 0x50).
const EEPROM: u16 = 0x50;
/// The probe's period.
const PERIOD_NS: u64 = 200_000;
/// The probe's real-time priority (cyclictest -p 90): above the kernel's
/// own threads.
const PROBE_PRIO: i32 = 90;
/// How long a device file may take to appear after the module loads.
const APPEAR: Duration = Duration::from_secs(5);

/// Where the results go: /dev/kmsg, one record per line.
struct Log {
    kmsg: Option<File>,
}

impl Log {
    fn line(&mut self, text: &str) {
        let line = format!("bench: {text}\n");
        let written = match self.kmsg.as_mut() {
            Some(k) => k.write_all(line.as_bytes()).is_ok(),
            None => false,
        };
        if !written {
            print!("{line}");
        }
    }

    /// Asks the host to act and waits for its answer on the console.
    fn sync(&mut self, request: &str) -> io::Result<()> {
        self.line(&format!("sync {request}"));
        let mut answer = String::new();
        if io::stdin().lock().read_line(&mut answer)? == 0 {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
        }
        // Let the console finish with the answer before what is measured.
        thread::sleep(Duration::from_millis(20));
        Ok(())
    }
}

fn wait_for(path: &Path) -> io::Result<()> {
    let start = Instant::now();
    while !path.exists() {
        if start.elapsed() > APPEAR {
            return Err(io::Error::from_raw_os_error(2));
        }
        thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// The adapter's /dev/i2c-N, from the EEPROM client the device tree gives.
fn open_bus() -> io::Result<File> {
    let start = Instant::now();
    loop {
        for entry in fs::read_dir("/sys/bus/i2c/devices")? {
            let name = entry?.file_name();
            let name = name.to_string_lossy().into_owned();
            if let Some(n) = name.strip_suffix(&format!("-{EEPROM:04x}")) {
                let path = PathBuf::from(format!("/dev/i2c-{n}"));
                wait_for(&path)?;
                return OpenOptions::new().read(true).write(true).open(path);
            }
        }
        if start.elapsed() > APPEAR {
            return Err(io::Error::from_raw_os_error(19));
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Mean, population standard deviation, 99th percentile and maximum.
fn stats(v: &mut [u64]) -> (f64, f64, u64, u64) {
    if v.is_empty() {
        return (0.0, 0.0, 0, 0);
    }
    v.sort_unstable();
    let n = v.len() as f64;
    let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
    let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
    let p99 = v[((v.len() * 99).div_ceil(100)).saturating_sub(1)];
    (mean, var.sqrt(), p99, v[v.len() - 1])
}

/// What the probe and the counter saw during one phase.
struct Phase {
    /// How late the probe woke, in ns, one entry per period it slept.
    late: Vec<u64>,
    /// The counter's loops.
    count: u64,
    /// The phase's length, in ns.
    ns: u64,
}

/// Runs `work` with the probe and the counter running; returns what they
/// saw and what `work` returned.
fn measured<T>(work: impl FnOnce() -> T) -> io::Result<(Phase, T)> {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let counter = {
        let (stop, count) = (Arc::clone(&stop), Arc::clone(&count));
        thread::spawn(move || {
            sched::set_idle_priority()?;
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n = std::hint::black_box(n + 1);
            }
            count.store(n, Ordering::Relaxed);
            Ok::<(), io::Error>(())
        })
    };
    let probe = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            sched::set_fifo_priority(PROBE_PRIO)?;
            let mut late = Vec::with_capacity(1 << 16);
            let mut next = sched::monotonic_ns() + PERIOD_NS;
            while !stop.load(Ordering::Relaxed) {
                sched::sleep_until_ns(next)?;
                let now = sched::monotonic_ns();
                late.push(now.saturating_sub(next));
                next += PERIOD_NS;
                // An overrun: skip the periods already past.
                while next <= now {
                    next += PERIOD_NS;
                }
            }
            Ok::<Vec<u64>, io::Error>(late)
        })
    };
    // Let both threads reach their loops.
    thread::sleep(Duration::from_millis(2));
    let start = sched::monotonic_ns();
    let out = work();
    let ns = sched::monotonic_ns() - start;
    stop.store(true, Ordering::Relaxed);
    let late = probe
        .join()
        .map_err(|_| io::Error::other("probe panicked"))??;
    counter
        .join()
        .map_err(|_| io::Error::other("counter panicked"))??;
    Ok((
        Phase {
            late,
            count: count.load(Ordering::Relaxed),
            ns,
        },
        out,
    ))
}

/// The bytes written: distinct, none 0x00 or 0xff.
fn pattern(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(0x1d).wrapping_add(seed) | 0x01)
        .map(|b| if b == 0xff { 0x7f } else { b })
        .collect()
}

/// Transfer `i`: a 17-byte write (word address and 16 bytes) when `i` is
/// even, else a write of the word address and a 16-byte read.
fn transfer(dev: &File, i: usize) -> io::Result<()> {
    let word = ((i / 2 % 8) * 16) as u8;
    if i.is_multiple_of(2) {
        let mut buf = vec![word];
        buf.extend(pattern(i as u8, 16));
        sys::i2c_rdwr(
            dev,
            EEPROM,
            &mut [Msg {
                flags: 0,
                buf: &mut buf[..],
            }],
        )
    } else {
        let mut w = [word];
        let mut r = [0u8; 16];
        sys::i2c_rdwr(
            dev,
            EEPROM,
            &mut [
                Msg {
                    flags: 0,
                    buf: &mut w[..],
                },
                Msg {
                    flags: sys::I2C_M_RD,
                    buf: &mut r[..],
                },
            ],
        )
    }
}

struct Params {
    modules: Vec<String>,
    transfers: usize,
    idle_ms: u64,
}

fn params() -> io::Result<Params> {
    let cmdline = fs::read_to_string("/proc/cmdline")?;
    let mut p = Params {
        modules: Vec::new(),
        transfers: 200,
        idle_ms: 100,
    };
    for word in cmdline.split_whitespace() {
        if let Some(m) = word.strip_prefix("bench.modules=") {
            p.modules = m.split(',').map(str::to_string).collect();
        } else if let Some(n) = word.strip_prefix("bench.transfers=") {
            p.transfers = n.parse().map_err(|_| io::Error::from_raw_os_error(22))?;
        } else if let Some(n) = word.strip_prefix("bench.idle_ms=") {
            p.idle_ms = n.parse().map_err(|_| io::Error::from_raw_os_error(22))?;
        }
    }
    Ok(p)
}

fn latency_line(log: &mut Log, what: &str, m: &str, late: &mut [u64]) {
    // Which periods woke more than 50 us late (the first eight), before sorting: a
    // periodic cause shows as a constant spacing.
    let slow: Vec<String> = late
        .iter()
        .enumerate()
        .filter(|&(_, &ns)| ns > 50_000)
        .take(8)
        .map(|(i, _)| i.to_string())
        .collect();
    log.line(&format!("late_periods {what} {m} {}", slow.join(" ")));
    let (mean, sd, p99, max) = stats(late);
    log.line(&format!(
        "{what} {m} samples {} mean_ns {mean:.0} sd_ns {sd:.0} p99_ns {p99} max_ns {max}",
        late.len()
    ));
}

/// Loads `m`, measures the idle bus and the transfers, unloads it.
fn bench(log: &mut Log, p: &Params, m: &str) -> io::Result<()> {
    let f = File::open(format!("/modules/{m}.ko"))?;
    sys::finit_module(&f)?;
    let dev = open_bus()?;
    // Warm up: caches, the client's first transfers, the page of memory
    // the buffers take.
    for i in 0..8 {
        transfer(&dev, i)?;
    }
    let (mut idle, ()) = measured(|| thread::sleep(Duration::from_millis(p.idle_ms)))?;
    latency_line(log, "idle", m, &mut idle.late);
    log.line(&format!("counter {m} loops {} ns {}", idle.count, idle.ns));
    log.sync(&format!("reset {m}"))?;
    let (mut busy, times) = measured(|| {
        let mut times = Vec::with_capacity(p.transfers);
        for i in 0..p.transfers {
            let t = sched::monotonic_ns();
            let r = transfer(&dev, i);
            times.push(sched::monotonic_ns() - t);
            r?;
        }
        Ok::<Vec<u64>, io::Error>(times)
    })?;
    log.sync(&format!("stats {m}"))?;
    let mut times = times?;
    latency_line(log, "busy", m, &mut busy.late);
    let (mean, sd, _, max) = stats(&mut times);
    log.line(&format!(
        "transfers {m} n {} mean_ns {mean:.0} sd_ns {sd:.0} max_ns {max}",
        times.len()
    ));
    log.line(&format!(
        "counter_busy {m} loops {} ns {}",
        busy.count, busy.ns
    ));
    drop(dev);
    sys::delete_module(&m.replace('-', "_"))?;
    Ok(())
}

fn main() {
    for (fs, dir) in [("proc", "/proc"), ("sysfs", "/sys"), ("devtmpfs", "/dev")] {
        if let Err(e) = sys::mount_fs(fs, dir) {
            println!("bench: mounting {dir}: {e}");
        }
    }
    let mut log = Log {
        kmsg: OpenOptions::new().write(true).open("/dev/kmsg").ok(),
    };
    log.line("start");
    let r = params().and_then(|p| {
        for m in &p.modules {
            if let Err(e) = bench(&mut log, &p, m) {
                log.line(&format!("failed {m} {e}"));
                return Err(e);
            }
        }
        Ok(())
    });
    if r.is_ok() {
        log.line("done");
    }
    let e = sys::restart();
    log.line(&format!("reboot {e}"));
}
