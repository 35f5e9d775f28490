// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The parts of the emulated board the tests use: UART0, the CLINT timer, the PLIC and the
//! machine interrupt enables, and I2C0.
//!
//! The image builds for two of QEMU's machines, chosen by the target: riscv64imac for
//! sifive_u (the FU540: I2C0 at 0x1003_0000 on PLIC source 50, mtime at 1 MHz, a DS1338
//! on the bus besides the EEPROM and the TMP105) and riscv32imac for sifive_e with
//! `revb=on` (the HiFive1 Rev B's FE310-G002: I2C0 at 0x1001_6000 on PLIC source 52,
//! mtime at 32.768 kHz, the EEPROM and the TMP105 only, 16 KiB of RAM).
//!
//! The CLINT and the PLIC are riscv-peripheral's, the CSRs the riscv crate's, the FE310's
//! clock set-up the HAL's SoC profile. UART0 is the one device written by hand here: no
//! maintained crate drives the SiFive UART at the FU540's address (e310x-hal's serial is
//! bound to the FE310's peripheral access crate), and the tests need only its transmit
//! side, two registers.

use core::fmt;
use core::ptr::NonNull;

use riscv::interrupt::Interrupt;
use sifive_i2c_hal::{Mmio, MmioConfig};

#[cfg(target_arch = "riscv64")]
mod machine {
    /// The machine, as the KTAP diagnostics name it.
    pub(crate) const NAME: &str = "sifive_u";
    /// UART0's base.
    pub(crate) const UART0: usize = 0x1001_0000;
    /// I2C0 base.
    pub(crate) const I2C0: usize = 0x1003_0000;
    /// The I2C controller's input clock (tlclk): QEMU's PRCI resets the core PLL to
    /// 33.333333 MHz * 64 / 2 / 8 and tlclk is half of it.
    pub(crate) const TLCLK_HZ: u32 = 66_666_666;
    /// Whether a DS1338 RTC sits at 0x68.
    pub(crate) const HAS_RTC: bool = true;
    /// Where scripts/qemu-test leaves the suite selector: DRAM above the image.
    pub(crate) const SUITE_ADDR: usize = 0x80f0_0000;

    /// The PLIC sources the tests route.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[riscv::pac_enum(unsafe ExternalInterruptNumber)]
    pub(crate) enum Source {
        /// I2C0 (source 50 on sifive_u).
        I2c0 = 50,
    }

    /// Nothing to set up: QEMU's PRCI starts the FU540 at its tlclk.
    pub(crate) fn clock_init() -> Result<(), &'static str> {
        Ok(())
    }
}

#[cfg(target_arch = "riscv32")]
mod machine {
    use sifive_i2c_hal::soc::fe310;

    /// The machine, as the KTAP diagnostics name it.
    pub(crate) const NAME: &str = "sifive_e";
    /// UART0's base.
    pub(crate) const UART0: usize = fe310::Uart0::BASE;
    /// I2C0 base.
    pub(crate) const I2C0: usize = 0x1001_6000;
    /// The I2C controller's input clock (tlclk = hfclk) once [`clock_init`] has moved
    /// hfclk to the HiFive1 Rev B's 16 MHz crystal, the rate QEMU clocks the model at.
    pub(crate) const TLCLK_HZ: u32 = fe310::HIFIVE1_REVB_HFXOSC_HZ;
    /// Whether a DS1338 RTC sits at 0x68: not on sifive_e.
    pub(crate) const HAS_RTC: bool = false;
    /// Where scripts/qemu-test leaves the suite selector: the last word of the 16 KiB
    /// DTIM, which memory-sifive_e.x keeps out of the image and the stack.
    pub(crate) const SUITE_ADDR: usize = 0x8000_3ffc;

    /// The PLIC sources the tests route.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[riscv::pac_enum(unsafe ExternalInterruptNumber)]
    pub(crate) enum Source {
        /// I2C0 (source 52 on the FE310-G002).
        I2c0 = 52,
    }

    /// Runs hfclk (tlclk) from the crystal through the FE310 profile, as the HiFive1
    /// example does, and checks the rate the PRCI's registers give.
    pub(crate) fn clock_init() -> Result<(), &'static str> {
        let mut p = fe310::Peripherals::take().ok_or("FE310 peripherals taken")?;
        match p.prci.use_hfxosc(fe310::HIFIVE1_REVB_HFXOSC_HZ) {
            Ok(TLCLK_HZ) => Ok(()),
            Ok(_) => Err("tlclk is not the crystal's rate"),
            Err(_) => Err("the PRCI did not switch to the crystal"),
        }
    }
}

use machine::UART0;
pub(crate) use machine::{clock_init, Source, HAS_RTC, I2C0, NAME, SUITE_ADDR, TLCLK_HZ};

// The CLINT, with mtime counting at 1 MHz on sifive_u.
#[cfg(target_arch = "riscv64")]
riscv_peripheral::clint_codegen!(Clint, base 0x0200_0000, mtime_freq 1_000_000);
// The CLINT, with mtime counting at lfclk, 32.768 kHz, on sifive_e as on the FE310.
#[cfg(target_arch = "riscv32")]
riscv_peripheral::clint_codegen!(Clint, base 0x0200_0000, mtime_freq 32_768);

