// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The boot test scenarios and their KTAP report.

use core::fmt::Write as _;

use embedded_hal::i2c::Operation;
use sifive_i2c::{BusSpeed, Config, ConfigError, Error};
use sifive_i2c_hal::regs::{Cr, Ctr, Sr};
use sifive_i2c_hal::Regs;

use crate::board::{self, Uart};
use crate::ktap::{check, config, ensure, unknown_suite, Check, Ktap};
use crate::modes::{Bus, Mode, SetupError};

const EEPROM: u8 = 0x50;
const TMP105: u8 = 0x48;
const DS1338: u8 = 0x68;
const ABSENT: u8 = 0x23;

/// The temperature scripts/qemu-test gives the TMP105 (millidegrees Celsius).
const TEMPERATURE_MILLI: i32 = 25_500;

fn write(bus: &mut Bus, address: u8, bytes: &[u8]) -> Result<(), Error> {
    bus.transaction(address, &mut [Operation::Write(bytes)])
}

fn write_read(bus: &mut Bus, address: u8, bytes: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    bus.transaction(
        address,
        &mut [Operation::Write(bytes), Operation::Read(buf)],
    )
}

/// The bus is idle and no transfer is in progress.
fn idle(bus: &mut Bus) -> Check {
    let sr = bus.raw_sr();
    ensure!(
        !sr.intersects(Sr::BUSY | Sr::TIP),
        "bus not idle: SR {:?}",
        sr
    );
    Ok(())
}

fn probe(bus: &mut Bus) -> Check {
    let present: &[u8] = if board::HAS_RTC {
        &[EEPROM, TMP105, DS1338]
    } else {
        &[EEPROM, TMP105]
    };
    for &address in present {
        check!(write(bus, address, &[]), "probe of a present target");
        idle(bus)?;
    }
    let r = write(bus, ABSENT, &[]);
    ensure!(
        r == Err(Error::AddressNack),
        "absent target answered {:?}",
        r
    );
    idle(bus)?;
    let mut buf = [0u8; 1];
    let r = bus.transaction(ABSENT, &mut [Operation::Read(&mut buf)]);
    ensure!(
        r == Err(Error::AddressNack),
        "absent target read gave {:?}",
        r
    );
    idle(bus)
}

fn zero_length(bus: &mut Bus) -> Check {
    check!(
        bus.transaction(EEPROM, &mut [Operation::Read(&mut [])]),
        "zero-length read"
    );
    idle(bus)?;
    check!(write(bus, EEPROM, &[0x08, 0xa1, 0xa2]), "write");
    let mut buf = [0u8; 2];
    check!(
        bus.transaction(
            EEPROM,
            &mut [
                Operation::Write(&[0x08]),
                Operation::Write(&[]),
                Operation::Read(&mut buf)
            ]
        ),
        "write_read with an empty operation"
    );
    ensure!(buf == [0xa1, 0xa2], "read back {:02x?}", buf);
    idle(bus)
}

/// A zero-length read where the target's next bit is 0 (and then 1): the driver clocks one
/// byte out and NACKs it, so the target lets go of SDA for the STOP.
fn zero_length_next_bit(bus: &mut Bus) -> Check {
    check!(write(bus, EEPROM, &[0x58, 0x00, 0x80]), "write");
    for at in [0x58u8, 0x59] {
        check!(write(bus, EEPROM, &[at]), "set the word address");
        check!(
            bus.transaction(EEPROM, &mut [Operation::Read(&mut [])]),
            "zero-length read"
        );
        idle(bus)?;
    }
    let mut buf = [0u8; 2];
    check!(write_read(bus, EEPROM, &[0x58], &mut buf), "read back");
    ensure!(buf == [0x00, 0x80], "read back {:02x?}", buf);
    idle(bus)
}

fn pattern(seed: u8, offset: u8) -> [u8; 8] {
    core::array::from_fn(|i| {
        seed.wrapping_mul(31)
            .wrapping_add(offset)
            .wrapping_add(i as u8 * 7)
    })
}

fn eeprom_page(bus: &mut Bus, seed: u8) -> Check {
    let data = pattern(seed, 0x10);
    let mut cmd = [0u8; 9];
    cmd[0] = 0x10;
    cmd[1..].copy_from_slice(&data);
    check!(write(bus, EEPROM, &cmd), "page write");
    let mut buf = [0u8; 8];
    check!(write_read(bus, EEPROM, &[0x10], &mut buf), "read back");
    ensure!(buf == data, "read {:02x?}, wrote {:02x?}", buf, data);
    idle(bus)
}

