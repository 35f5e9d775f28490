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

/// Defines a SoC module's `Peripherals` singleton: the struct with the given instances (and,
/// with feature `plic`, the PLIC from hart 0's M-mode context), `take` on the SoC's own
/// architecture, and `steal`. Each instance type is a unit-like struct with a private
/// `_private: ()` field.
macro_rules! peripherals {
    (
        soc: $soc:literal,
        arch: $arch:tt,
        $( $(#[$attr:meta])* $field:ident: $ty:ident, )*
    ) => {
        #[doc = concat!("The ", $soc, " peripherals this crate knows.")]
        #[derive(Debug)]
        pub struct Peripherals {
            $( $(#[$attr])* pub $field: $ty, )*
            /// The PLIC, from hart 0's M-mode context (feature `plic`).
            #[cfg(feature = "plic")]
            pub plic: crate::plic::Plic,
        }

        #[cfg_attr(
            not(target_arch = $arch),
            expect(dead_code, reason = "take() exists on the SoC's architecture only")
        )]
        static TAKEN: super::Once = super::Once::new();

        impl Peripherals {
            /// The peripherals, the first time only (`None` afterwards).
            #[cfg(any(target_arch = $arch, doc))]
            pub fn take() -> Option<Self> {
                // SAFETY: This is the first hand-out, and the crate is built for the
                // SoC's architecture, where the caller runs on this SoC (the profile the
                // caller chose).
                TAKEN.first().then(|| unsafe { Self::steal() })
            }

            /// The peripherals, whether or not they were handed out before.
            ///
            /// # Safety
            ///
            #[doc = concat!("The code runs on an ", $soc, ", and nothing else uses the ")]
            /// instances returned (for example a second copy from an earlier `take` or
            /// `steal`).
            pub unsafe fn steal() -> Self {
                Self {
                    $( $field: $ty { _private: () }, )*
                    // SAFETY: The caller guarantees the SoC and that nothing else uses
                    // what `steal` returns, the PLIC included.
                    #[cfg(feature = "plic")]
                    plic: unsafe { crate::plic::Plic::new() },
                }
            }
        }
    };
}

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

/// The transmit side of a SiFive UART (txdata at 0x00, txctrl at 0x08, div at 0x18), for a
/// bring-up program's text output; made from a SoC's owned `Uart0`.
///
/// # Invariants
///
/// `base` is the base of a SiFive UART of the running SoC, owned by this value.
#[derive(Debug)]
pub struct Console {
    base: usize,
}

impl Console {
    const TXDATA: usize = 0x00;
    const TXCTRL: usize = 0x08;
    const DIV: usize = 0x18;

    /// Sets `baud` from the UART's clock `clk_hz` and enables the transmitter.
    ///
    /// # Safety
    ///
    /// `base` is the base of a SiFive UART of the running SoC, which the caller owns.
    unsafe fn new(base: usize, clk_hz: u32, baud: u32) -> Self {
        // INVARIANT: The caller guarantees `base`.
        let console = Self { base };
        let div = (clk_hz / baud.max(1)).saturating_sub(1);
        console.write(Self::DIV, div);
        console.write(Self::TXCTRL, 1);
        console
    }

    fn write(&self, offset: usize, value: u32) {
        // SAFETY: By the type invariant, `base + offset` is a register of the UART, valid
        // for 32-bit volatile stores.
        unsafe { core::ptr::write_volatile((self.base + offset) as *mut u32, value) }
    }

    fn read(&self, offset: usize) -> u32 {
        // SAFETY: By the type invariant, `base + offset` is a register of the UART, valid
        // for 32-bit volatile loads; reading txdata has no side effect.
        unsafe { core::ptr::read_volatile((self.base + offset) as *const u32) }
    }

    /// Sends `byte`, waiting (a bounded number of polls) for room in the FIFO; a byte the
    /// FIFO has no room for by then is sent anyway and may be lost.
    pub fn put(&mut self, byte: u8) {
        for _ in 0..1_000_000 {
            if self.read(Self::TXDATA) & (1 << 31) == 0 {
                break;
            }
        }
        self.write(Self::TXDATA, u32::from(byte));
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            self.put(b);
        }
        Ok(())
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
        not(any(test, target_arch = "riscv32", target_arch = "riscv64")),
        expect(dead_code, reason = "take() exists on the SoCs' architectures only")
    )]
    fn first(&self) -> bool {
        !self.0.swap(true, core::sync::atomic::Ordering::AcqRel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_hands_out_once() {
        let once = Once::new();
        assert!(once.first());
        assert!(!once.first());
    }

    #[test]
    fn wrpll_matches_the_manual_formula() {
        // 33.33 MHz / 1 * 2 * 60 / 2^2 = 1 GHz (the Unleashed's core PLL).
        let cfg0 = (1 << 31) | (2 << 15) | (59 << 6);
        assert_eq!(wrpll_hz(33_333_333, cfg0), Ok(999_999_990));
        assert_eq!(wrpll_hz(33_333_333, cfg0 | (1 << 24)), Ok(33_333_333));
        assert_eq!(
            wrpll_hz(33_333_333, cfg0 & !(1 << 31)),
            Err(ClockError::Unlocked)
        );
        // The largest settings do not overflow: saturated to u32::MAX.
        assert_eq!(wrpll_hz(u32::MAX, (1 << 31) | (0x1ff << 6)), Ok(u32::MAX));
    }
}
