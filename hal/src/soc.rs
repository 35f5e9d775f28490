// SPDX-License-Identifier: GPL-2.0 OR MIT

//! SoC profiles: the controller instances of the FU540-C000, FU740-C000 and FE310-G002,
//! their PLIC sources, and their input clocks read from the PRCI.
//!
//! Each SoC module has a `Peripherals` singleton: `Peripherals::take()` hands out the
//! instances once, and an instance converts into its register access
//! ([`Instance::into_mmio`]) without `unsafe` in the caller, since owning it is what makes
//! the access exclusive. The PRCI is only read: a clock query never changes a clock.
//! `take()` exists on the SoC's own architecture (riscv64 for the FU540 and FU740,
//! riscv32 for the FE310); the constants and the register decoding are available
//! everywhere, and are what the host tests check.
//!
//! The driver crate (`sifive-i2c`) builds a controller from an instance with
//! `I2c::from_instance`, which also applies the instance's errata (the FU540-C000's
//! interrupt erratum).
//!
//! Hardware references: the FU540-C000 and FU740-C000 manuals, chapter "Clocking and
//! Reset" (read as Linux's drivers/clk/sifive/ reads them), and the FE310-G002 manual,
//! chapters "Clock Generation" and "GPIO".
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::soc::{fu540, fu740, Instance};
//!
//! assert_eq!(fu540::I2c0::BASE, 0x1003_0000);
//! assert_eq!(fu540::I2c0::PLIC_SOURCE, 50);
//! assert!(fu540::I2c0::FU540_C000_ERRATUM);
//! assert_eq!(fu740::I2c1::BASE, 0x1003_1000);
//! assert_eq!(fu740::I2c1::PLIC_SOURCE, 53);
//! ```

use core::fmt;
use core::ptr::NonNull;

use crate::regs::{ReadReg, WriteReg};
use crate::{Mmio, MmioConfig, Regs};

pub mod fe310;
pub mod fu540;
pub mod fu740;

/// One controller instance of a SoC, owned: whoever holds it may make its register access.
pub trait Instance: Sized {
    /// The base address of the register block.
    const BASE: usize;
    /// The instance's interrupt source on the PLIC.
    const PLIC_SOURCE: u16;
    /// Whether the instance has the FU540-C000 interrupt erratum (its IF cannot be
    /// cleared): the driver then never enables the interrupt.
    const FU540_C000_ERRATUM: bool;

    /// The register access, taking the instance.
    fn into_mmio(self) -> Mmio;

    /// The register access for the driver and, for the interrupt handler, a view that
    /// reads SR and CTR and writes CTR only (the handler's part of the driver's interrupt
    /// protocols), taking the instance.
    fn split(self) -> (Mmio, HandlerRegs) {
        (self.into_mmio(), HandlerRegs { base: Self::BASE })
    }
}

/// Makes the register access of the instance at `base`.
///
/// # Safety
///
/// `base` must be the base of an OpenCores I2C register block laid out as
/// [`MmioConfig::SIFIVE`], and the caller must own that instance (one accessor per
/// instance, apart from a [`HandlerRegs`]).
unsafe fn mmio(base: usize) -> Mmio {
    // The SoC constants are non-zero addresses.
    let ptr = NonNull::new(base as *mut u8).unwrap_or(NonNull::dangling());
    // SAFETY: The caller guarantees the register block and the exclusive ownership.
    unsafe { Mmio::new(ptr, MmioConfig::SIFIVE) }
}

/// The interrupt handler's view of one instance (see [`Instance::split`]): SR and CTR
/// reads, CTR writes. Other reads return 0 and other writes are dropped, with no bus
/// access, so the handler cannot disturb a transfer the task drives.
///
/// # Invariants
///
/// `base` is the base of a SiFive I2C register block of the SoC the instance came from.
#[derive(Debug)]
pub struct HandlerRegs {
    base: usize,
}