fn eeprom_cross_page(bus: &mut Bus, seed: u8) -> Check {
    // 0x1c..=0x23 crosses the 8-byte page boundary at 0x20.
    let data = pattern(seed, 0x1c);
    let mut cmd = [0u8; 9];
    cmd[0] = 0x1c;
    cmd[1..].copy_from_slice(&data);
    check!(write(bus, EEPROM, &cmd), "write across a page boundary");
    let mut buf = [0u8; 8];
    check!(write_read(bus, EEPROM, &[0x1c], &mut buf), "read back");
    ensure!(buf == data, "read {:02x?}, wrote {:02x?}", buf, data);
    // A sequential read split over two read operations gives the same bytes.
    let (mut a, mut b) = ([0u8; 3], [0u8; 5]);
    check!(
        bus.transaction(
            EEPROM,
            &mut [
                Operation::Write(&[0x1c]),
                Operation::Read(&mut a),
                Operation::Read(&mut b)
            ]
        ),
        "merged reads"
    );
    ensure!(
        a == data[..3] && b == data[3..],
        "merged reads {:02x?} {:02x?}",
        a,
        b
    );
    idle(bus)
}

fn tmp105(bus: &mut Bus) -> Check {
    let mut buf = [0u8; 2];
    check!(write_read(bus, TMP105, &[0], &mut buf), "temperature");
    // Default 9-bit resolution: 0.5 degree steps, left-justified.
    let raw = i16::from_be_bytes(buf);
    let milli = i32::from(raw) * 1000 / 256;
    ensure!(
        milli == TEMPERATURE_MILLI,
        "temperature {} m°C (raw {:02x?})",
        milli,
        buf
    );
    // T_HIGH write and read back through the pointer register.
    check!(write(bus, TMP105, &[3, 0x55, 0x80]), "T_HIGH write");
    check!(write_read(bus, TMP105, &[3], &mut buf), "T_HIGH read");
    ensure!(buf == [0x55, 0x80], "T_HIGH read back {:02x?}", buf);
    idle(bus)
}

fn bcd_ok(v: u8, max: u8) -> bool {
    v & 0x0f <= 9 && v >> 4 <= 9 && v <= max
}

fn ds1338_registers(bus: &mut Bus) -> Check {
    let mut t = [0u8; 7];
    check!(write_read(bus, DS1338, &[0], &mut t), "time registers");
    ensure!(bcd_ok(t[0] & 0x7f, 0x59), "seconds {:02x}", t[0]);
    ensure!(bcd_ok(t[1], 0x59), "minutes {:02x}", t[1]);
    ensure!(bcd_ok(t[4], 0x31), "date {:02x}", t[4]);
    ensure!(bcd_ok(t[5] & 0x1f, 0x12), "month {:02x}", t[5]);
    idle(bus)
}

fn ds1338_set_time(bus: &mut Bus) -> Check {
    // 2025-06-15 23:58:30, 24-hour mode. QEMU's DS1338 derives the day of the week from
    // the date (register 3 is not stored as written), so it is not compared.
    let set = [0x30u8, 0x58, 0x23, 0x01, 0x15, 0x06, 0x25];
    let mut cmd = [0u8; 8];
    cmd[1..].copy_from_slice(&set);
    check!(write(bus, DS1338, &cmd), "set time");
    let mut t = [0u8; 7];
    check!(write_read(bus, DS1338, &[0], &mut t), "read time");
    ensure!(t[0] >= 0x30 && t[0] <= 0x32, "seconds {:02x}", t[0]);
    ensure!(
        t[1..3] == set[1..3] && t[4..] == set[4..],
        "read {:02x?}, set {:02x?}",
        t,
        set
    );
    idle(bus)
}