/// UART0 transmit data register.
const UART0_TXDATA: usize = UART0;
/// UART0 transmit control register.
const UART0_TXCTRL: usize = UART0 + 0x08;

// The PLIC; context 0 is hart 0's M-mode.
riscv_peripheral::plic_codegen!(Plic, base 0x0c00_0000);

/// PLIC priorities: 0 masks a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[riscv::pac_enum(unsafe PriorityNumber)]
enum Priority {
    P0 = 0,
    P1 = 1,
}

/// I2C0's PLIC source.
pub(crate) const I2C0_IRQ: Source = Source::I2c0;

fn write32(addr: usize, value: u32) {
    // SAFETY: Callers pass addresses of UART0 registers, which are mapped and
    // accept 32-bit volatile stores.
    unsafe { core::ptr::write_volatile(addr as *mut u32, value) }
}

fn read32(addr: usize) -> u32 {
    // SAFETY: Callers pass addresses of UART0 registers, which are mapped and
    // accept 32-bit volatile loads.
    unsafe { core::ptr::read_volatile(addr as *const u32) }
}

/// UART0, as a `fmt::Write` sink.
pub(crate) struct Uart;

impl Uart {
    pub(crate) fn init() {
        write32(UART0_TXCTRL, 1);
    }

    fn put(byte: u8) {
        // Bounded wait for room in the FIFO (bit 31 of txdata is "full").
        for _ in 0..1_000_000 {
            if read32(UART0_TXDATA) & (1 << 31) == 0 {
                break;
            }
        }
        write32(UART0_TXDATA, u32::from(byte));
    }
}

impl fmt::Write for Uart {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            Self::put(b);
        }
        Ok(())
    }
}

/// Microseconds since reset, from mtime (whole ticks: 1 us on sifive_u, 30.5 us on
/// sifive_e).
pub(crate) fn now_us() -> u64 {
    let ticks = Clint::new().mtimer().mtime().read();
    ticks * 1_000_000 / MTIME_HZ
}

/// mtime's rate.
const MTIME_HZ: u64 = <Clint as riscv_peripheral::aclint::Clint>::MTIME_FREQ as u64;

/// Waits at least `us` microseconds: whole mtime ticks, one more than the wait spans,
/// since it may start just before a tick (at sifive_e's 32.768 kHz, riscv-peripheral's
/// delay waits 0 ticks for anything under 30.5 us).
pub(crate) fn delay_us(us: u32) {
    let ticks = (u64::from(us) * MTIME_HZ).div_ceil(1_000_000) + 1;
    let mtime = Clint::new().mtimer().mtime();
    let start = mtime.read();
    while mtime.read().wrapping_sub(start) < ticks {}
}

/// A blocking delay on the CLINT's mtime.
pub(crate) fn delay() -> impl embedded_hal::delay::DelayNs {
    Clint::new().mtimer()
}

/// I2C0's registers.
pub(crate) fn i2c0() -> Mmio {
    // SAFETY: Both machines have the OpenCores I2C controller at I2C0 with reg-shift 2 and
    // 8-bit registers. The tests create one accessor for the driver and, in async mode,
    // one for the interrupt handler, which touches only SR and CTR as the driver's
    // interrupt protocol allows.
    unsafe { Mmio::new(NonNull::new_unchecked(I2C0 as *mut u8), MmioConfig::SIFIVE) }
}

/// Routes PLIC source `irq` to hart 0's M-mode context, or stops routing it.
pub(crate) fn plic_route(irq: Source, enable: bool) {
    let plic = Plic::new();
    let ctx = plic.ctx0();
    if enable {
        // SAFETY: The only handler for I2C0 is the trap handler in main.rs, which is
        // installed before any source is routed.
        unsafe {
            plic.priorities().set_priority(irq, Priority::P1);
            ctx.threshold().set_threshold(Priority::P0);
            ctx.enables().enable(irq);
        }
    } else {
        ctx.enables().disable(irq);
        // SAFETY: Priority 0 masks the source; it unmasks nothing.
        unsafe { plic.priorities().set_priority(irq, Priority::P0) };
    }
}

/// Claims the highest-priority pending source of context 0.
pub(crate) fn plic_claim() -> Option<Source> {
    Plic::new().ctx0().claim().claim()
}

/// Completes a claimed source.
pub(crate) fn plic_complete(irq: Source) {
    Plic::new().ctx0().claim().complete(irq);
}

/// Enables machine external interrupts (mie.MEIE) and interrupts globally (mstatus.MIE).
pub(crate) fn interrupts_on() {
    // SAFETY: Enabling MEIE and MIE only allows the trap handler to run; riscv-rt set
    // mtvec to its trap entry before `main`.
    unsafe {
        riscv::interrupt::enable_interrupt(Interrupt::MachineExternal);
        riscv::interrupt::enable();
    }
}

/// Disables interrupts globally.
pub(crate) fn interrupts_off() {
    riscv::interrupt::disable();
}