impl HandlerRegs {
    fn reg(&self, index: usize) -> *mut u8 {
        (self.base + MmioConfig::SIFIVE.offset(index)) as *mut u8
    }
}

impl Regs for HandlerRegs {
    fn read(&mut self, reg: ReadReg) -> u8 {
        if !matches!(reg, ReadReg::Sr | ReadReg::Ctr) {
            return 0;
        }
        // SAFETY: By the type invariant the address is a register of the controller,
        // valid for volatile byte reads; SR and CTR reads have no side effects.
        unsafe { core::ptr::read_volatile(self.reg(reg.index())) }
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        if reg != WriteReg::Ctr {
            return;
        }
        // SAFETY: By the type invariant the address is CTR of the controller, valid for
        // volatile byte writes.
        unsafe { core::ptr::write_volatile(self.reg(reg.index()), value) }
    }
}

/// Why an input clock cannot be given from the PRCI's registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ClockError {
    /// The reference clock given is zero.
    Zero,
    /// The PLL the clock comes from is neither bypassed nor locked.
    Unlocked,
    /// The PLL's output is gated off (its CKE bit is clear).
    Gated,
    /// The clock runs on the FE310's ring oscillator (HFROSC), whose rate is only known
    /// to within tens of percent: measure it (for example against the RTC) or switch to
    /// the crystal (HFXOSC) first.
    RingOscillator,
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Zero => "reference clock is zero",
            Self::Unlocked => "PLL neither bypassed nor locked",
            Self::Gated => "PLL output gated off",
            Self::RingOscillator => "clock runs on the uncalibrated ring oscillator",
        })
    }
}

impl core::error::Error for ClockError {}

/// The output of a SiFive WRPLL (Analog Bits CLN28HPC, as in the FU540 and FU740) whose
/// configuration register 0 reads `cfg0`, from a reference of `ref_hz`:
/// `ref / (divr + 1) * 2 * (divf + 1) / 2^divq`, or the reference when bypassed.
///
/// Fields of cfg0: divr 5:0, divf 14:6, divq 17:15, bypass 24, lock 31.
pub const fn wrpll_hz(ref_hz: u32, cfg0: u32) -> Result<u32, ClockError> {
    const BYPASS: u32 = 1 << 24;
    const LOCK: u32 = 1 << 31;
    if ref_hz == 0 {
        return Err(ClockError::Zero);
    }
    if cfg0 & BYPASS != 0 {
        return Ok(ref_hz);
    }
    if cfg0 & LOCK == 0 {
        return Err(ClockError::Unlocked);
    }
    let divr = (cfg0 & 0x3f) as u64;
    let divf = ((cfg0 >> 6) & 0x1ff) as u64;
    let divq = (cfg0 >> 15) & 0x7;
    let hz = ref_hz as u64 * 2 * (divf + 1) / ((divr + 1) << divq);
    if hz > u32::MAX as u64 {
        return Ok(u32::MAX);
    }
    Ok(hz as u32)
}

/// Reads the 32-bit PRCI register at `addr`.
///
/// # Safety
///
/// `addr` must be a PRCI register of the running SoC (mapped, readable without side
/// effects with a 32-bit load).
unsafe fn read32(addr: usize) -> u32 {
    // SAFETY: The caller guarantees the address.
    unsafe { core::ptr::read_volatile(addr as *const u32) }
}

/// Hands out a SoC's singletons once.
struct Once(core::sync::atomic::AtomicBool);

impl Once {
    const fn new() -> Self {
        Self(core::sync::atomic::AtomicBool::new(false))
    }

    /// `true` the first time only.
    #[cfg_attr(
        not(any(target_arch = "riscv32", target_arch = "riscv64")),
        expect(dead_code, reason = "take() exists on the SoCs' architectures only")
    )]
    fn first(&self) -> bool {
        !self.0.swap(true, core::sync::atomic::Ordering::AcqRel)
    }
}