/// Register accesses per payload byte for a 16-byte write and a 16-byte read. With
/// interrupts the cost per byte is fixed, so it is also bounded; polling costs depend on
/// how often the status is read while a byte shifts, so they are only reported.
fn counts(bus: &mut Bus, mode: Mode, max_per_byte_x100: Option<u32>) -> Check {
    let mut cmd = [0u8; 17];
    cmd[0] = 0x40;
    for (i, b) in cmd[1..].iter_mut().enumerate() {
        *b = i as u8;
    }
    bus.reset_counts();
    check!(write(bus, EEPROM, &cmd), "16-byte write");
    let write_x100 = report_counts(bus, mode, "write");
    let mut buf = [0u8; 16];
    bus.reset_counts();
    check!(write_read(bus, EEPROM, &[0x40], &mut buf), "16-byte read");
    let read_x100 = report_counts(bus, mode, "read");
    ensure!(buf == cmd[1..], "read back {:02x?}", buf);
    if let Some(max) = max_per_byte_x100 {
        ensure!(
            write_x100 <= max && read_x100 <= max,
            "more than {}.{:02} accesses per byte",
            max / 100,
            max % 100
        );
    }
    Ok(())
}

/// Prints the accesses counted since the last reset for a 16-byte transfer; returns
/// the accesses per payload byte, times 100.
fn report_counts(bus: &mut Bus, mode: Mode, what: &str) -> u32 {
    let (r, w) = bus.counts();
    let x100 = (r + w) * 100 / 16;
    let _ = writeln!(
        Uart,
        "    # {}: 16-byte {what}: {r} reads, {w} writes, {}.{:02} accesses per payload byte",
        mode.name(),
        x100 / 100,
        x100 % 100
    );
    x100
}

fn speed(speed: BusSpeed) -> Check {
    let mut bus = check!(
        Bus::new(Mode::Polling, Config::new(board::TLCLK_HZ, speed)),
        "setup"
    );
    let timing = bus.timing();
    let _ = writeln!(
        Uart,
        "    # PRER {} gives {} Hz",
        timing.prescaler, timing.bus_hz
    );
    ensure!(timing.bus_hz <= speed.hz(), "bus faster than requested");
    let cmd = [0x60u8; 17];
    let start = board::now_us();
    check!(write(&mut bus, EEPROM, &cmd), "write");
    let elapsed = board::now_us() - start;
    // 18 bytes of 9 bits, plus START and STOP: the floor the wire imposes.
    let floor_us = (18 * 9 + 2) * 1_000_000u64 / u64::from(timing.bus_hz);
    let _ = writeln!(
        Uart,
        "    # 16-byte write took {} us (wire time {} us)",
        elapsed, floor_us
    );
    ensure!(elapsed >= floor_us, "faster than the wire allows");
    ensure!(
        elapsed <= floor_us * 4 + 2_000,
        "far slower than the bus speed"
    );
    let mut buf = [0u8; 16];
    check!(write_read(&mut bus, EEPROM, &[0x60], &mut buf), "read back");
    ensure!(buf == [0x60; 16], "read back {:02x?}", buf);
    idle(&mut bus)?;
    // Polling with a delay provider at this speed: at most 4.0 accesses per payload byte.
    let mut bus = check!(
        Bus::new(Mode::PollingDelay, Config::new(board::TLCLK_HZ, speed)),
        "setup with a delay"
    );
    counts(&mut bus, Mode::PollingDelay, Some(400))?;
    idle(&mut bus)
}

/// A boot loader that left an interrupt pending and the core disabled: init must
/// acknowledge it after enabling the core (IACK is ignored while EN is clear).
fn init_acks_stale_interrupt() -> Check {
    let mut regs = board::i2c0();
    regs.set_ctr(Ctr::EN);
    // A STOP alone is one SCL period, 5 * 65536 tlclk cycles at the reset prescaler
    // (about 5 ms on sifive_u, 20 ms on sifive_e); STA|STO would also send the TXR
    // byte, as the RTL does, and take 11. Wait up to twice that.
    regs.set_cr(Cr::STO);
    let stop_us = 5 * 65_536 * 1_000_000 / u64::from(board::TLCLK_HZ);
    let deadline = board::now_us() + 2 * stop_us;
    while !regs.sr().contains(Sr::IF) && board::now_us() < deadline {}
    ensure!(
        regs.sr().contains(Sr::IF),
        "no interrupt flag to leave behind"
    );
    regs.set_ctr(Ctr::empty());
    let mut bus = check!(Bus::new(Mode::Polling, config()), "setup");
    let sr = bus.raw_sr();
    ensure!(!sr.contains(Sr::IF), "stale IF survived init: SR {:?}", sr);
    check!(write(&mut bus, EEPROM, &[]), "probe after init");
    idle(&mut bus)
}

/// Fault-injection suites: what QEMU was told to inject.
#[derive(Clone, Copy)]
enum Fault {
    /// `fault-al-at=3`: arbitration lost at the second data byte.
    Arbitration,
    /// `fault-tip-stuck=1`: the first byte command never completes.
    TipStuck,
    /// `fault-busy-stuck=1`: the first status read shows BUSY (another master finishing).
    BusyStuck,
    /// `fault-sda-stuck=20`: a target left mid-byte holds SDA for 20 clocks at power-up.
    SdaStuck,
}

fn fault(bus: &mut Bus, fault: Fault) -> Check {
    bus.reset_counts();
    let r = write(bus, EEPROM, &[0x70, 1, 2, 3]);
    let expected = match fault {
        Fault::Arbitration => Err(Error::ArbitrationLoss),
        Fault::TipStuck => Err(Error::Timeout),
        // The driver waits for the bus to go idle (recovering it from the stuck target,
        // 3 rounds of 9 clocks), then runs the transfer.
        Fault::BusyStuck | Fault::SdaStuck => Ok(()),
    };
    ensure!(r == expected, "got {:?}, expected {:?}", r, expected);
    idle(bus)
}

fn recovers(bus: &mut Bus) -> Check {
    check!(
        write(bus, EEPROM, &[0x70, 4, 5, 6]),
        "write after the fault"
    );
    let mut buf = [0u8; 3];
    check!(
        write_read(bus, EEPROM, &[0x70], &mut buf),
        "read after the fault"
    );
    ensure!(buf == [4, 5, 6], "read back {:02x?}", buf);
    idle(bus)
}

const MODES: [Mode; 5] = [
    Mode::Polling,
    Mode::Interrupt,
    Mode::Async,
    Mode::PollingDelay,
    Mode::AsyncOneshot,
];
/// Scenarios run in every mode of the main suite: two fewer without the DS1338.
const PER_MODE: u32 = if board::HAS_RTC { 9 } else { 7 };

fn main_suite() -> u32 {
    let mut k = Ktap::plan(MODES.len() as u32 * PER_MODE + 4);
    k.case("init", "acks_stale_interrupt", init_acks_stale_interrupt());
    for (i, mode) in MODES.into_iter().enumerate() {
        let p = mode.name();
        let mut bus = match Bus::new(mode, config()) {
            Ok(bus) => bus,
            Err(e) => {
                let _ = writeln!(Uart, "# {p}: setup failed: {e:?}");
                for _ in 0..PER_MODE {
                    k.case(p, "setup", Err(()));
                }
                continue;
            }
        };
        let seed = i as u8 + 1;
        // Interrupt handler: SR, TXR or RXR, CR per byte; async adds the CTR mask
        // and unmask (see Documentation/driver.rst), plus the address and STOP. Polling
        // with a delay: TXR or RXR, CR and one SR read per byte (issue 12: <= 4.0).
        let max = match mode {
            Mode::Polling => None,
            Mode::Interrupt | Mode::PollingDelay | Mode::AsyncOneshot => Some(400),
            Mode::Async => Some(650),
        };
        k.case(p, "probe", probe(&mut bus));
        k.case(p, "zero_length", zero_length(&mut bus));
        k.case(p, "zero_length_next_bit", zero_length_next_bit(&mut bus));
        k.case(p, "eeprom_page", eeprom_page(&mut bus, seed));
        k.case(p, "eeprom_cross_page", eeprom_cross_page(&mut bus, seed));
        k.case(p, "tmp105", tmp105(&mut bus));
        if board::HAS_RTC {
            k.case(p, "ds1338_registers", ds1338_registers(&mut bus));
            k.case(p, "ds1338_set_time", ds1338_set_time(&mut bus));
        }
        k.case(p, "access_counts", counts(&mut bus, mode, max));
    }
    k.case("speed", "100k", speed(BusSpeed::Standard));
    k.case("speed", "400k", speed(BusSpeed::Fast));
    if board::TLCLK_HZ >= 20_000_000 {
        k.case("speed", "1m", speed(BusSpeed::FastPlus));
    } else {
        k.case("speed", "1m_refused", fast_plus_refused());
    }
    k.failed
}

/// Below 20 MHz (sifive_e's 16 MHz) no prescaler gives 1 MHz within 10%: the driver
/// refuses the configuration with the closest speed, 16 MHz / (5 * 4) = 800 kHz at
/// 16 MHz, before it writes a register.
fn fast_plus_refused() -> Check {
    let prescaled = board::TLCLK_HZ / 5;
    let divider = prescaled.div_ceil(BusSpeed::FastPlus.hz());
    let closest = prescaled / divider;
    match Bus::new(
        Mode::Polling,
        Config::new(board::TLCLK_HZ, BusSpeed::FastPlus),
    ) {
        Err(SetupError::Config(ConfigError::OutOfTolerance { bus_hz })) => {
            ensure!(
                bus_hz == closest,
                "refused with {} Hz, expected {} Hz",
                bus_hz,
                closest
            );
        }
        Err(e) => ensure!(false, "refused with {:?}", e),
        Ok(_) => ensure!(false, "1 MHz accepted at {} Hz", board::TLCLK_HZ),
    }
    let sr = board::i2c0().sr();
    ensure!(
        !sr.intersects(Sr::BUSY | Sr::TIP),
        "bus not idle: SR {:?}",
        sr
    );
    Ok(())
}

fn erratum_suite() -> u32 {
    let mut k = Ktap::plan(6);
    let config = config().with_fu540_c000_erratum(true);
    match Bus::new(Mode::Interrupt, config) {
        Err(crate::modes::SetupError::Interrupts(Error::Unsupported)) => {
            k.case("fu540", "interrupts_refused", Ok(()));
        }
        _ => k.case("fu540", "interrupts_refused", Err(())),
    }
    for mode in [Mode::Polling, Mode::Async] {
        let p = if mode == Mode::Polling {
            "fu540_polling"
        } else {
            "fu540_async"
        };
        match Bus::new(mode, config) {
            Ok(mut bus) => {
                k.case(p, "probe", probe(&mut bus));
                k.case(p, "eeprom_page", eeprom_page(&mut bus, 9));
            }
            Err(_) => {
                k.case(p, "setup", Err(()));
                k.case(p, "setup", Err(()));
            }
        }
    }
    let mut bus = Bus::new(Mode::Polling, config).map_err(|_| ());
    let r = match &mut bus {
        Ok(bus) => tmp105(bus),
        Err(()) => Err(()),
    };
    k.case("fu540_polling", "tmp105", r);
    k.failed
}

fn fault_suite(fault_kind: Fault, mode: Mode) -> u32 {
    let mut k = Ktap::plan(2);
    let name = match fault_kind {
        Fault::Arbitration => "arbitration_loss",
        Fault::TipStuck => "tip_stuck_timeout",
        Fault::BusyStuck => "bus_busy_waited",
        Fault::SdaStuck => "sda_stuck_recovered",
    };
    match Bus::new(mode, stuck_config()) {
        Ok(mut bus) => {
            k.case(mode.name(), name, fault(&mut bus, fault_kind));
            k.case(mode.name(), "recovers", recovers(&mut bus));
        }
        Err(_) => {
            k.case(mode.name(), name, Err(()));
            k.case(mode.name(), "recovers", Err(()));
        }
    }
    k.failed
}

/// The configuration of the fault suites: a poll budget of a few byte times, so a wait
/// for a bus that stays busy ends soon (each SR read is a trap into QEMU).
fn stuck_config() -> Config {
    config().with_poll_budget(5_000)
}

/// `fault-sda-stuck=0xffffffff`: a target that never lets go, until the host sets the
/// property to 0 over QMP once the guest prints `# release`.
fn sda_stuck_forever_suite(mode: Mode) -> u32 {
    let mut k = Ktap::plan(3);
    let p = mode.name();
    let mut bus = match Bus::new(mode, stuck_config()) {
        Ok(bus) => bus,
        Err(_) => {
            for name in ["gives_up_bus_busy", "recovered_once_released", "recovers"] {
                k.case(p, name, Err(()));
            }
            let _ = writeln!(Uart, "# release");
            return k.failed;
        }
    };
    k.case(p, "gives_up_bus_busy", gives_up(&mut bus));
    let _ = writeln!(Uart, "# release");
    k.case(p, "recovered_once_released", released(&mut bus));
    k.case(p, "recovers", recovers(&mut bus));
    k.failed
}

/// A transfer and an explicit recovery both end with BusBusy, the bus still held.
fn gives_up(bus: &mut Bus) -> Check {
    let r = write(bus, EEPROM, &[0x70, 1]);
    ensure!(r == Err(Error::BusBusy), "transfer gave {:?}", r);
    let r = bus.recover_bus();
    ensure!(r == Err(Error::BusBusy), "recover_bus gave {:?}", r);
    let sr = bus.raw_sr();
    ensure!(sr.contains(Sr::BUSY), "bus not held: SR {:?}", sr);
    Ok(())
}

/// Recovery is retried until the host has released the target (at most 10 s of guest
/// time); then it frees the bus.
fn released(bus: &mut Bus) -> Check {
    let deadline = board::now_us() + 10_000_000;
    loop {
        match bus.recover_bus() {
            Ok(()) => return idle(bus),
            Err(Error::BusBusy) if board::now_us() < deadline => {}
            Err(e) => {
                let _ = writeln!(Uart, "    # recover_bus: {e:?}");
                return Err(());
            }
        }
    }
}

/// One driver in interrupt mode, a 16-byte write and read, then the guest's own count
/// of register accesses, for scripts/qemu-test to compare with QEMU's counters. Never
/// returns: the host reads the counters and quits QEMU.
fn counters_suite() -> ! {
    let mut k = Ktap::plan(1);
    let mut r = Err(());
    if let Ok(mut bus) = Bus::new(Mode::Interrupt, config()) {
        let mut buf = [0u8; 16];
        r = write(&mut bus, EEPROM, &[0x40; 17])
            .and_then(|()| write_read(&mut bus, EEPROM, &[0x40], &mut buf))
            .map_err(|_| ());
        let (reads, writes) = bus.counts();
        let _ = writeln!(Uart, "# guest counted: {reads} reads, {writes} writes");
    }
    k.case("counters", "transfers", r);
    let _ = writeln!(Uart, "# idle");
    loop {
        core::hint::spin_loop();
    }
}

/// The benchmark suite (scripts/bench): the accesses per payload byte of a 16-byte write
/// and read in every mode at 100 kHz, 400 kHz and 1 MHz, printed as `#` lines.
fn bench_suite() -> u32 {
    let speeds = [BusSpeed::Standard, BusSpeed::Fast, BusSpeed::FastPlus];
    let mut k = Ktap::plan((speeds.len() * MODES.len()) as u32);
    for speed in speeds {
        let _ = writeln!(Uart, "# bench at {} Hz", speed.hz());
        for mode in MODES {
            let r = match Bus::new(mode, Config::new(board::TLCLK_HZ, speed)) {
                Ok(mut bus) => counts(&mut bus, mode, None),
                Err(_) => Err(()),
            };
            k.case("bench", mode.name(), r);
        }
    }
    k.failed
}

/// Runs suite `suite`; returns the number of failed tests.
///
/// 0 is the main suite (clean core), 1 the FU540 erratum suite, 2 the counter
/// cross-check, 3 the benchmark (scripts/bench); `0x10 * f + m` runs
/// fault `f` (1 arbitration loss, 2 TIP stuck, 3 BUSY stuck, 4 SDA stuck for 20 clocks,
/// 5 SDA stuck until the host releases it) in mode `m` (0 polling, 1 interrupt handler,
/// 2 async).
pub(crate) fn run(suite: u32) -> u32 {
    let mode = MODES.get((suite & 0xf) as usize).copied();
    match (suite >> 4, mode) {
        (0, _) if suite == 0 => main_suite(),
        (0, _) if suite == 1 => erratum_suite(),
        (0, _) if suite == 2 => counters_suite(),
        (0, _) if suite == 3 => bench_suite(),
        (1, Some(m)) => fault_suite(Fault::Arbitration, m),
        (2, Some(m)) => fault_suite(Fault::TipStuck, m),
        (3, Some(m)) => fault_suite(Fault::BusyStuck, m),
        (4, Some(m)) => fault_suite(Fault::SdaStuck, m),
        (5, Some(m)) => sda_stuck_forever_suite(m),
        _ => unknown_suite(suite),
    }
}
